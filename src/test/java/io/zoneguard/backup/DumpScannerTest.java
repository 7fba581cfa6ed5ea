package io.zoneguard.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DumpScannerTest {
  private static final String DUMP =
      """
      -- MariaDB dump 10.19
      --
      -- CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000003', MASTER_LOG_POS=1234;
      -- SET GLOBAL gtid_slave_pos='0-1-42';
      CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;
      USE `shop`;
      DROP TABLE IF EXISTS `orders`;
      CREATE TABLE `orders` (
        `id` int(11) NOT NULL,
        `note` varchar(100)
      ) ENGINE=InnoDB;
      INSERT INTO `orders` VALUES (1,'a (tricky) one'),(2,'it\\'s \\\\ (x'),(3,NULL);
      INSERT INTO `orders` VALUES (4,'line\\nbreak),('),(5,')');
      INSERT INTO `odd``name` VALUES (0x28FF29),(0x00);
      USE `crm`;
      INSERT INTO `orders` VALUES (1,'other db');
      INSERT INTO `orders` VALUES
      (2,'mariadb 10.11 style; with semicolon'),
      (3,'x');
      -- Dump completed on 2026-11-23 10:00:00
      """;

  private static DumpScanner scan(String text, int chunk) {
    DumpScanner s = new DumpScanner();
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i += chunk) {
      s.update(b, i, Math.min(chunk, b.length - i));
    }
    return s;
  }

  @Test
  void countsTuplesPerTableIgnoringParenthesesAndQuotesInsideStrings() {
    for (int chunk : new int[] {1, 7, 4096}) {
      DumpScanner s = scan(DUMP, chunk);
      assertThat(s.rowCounts())
          .as("chunk %d", chunk)
          .containsOnly(
              java.util.Map.entry("shop.orders", 5L),
              java.util.Map.entry("shop.odd`name", 2L),
              java.util.Map.entry("crm.orders", 3L));
      assertThat(s.binlogFile()).isEqualTo("mysql-bin.000003");
      assertThat(s.binlogPosition()).isEqualTo(1234L);
      assertThat(s.gtid()).isEqualTo("0-1-42");
      assertThat(s.completed()).isTrue();
    }
  }

  @Test
  void mysql8SourceDataSyntaxIsUnderstood() {
    DumpScanner s =
        scan(
            "-- CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000002', SOURCE_LOG_POS=157;\n",
            5);
    assertThat(s.binlogFile()).isEqualTo("binlog.000002");
    assertThat(s.binlogPosition()).isEqualTo(157L);
  }

  @Test
  void pastLocksFiresOnceAtTheFirstDatabaseNotDuringTheHeader() {
    int[] fired = new int[1];
    DumpScanner s = new DumpScanner();
    s.whenPastLocks(() -> fired[0]++);
    byte[] b = DUMP.getBytes(StandardCharsets.UTF_8);
    int firstUse = DUMP.indexOf("USE `shop`;\n") + "USE `shop`;\n".length();
    // the header (binlog position written under mysqldump's lock) and CREATE DATABASE: not yet
    s.update(b, 0, firstUse - 1);
    assertThat(fired[0]).isZero();
    s.update(b, firstUse - 1, b.length - firstUse + 1);
    assertThat(fired[0]).as("once, though a second database follows").isEqualTo(1);
  }

  @Test
  void truncatedDumpIsNotCompleted() {
    String cut = DUMP.substring(0, DUMP.indexOf("-- Dump completed"));
    assertThat(scan(cut, 100).completed()).isFalse();
  }

  @Test
  void renamerRewritesOnlyCreateAndUseOfNamedDatabases() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    DatabaseRenamer.copy(
        new java.io.ByteArrayInputStream(DUMP.getBytes(StandardCharsets.UTF_8)),
        out,
        java.util.Map.of("shop", "shop_drill"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop_drill` /*!40100")
        .contains("USE `shop_drill`;\n")
        .contains("USE `crm`;\n")
        .contains("INSERT INTO `orders` VALUES (1,'a (tricky) one')");
    assertThat(text.length()).isEqualTo(DUMP.length() + 2 * "_drill".length());
  }
}
