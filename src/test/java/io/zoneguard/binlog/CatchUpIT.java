package io.zoneguard.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.BinlogServer;
import io.zoneguard.testing.Cli;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code binlog catch-up} end to end on two real MariaDB servers with binary logging: the source
 * (server 1) is archived by {@code binlog archive}; the "restored replica" (server 2) is a real
 * replica of it, stopped at the backup set's GTID as a replica restored from that set's EBS
 * snapshot is, read_only and gtid_strict_mode on as replicas run. Catch-up brings it to a GTID,
 * then to the newest archived transaction (same rows and checksum as the source), a second run
 * applies nothing, and replication started afterwards continues without applying anything twice. A
 * server that is replicating, ahead of the archive, or has another history is refused with nothing
 * written; bad input is a one-line usage error.
 */
@ExtendWith({AwsExtension.class, BackupFixtureExtension.class})
class CatchUpIT {

  @Test
  void bringsARestoredReplicaToTheArchiveOnceAndRefusesWhatItCannotProve(BackupFixture f)
      throws Exception {
    try (BinlogServer source = BinlogServer.start(1);
        BinlogServer replica = BinlogServer.start(2);
        Connection sc = source.connect();
        Statement src = sc.createStatement();
        Connection rc = replica.connect();
        Statement rep = rc.createStatement()) {
      String setGtid = tenRowsAndABackup(f, source, src);
      rep.execute(
          "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT="
              + source.endpoint().port()
              + ", MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos");
      rep.execute("START SLAVE");
      awaitReplicated(rep, value(src, "SELECT @@gtid_binlog_pos"));
      rep.execute("STOP SLAVE");
      rep.execute("SET GLOBAL read_only = ON");
      rep.execute("SET GLOBAL gtid_strict_mode = ON");
      assertThat(value(rep, "SELECT @@gtid_slave_pos"))
          .as("the restored replica holds exactly the set's data")
          .isEqualTo(setGtid);
      assertThat(value(rep, "SELECT @@gtid_current_pos")).isEqualTo(setGtid);

      insert(src, 5);
      String mid = value(src, "SELECT @@gtid_binlog_pos");
      insert(src, 5);
      src.execute("UPDATE shop.t SET v = CONCAT(v, '-changed') WHERE id % 3 = 0");
      src.execute("DELETE FROM shop.t WHERE id = 4");
      String newest = value(src, "SELECT @@gtid_binlog_pos");
      archive(f, source);
      int missing = (int) (seq(newest) - seq(setGtid));

      // a replication thread running (here one whose primary is gone, as after a zone loss)
      rep.execute(
          "CHANGE MASTER 'gone' TO MASTER_HOST='127.0.0.1', MASTER_PORT=1, MASTER_USER='root',"
              + " MASTER_CONNECT_RETRY=60");
      rep.execute("START SLAVE 'gone'");
      Cli.Result replicating = catchUp(f, replica);
      assertThat(replicating.exit()).as(replicating.err()).isEqualTo(3);
      assertThat(replicating.err().strip())
          .contains("is replicating (connection 'gone'")
          .contains("STOP ALL SLAVES")
          .doesNotContain("\n");
      assertThat(count(rep)).as("refused: nothing written").isEqualTo(10);
      rep.execute("STOP SLAVE 'gone'");
      rep.execute("RESET SLAVE 'gone' ALL");

      Cli.Result dry = catchUp(f, replica, "--dry-run");
      assertThat(dry.exit()).as(dry.err()).isZero();
      assertThat(dry.out())
          .contains("would replay " + missing + " transactions")
          .contains(setGtid + " (gtid_slave_pos) -> " + newest);
      assertThat(count(rep)).as("dry run: nothing written").isEqualTo(10);

      // an account without READ ONLY ADMIN cannot write to the read-only replica (SUPER alone no
      // longer can in 10.11): the first transaction fails, nothing is applied
      rep.execute("SET SESSION sql_log_bin = 0"); // keep the replica's own history clean
      rep.execute("CREATE USER 'catcher'@'%' IDENTIFIED BY 'not-on-argv'");
      rep.execute(
          "GRANT SUPER, BINLOG REPLAY, REPLICA MONITOR, REPLICATION SLAVE ADMIN ON *.* TO"
              + " 'catcher'@'%'");
      rep.execute("GRANT ALL ON shop.* TO 'catcher'@'%'");
      rep.execute("SET SESSION sql_log_bin = 1");
      java.util.Map<String, String> asCatcher = new java.util.HashMap<>(f.env);
      asCatcher.put("MYSQL_PWD", "not-on-argv");
      List<String> args = new ArrayList<>(List.of(replica.on(f.namespace(), "binlog", "catch-up")));
      args.addAll(List.of("--db-user", "catcher"));
      Cli.Result readOnly = Cli.run(asCatcher, args.toArray(String[]::new));
      assertThat(readOnly.exit()).as(readOnly.err()).isEqualTo(1);
      assertThat(readOnly.err().strip()).contains("--read-only").doesNotContain("not-on-argv");
      assertThat(count(rep)).as("nothing applied").isEqualTo(10);
      assertThat(value(rep, "SELECT @@gtid_slave_pos")).isEqualTo(setGtid);

      // an account that cannot read SHOW ALL SLAVES STATUS: refused unless the user vouches
      rep.execute("SET SESSION sql_log_bin = 0");
      // (SUPER or REPLICA MONITOR may read it: this account has neither, and shows that
      // BINLOG REPLAY, READ ONLY ADMIN and REPLICATION SLAVE ADMIN are enough to replay)
      rep.execute("REVOKE SUPER, REPLICA MONITOR ON *.* FROM 'catcher'@'%'");
      rep.execute("GRANT READ ONLY ADMIN ON *.* TO 'catcher'@'%'");
      rep.execute("SET SESSION sql_log_bin = 1");
      Cli.Result unknown = Cli.run(asCatcher, args.toArray(String[]::new));
      assertThat(unknown.exit()).as(unknown.err()).isEqualTo(3);
      assertThat(unknown.err()).contains("cannot read the replication status");
      args.addAll(List.of("--replication-stopped", "--to-gtid", mid));
      Cli.Result partial = Cli.run(asCatcher, args.toArray(String[]::new));
      assertThat(partial.exit()).as(partial.err()).isZero();
      assertThat(partial.out()).contains("replayed 5 transactions").contains("-> " + mid);
      assertThat(count(rep)).isEqualTo(15);
      assertThat(value(rep, "SELECT @@gtid_slave_pos")).isEqualTo(mid);

      Cli.Result full = catchUp(f, replica, "-o", "json");
      assertThat(full.exit()).as(full.err()).isZero();
      assertThat(full.out())
          .contains("\"fromGtid\" : \"" + mid + "\"")
          .contains("\"toGtid\" : \"" + newest + "\"")
          .contains("\"transactions\" : " + (missing - 5) + ",")
          .contains("\"positionAfter\" : \"" + newest + "\"")
          .contains("\"slavePosSet\" : true")
          .contains("\"readOnly\" : true");
      assertThat(count(rep)).isEqualTo(count(src)).isEqualTo(19);
      assertThat(checksum(rep)).as("same data as the source").isEqualTo(checksum(src));
      assertThat(value(rep, "SELECT @@gtid_slave_pos")).isEqualTo(newest);
      assertThat(value(rep, "SELECT @@gtid_binlog_pos"))
          .as("replayed with the source's GTIDs")
          .isEqualTo(newest);

      Cli.Result again = catchUp(f, replica);
      assertThat(again.exit()).as(again.err()).isZero();
      assertThat(again.out()).startsWith("nothing to apply");
      assertThat(count(rep)).isEqualTo(19);

      // replication resumes after what was replayed: nothing applied twice (strict mode and the
      // primary key would stop the SQL thread), the new row arrives
      insert(src, 1);
      rep.execute("START SLAVE");
      awaitReplicated(rep, value(src, "SELECT @@gtid_binlog_pos"));
      rep.execute("STOP SLAVE");
      assertThat(checksum(rep)).isEqualTo(checksum(src));

      // the replica now holds a transaction the archive does not: ahead of it, refused
      Cli.Result ahead = catchUp(f, replica);
      assertThat(ahead.exit()).as(ahead.err()).isEqualTo(3);
      assertThat(ahead.err()).contains("the server is ahead of the binlog archive");
      archive(f, source);
      assertThat(catchUp(f, replica).out()).startsWith("nothing to apply");

      // an errant local write: the replica's history is no longer the archive's
      rep.execute("INSERT INTO shop.t (v) VALUES ('errant')");
      insert(src, 2);
      archive(f, source);
      int before = count(rep);
      Cli.Result other = catchUp(f, replica);
      assertThat(other.exit()).as(other.err()).isEqualTo(3);
      assertThat(other.err().strip())
          .contains("is not in the binlog archive")
          .contains("another history")
          .doesNotContain("\n");
      assertThat(count(rep)).as("refused: nothing written").isEqualTo(before);

      // bad input: one line, exit 2
      Cli.Result notAGtid = catchUp(f, replica, "--to-gtid", "banana");
      assertThat(notAGtid.exit()).isEqualTo(2);
      assertThat(notAGtid.err().strip())
          .isEqualTo("zoneguard: not a GTID (domain-server-sequence): 'banana'");
      Cli.Result both =
          catchUp(f, replica, "--to-gtid", "0-1-1", "--to-time", "2026-01-01T00:00:00Z");
      assertThat(both.exit()).isEqualTo(2);
      assertThat(both.err().strip()).isEqualTo("zoneguard: give --to-time or --to-gtid, not both");
      Cli.Result noHost =
          Cli.run(f.env, "binlog", "catch-up", "-n", f.namespace(), "--statefulset", "mysql");
      assertThat(noHost.exit()).isEqualTo(2);
      assertThat(noHost.err().strip())
          .isEqualTo(
              "zoneguard: --db-host is required: catch-up never guesses which server to write into");
      assertThat(count(rep)).isEqualTo(before);
    }
  }

