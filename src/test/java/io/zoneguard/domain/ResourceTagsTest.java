package io.zoneguard.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class ResourceTagsTest {
  private final ResourceTags base = ResourceTags.of("prod", "shop", "mysql", "data-mysql-1");

  @Test
  void everyKindCarriesTheSameLookupTagsAndOneNameFormat() {
    var backup =
        ResourceTags.of("prod", "shop", "mysql", "data-mysql-1")
            .ordinal(1)
            .zone("b")
            .backupSet("S1");
    var failover =
        ResourceTags.of("prod", "shop", "mysql", "data-mysql-1").zone("c").failover("fo-1");
    var drill = ResourceTags.of("prod", "shop", "mysql", "data-mysql-1").drill("dr-1");
    for (var t : java.util.List.of(backup, failover, drill)) {
      assertThat(t)
          .contains(
              entry(Keys.TAG_CLUSTER, "prod"),
              entry(Keys.TAG_NAMESPACE, "shop"),
              entry(Keys.TAG_STATEFULSET, "mysql"),
              entry(Keys.TAG_PVC, "data-mysql-1"));
    }
    assertThat(backup)
        .contains(
            entry(Keys.TAG_BACKUP_SET, "S1"),
            entry(Keys.TAG_ORDINAL, "1"),
            entry(Keys.TAG_ZONE, "b"),
            entry("Name", "zoneguard/shop/data-mysql-1/S1"));
    assertThat(failover)
        .contains(
            entry(Keys.TAG_FAILOVER_ID, "fo-1"), entry("Name", "zoneguard/shop/data-mysql-1/fo-1"))
        .doesNotContainKeys(Keys.TAG_BACKUP_SET, Keys.TAG_DRILL_ID);
    assertThat(drill)
        .contains(
            entry(Keys.TAG_DRILL_ID, "dr-1"), entry("Name", "zoneguard/shop/data-mysql-1/dr-1"))
        .doesNotContainKeys(Keys.TAG_BACKUP_SET, Keys.TAG_FAILOVER_ID);
  }

  @Test
  void eachOwnerMapIsIndependentOfTheBuilder() {
    var first = base.failover("fo-1");
    var second = base.zone("a").drill("dr-2");
    assertThat(first).doesNotContainKey(Keys.TAG_ZONE).doesNotContainKey(Keys.TAG_DRILL_ID);
    assertThat(second).containsEntry(Keys.TAG_ZONE, "a");
  }
}
