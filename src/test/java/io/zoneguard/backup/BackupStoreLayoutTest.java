package io.zoneguard.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackupStoreLayoutTest {
  private final BackupStoreLayout layout = new BackupStoreLayout("zoneguard", "prod-eks");

  @Test
  void keysFollowTheDesignedLayout() {
    assertThat(layout.dumpKey("shop", "mysql", "20261123T101500Z-ab12", "mysql-0"))
        .isEqualTo("zoneguard/prod-eks/shop/mysql/20261123T101500Z-ab12/dump-mysql-0.sql.zst");
    assertThat(layout.manifestKey("shop", "mysql", "20261123T101500Z-ab12"))
        .isEqualTo("zoneguard/prod-eks/shop/mysql/20261123T101500Z-ab12/manifest.json");
  }

  @Test
  void setIdIsRecoveredFromAnyKeyOfTheSet() {
    String key = layout.manifestKey("shop", "mysql", "S1");
    assertThat(layout.setIdOf("shop", "mysql", key)).isEqualTo("S1");
    assertThat(layout.setIdOf("shop", "other", key)).isNull();
    assertThat(layout.setIdOf("shop", "mysql", "zoneguard/prod-eks/shop/mysql/loose")).isNull();
  }

  @Test
  void segmentsThatWouldEscapeTheirFolderAreRejected() {
    assertThatThrownBy(() -> layout.dumpKey("shop", "mysql", "../x", "mysql-0"))
        .hasMessageContaining("backup set id");
    assertThatThrownBy(() -> layout.statefulSetPrefix("a/b", "mysql"))
        .hasMessageContaining("namespace");
  }
}
