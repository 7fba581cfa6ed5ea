package io.zoneguard.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.Secret;
import io.zoneguard.domain.TableStats;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MariaDbExtension.class)
class MariaDbAdminIT {

  private static MariaDbAdmin admin(ScratchDatabase db) {
    return new MariaDbAdmin(new DatabaseEndpoint(db.host(), db.port(), db.user(), Secret.empty()));
  }

  @Test
  void readsServerFlavourAndBinlogState(ScratchDatabase db) {
    var info = admin(db).serverInfo();
    assertThat(info.mariaDb()).isTrue();
    assertThat(info.version()).contains("MariaDB");
    // the local server runs without --log-bin: the option must be left out, not fail mysqldump
    assertThat(info.binlogEnabled()).isFalse();
    assertThat(info.binlogPositionOption()).isNull();
  }

  @Test
  void countsRowsAndChecksumsEveryTableAndSeesEngines(ScratchDatabase db) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2)) ENGINE=InnoDB");
      s.execute("INSERT INTO orders VALUES (1, 9.99), (2, 19.50), (3, 0.01)");
      s.execute("CREATE TABLE `odd``name` (v VARCHAR(10)) ENGINE=MyISAM");
      s.execute("INSERT INTO `odd``name` VALUES ('x')");
      s.execute("CREATE VIEW v_orders AS SELECT * FROM orders");
    }

    List<TableStats> stats = admin(db).tableStats(db.name(), true);

    assertThat(stats).extracting(TableStats::table).containsExactly("odd`name", "orders");
    assertThat(stats).extracting(TableStats::rows).containsExactly(1L, 3L);
    assertThat(stats).extracting(TableStats::engine).containsExactly("MyISAM", "InnoDB");
    assertThat(stats).allSatisfy(t -> assertThat(t.checksum()).isNotNull().isNotZero());
    assertThat(admin(db).databases()).contains(db.name()).doesNotContain("mysql");
    // the backup's checksums, in one statement without the counts: the same values
    assertThat(admin(db).tableChecksums(db.name()))
        .containsExactly(
            Map.entry("odd`name", stats.get(0).checksum()),
            Map.entry("orders", stats.get(1).checksum()));

    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("UPDATE orders SET total = 20.00 WHERE id = 2");
    }
    assertThat(admin(db).tableStats(db.name(), true).get(1).checksum())
        .isNotEqualTo(stats.get(1).checksum());
  }

  @Test
  void wrongPasswordFailsWithoutRevealingIt(ScratchDatabase db) {
    MariaDbAdmin wrong =
        new MariaDbAdmin(
            new DatabaseEndpoint(db.host(), db.port(), "zg_nobody", Secret.of("s3cr3t-pw")));
    assertThatThrownBy(wrong::serverInfo)
        .hasMessageStartingWith("cannot connect to database zg_nobody@")
        .hasMessageNotContaining("s3cr3t-pw")
        .hasMessageNotContaining("\n");
  }
}