  /**
   * A server loaded by {@code restore} holds the set's rows but its own GTIDs (the load wrote
   * them): catch-up refuses it as another history; given the set's position as runbooks/restore.md
   * says, it catches up to the source.
   */
  @Test
  void aServerLoadedFromTheSetCatchesUpOnceGivenTheSetsPosition(BackupFixture f) throws Exception {
    try (BinlogServer source = BinlogServer.start(1);
        BinlogServer loaded = BinlogServer.start(3);
        Connection sc = source.connect();
        Statement src = sc.createStatement();
        Connection lc = loaded.connect();
        Statement dst = lc.createStatement()) {
      String setGtid = tenRowsAndABackup(f, source, src);
      insert(src, 3);
      java.time.Instant between = BinlogServer.nextSecond();
      insert(src, 4);
      archive(f, source);
      Cli.Result restore = Cli.run(f.env, loaded.on(f.namespace(), "restore"));
      assertThat(restore.exit()).as(restore.err()).isZero();
      assertThat(count(dst)).isEqualTo(10);

      Cli.Result refused = catchUp(f, loaded);
      assertThat(refused.exit()).as(refused.err()).isEqualTo(3);
      assertThat(refused.err()).contains("(gtid_binlog_pos) is not in the binlog archive");
      assertThat(count(dst)).isEqualTo(10);

      dst.execute("RESET MASTER");
      dst.execute("SET GLOBAL gtid_slave_pos = '" + setGtid + "'");
      // an altered archive replays nothing: every segment's SHA-256 is checked first
      java.util.Map<String, byte[]> originals = alterArchive(f);
      Cli.Result altered = catchUp(f, loaded);
      assertThat(altered.exit()).as(altered.err()).isEqualTo(1);
      assertThat(altered.err().strip())
          .contains("the object is corrupted or was altered; nothing was replayed")
          .doesNotContain("\n");
      assertThat(count(dst)).isEqualTo(10);
      originals.forEach(
          (key, bytes) ->
              f.aws
                  .s3()
                  .putObject(
                      b -> b.bucket(f.bucket).key(key),
                      software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes)));
      // to an instant: the events before it
      Cli.Result toTime = catchUp(f, loaded, "--to-time", between.toString());
      assertThat(toTime.exit()).as(toTime.err()).isZero();
      assertThat(toTime.out()).contains("replayed 3 transactions");
      assertThat(count(dst)).isEqualTo(13);
      Cli.Result r = catchUp(f, loaded);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("replayed 4 transactions");
      assertThat(count(dst)).isEqualTo(17);
      assertThat(checksum(dst)).isEqualTo(checksum(src));
      assertThat(catchUp(f, loaded).out()).startsWith("nothing to apply");
    }
  }

  /** shop.t with ten rows on {@code source}, then a backup set of it; returns the set's GTID. */
  private static String tenRowsAndABackup(BackupFixture f, BinlogServer source, Statement src)
      throws Exception {
    src.execute("CREATE DATABASE shop");
    src.execute("CREATE TABLE shop.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))");
    insert(src, 10);
    Cli.Result backup = source.backup(f.env, f.namespace());
    assertThat(backup.exit()).as(backup.err()).isZero();
    String setGtid =
        BinlogServer.store(f.aws, f.bucket)
            .list(f.namespace(), "mysql")
            .get(0)
            .manifest()
            .binlog()
            .gtid();
    assertThat(setGtid).isEqualTo(value(src, "SELECT @@gtid_binlog_pos"));
    return setGtid;
  }

  /** Flips the last byte of every archived segment; returns the originals by key. */
  private static java.util.Map<String, byte[]> alterArchive(BackupFixture f) {
    java.util.Map<String, byte[]> originals = new java.util.HashMap<>();
    for (var o : f.aws.s3().listObjectsV2Paginator(b -> b.bucket(f.bucket)).contents()) {
      if (o.key().contains("/_binlog/") && o.key().endsWith(".bin")) {
        byte[] data =
            f.aws.s3().getObjectAsBytes(b -> b.bucket(f.bucket).key(o.key())).asByteArray();
        originals.put(o.key(), data);
        byte[] changed = data.clone();
        changed[changed.length - 1] ^= 1;
        f.aws
            .s3()
            .putObject(
                b -> b.bucket(f.bucket).key(o.key()),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(changed));
      }
    }
    assertThat(originals).isNotEmpty();
    return originals;
  }

  private static void archive(BackupFixture f, BinlogServer source) throws Exception {
    Cli.Result r = source.archive(f.env, f.namespace());
    assertThat(r.exit()).as(r.err()).isZero();
  }

  private static Cli.Result catchUp(BackupFixture f, BinlogServer server, String... extra) {
    List<String> args = new ArrayList<>(List.of(server.on(f.namespace(), "binlog", "catch-up")));
    args.addAll(List.of(extra));
    return Cli.run(f.env, args.toArray(String[]::new));
  }

  /** Waits until the replica's SQL thread applied {@code gtid}; fails on a replication error. */
  private static void awaitReplicated(Statement rep, String gtid) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!gtid.equals(value(rep, "SELECT @@gtid_slave_pos"))) {
      try (ResultSet r = rep.executeQuery("SHOW SLAVE STATUS")) {
        if (r.next()) {
          assertThat(r.getString("Last_SQL_Error")).as("replication error").isEmpty();
          assertThat(r.getString("Last_IO_Error")).as("replication error").isEmpty();
        }
      }
      assertThat(System.nanoTime()).as("replica reaches " + gtid).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static long seq(String gtid) {
    return Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1));
  }

  private static String value(Statement s, String query) throws Exception {
    try (ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getString(1);
    }
  }

  private static int count(Statement s) throws Exception {
    return Integer.parseInt(value(s, "SELECT COUNT(*) FROM shop.t"));
  }

  private static String checksum(Statement s) throws Exception {
    try (ResultSet r = s.executeQuery("CHECKSUM TABLE shop.t")) {
      r.next();
      return r.getString(2);
    }
  }

  private static void insert(Statement sql, int rows) throws Exception {
    for (int i = 0; i < rows; i++) {
      sql.execute("INSERT INTO shop.t (v) VALUES ('row')");
    }
  }
}
