package io.zoneguard.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.BinlogServer;
import io.zoneguard.testing.Cli;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code restore --to-time} end to end: a backup set of a binlog-enabled server, rows written after
 * it in three seconds apart, the binary logs archived by {@code binlog archive}; restoring to each
 * of three points in time into the machine's other MariaDB gives exactly the rows written before
 * that point. Bad targets are refused before anything is written.
 */
@ExtendWith({AwsExtension.class, BackupFixtureExtension.class})
class PointInTimeRestoreIT {
  private static final String TARGET_URL = "jdbc:mariadb://127.0.0.1:3306/?user=root&password=";

  @Test
  void restoresToThreePointsInTimeAndRefusesTargetsItCannotProve(BackupFixture f) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    List<String> created = new ArrayList<>();
    try (BinlogServer server = BinlogServer.start();
        Connection c = server.connect();
        Statement sql = c.createStatement();
        Connection target = DriverManager.getConnection(TARGET_URL);
        Statement check = target.createStatement()) {
      sql.execute("CREATE DATABASE shop");
      sql.execute("CREATE TABLE shop.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))");
      insert(sql, 10);
      Cli.Result backup =
          onServer(f, server, "backup", "run", "--database", "shop", "--no-checksums");
      assertThat(backup.exit()).as(backup.err()).isZero();

      Instant t0 = BinlogServer.nextSecond();
      insert(sql, 5);
      String afterB = gtid(sql);
      Instant t1 = BinlogServer.nextSecond();
      insert(sql, 5);
      Instant t2 = BinlogServer.nextSecond();
      insert(sql, 5);
      sql.execute("FLUSH BINARY LOGS");
      Cli.Result archive =
          onServer(f, server, "binlog", "archive", "--interval", "300ms", "--stop-after", "3s");
      assertThat(archive.exit()).as(archive.err()).isZero();
      // retention keeps every file a replay from the only set needs
      Cli.Result prune =
          Cli.run(
              f.env,
              "prune",
              "-n",
              f.namespace(),
              "--statefulset",
              "mysql",
              "--dry-run",
              "-o",
              "json");
      assertThat(prune.exit()).as(prune.err()).isZero();
      assertThat(prune.out()).contains("\"binlogFilesDeleted\" : [ ]");
      Cli.Result list =
          Cli.run(f.env, "backup", "list", "-n", f.namespace(), "--statefulset", "mysql");
      assertThat(list.out())
          .as("backup list shows the archive's window")
          .containsPattern("binlog archive \\(server 1\\): \\S+ \\.\\. \\S+, \\d+ file\\(s\\)");

      int[] expected = {10, 15, 20};
      Instant[] points = {t0, t1, t2};
      for (int i = 0; i < points.length; i++) {
        String db = "shop_pitr_" + suffix + "_" + i;
        created.add(db);
        Cli.Result r = restore(f, points[i].toString(), db);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("replayed").contains("binlog.000001");
        try (ResultSet rs = check.executeQuery("SELECT COUNT(*) FROM " + db + ".t")) {
          rs.next();
          assertThat(rs.getInt(1)).as("rows at %s", points[i]).isEqualTo(expected[i]);
        }
      }

      // to a transaction: the 15th row's GTID, inclusive
      String byGtid = "shop_pitr_" + suffix + "_gtid";
      created.add(byGtid);
      Cli.Result r = restore(f, null, byGtid, "--to-gtid", afterB);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("reached " + afterB + ", the archive's last transaction before the target");
      try (ResultSet rs = check.executeQuery("SELECT COUNT(*) FROM " + byGtid + ".t")) {
        rs.next();
        assertThat(rs.getInt(1)).as("rows up to GTID %s", afterB).isEqualTo(15);
      }

      // a decoder that stops early yet exits 0 (as the --database filter once did: the first run
      // of this test replayed nothing) leaves the database short of the target: the restore
      // checks what the session executed against the archive, says so and fails
      java.nio.file.Path early = java.nio.file.Files.createTempFile("zg-early-decoder", ".sh");
      java.nio.file.Files.writeString(
          early,
          "#!/bin/sh\nmariadb-binlog --stop-datetime='2000-01-01 00:00:00' \"$@\"\nexit 0\n");
      early.toFile().setExecutable(true);
      String shortDb = byGtid + "_short";
      created.add(shortDb);
      Cli.Result stopped =
          restore(f, null, shortDb, "--to-gtid", afterB, "--mariadb-binlog", early.toString());
      java.nio.file.Files.delete(early);
      assertThat(stopped.exit()).as(stopped.out() + stopped.err()).isEqualTo(1);
      assertThat(stopped.err().strip())
          .startsWith("zoneguard: the replay executed through ")
          .contains("but the archive's last transaction before")
          .contains(afterB)
          .doesNotContain("\n");
      Cli.Result notArchived = restore(f, null, byGtid + "x", "--to-gtid", "0-1-999999");
      assertThat(notArchived.exit()).isEqualTo(3);
      assertThat(notArchived.err()).contains("GTID 0-1-999999 is not in the binlog archive");

      // after the newest archived event, and before the oldest set: refused, nothing written
      String late = "shop_pitr_" + suffix + "_late";
      Cli.Result tooLate = restore(f, Instant.now().plus(1, ChronoUnit.HOURS).toString(), late);
      assertThat(tooLate.exit()).isEqualTo(3);
      assertThat(tooLate.err().strip())
          .contains("is after the newest archived event")
          .doesNotContain("\n");
      Cli.Result tooEarly = restore(f, "2001-01-01T00:00:00Z", late);
      assertThat(tooEarly.exit()).isEqualTo(3);
      assertThat(tooEarly.err()).contains("is before the oldest complete backup set");
      try (ResultSet rs =
          check.executeQuery(
              "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '"
                  + late
                  + "'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("a refused restore creates nothing").isZero();
      }
      Cli.Result notATime = restore(f, "yesterday", late);
      assertThat(notATime.exit()).isEqualTo(2);
      assertThat(notATime.err().strip())
          .isEqualTo(
              "zoneguard: --to-time 'yesterday' is not an ISO-8601 instant (e.g."
                  + " 2026-11-24T10:15:00Z)");
    } finally {
      try (Connection target = DriverManager.getConnection(TARGET_URL);
          Statement s = target.createStatement()) {
        for (String db : created) {
          s.execute("DROP DATABASE IF EXISTS " + db);
        }
      }
    }
  }

  /** {@code command} on StatefulSet mysql of the fixture, reading from the binlog server. */
  private static Cli.Result onServer(BackupFixture f, BinlogServer server, String... command) {
    return Cli.run(f.env, server.on(f.namespace(), command));
  }

  private static Cli.Result restore(BackupFixture f, String at, String db) {
    return restore(f, at, db, new String[0]);
  }

  private static Cli.Result restore(BackupFixture f, String at, String db, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "restore",
                "-n",
                f.namespace(),
                "--statefulset",
                "mysql",
                "--db-host",
                "127.0.0.1",
                "--db-port",
                "3306",
                "--rename",
                "shop=" + db));
    if (at != null) {
      args.addAll(List.of("--to-time", at));
    }
    args.addAll(List.of(extra));
    return Cli.run(f.env, args.toArray(String[]::new));
  }

  private static String gtid(Statement sql) throws Exception {
    try (ResultSet rs = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void insert(Statement sql, int rows) throws Exception {
    for (int i = 0; i < rows; i++) {
      sql.execute("INSERT INTO shop.t (v) VALUES ('row')");
    }
  }
}
