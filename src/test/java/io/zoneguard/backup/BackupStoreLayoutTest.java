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

  /**
   * Binlog segments live outside every StatefulSet's set prefix: a listing of sets (and so
   * retention) never sees them; their key alone names server, file, range and whether it closed.
   */
  @Test
  void binlogKeysSayTheirRangeAndStayOutOfTheSets() {
    var r = new io.zoneguard.domain.BinlogSegment.Range(7, "binlog.000042", 4, 1178, true);
    String index = layout.binlogIndexKey("shop", "mysql", r);
    assertThat(index)
        .isEqualTo(
            "zoneguard/prod-eks/_binlog/shop/mysql/7/binlog.000042/"
                + "00000000000000000004-00000000000000001178-closed.json");
    assertThat(layout.binlogDataKey("shop", "mysql", r)).endsWith("-closed.bin");
    assertThat(layout.binlogRangeOf("shop", "mysql", index)).isEqualTo(r);
    assertThat(layout.binlogRangeOf("shop", "other", index)).isNull();
    assertThat(layout.binlogRangeOf("shop", "mysql", layout.binlogDataKey("shop", "mysql", r)))
        .isNull();
    assertThat(index).doesNotStartWith(layout.statefulSetPrefix("shop", "mysql"));
    assertThat(layout.setIdOf("shop", "mysql", index)).isNull();
  }
}
