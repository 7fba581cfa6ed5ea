package io.zoneguard.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.mysql.MariaDbAdmin;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.BinlogServer;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.sim.ReportOnFailure;
import io.zoneguard.testing.sim.Sim;
import io.zoneguard.testing.sim.SimFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code drill run --to-latest} and {@code --to-time} end to end: a binlog-enabled MariaDB of the
 * test's own ({@link BinlogServer}) is backed up (dump to moto S3, snapshots of the simulated
 * StatefulSet's volumes), written to at known instants and archived twice (two segments of its open
 * binlog); drills restore the set into drill volumes (mounted by the simulated kubelets) and into a
 * scratch database on the machine's MariaDB, replay the archive and prove the replay reached the
 * archive's last transaction before the target; the kept scratch databases hold exactly the rows
 * the source had then. A segment deleted from the bucket refuses the drill (exit 3) with nothing
 * created.
 */
@ExtendWith({AwsExtension.class, MariaDbExtension.class})
class DrillPointInTimeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private SimFixture f;

  @RegisterExtension
  final ReportOnFailure report = new ReportOnFailure(() -> f == null ? null : f.sim);

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void replaysToTheNewestArchivedEventAndToATimeAndRefusesAGap(
      AwsBackend aws, ScratchDatabase database) throws Exception {
    scratch = database;
    f = new SimFixture(aws, Sim.seedProperty(5));
    try (BinlogServer server = BinlogServer.start();
        Connection c = server.connect();
        Statement sql = c.createStatement()) {
      sql.execute("CREATE DATABASE shop");
      sql.execute("CREATE TABLE shop.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))");
      insert(sql, 10);
      String firstSet = backUp(server);

      nextSecond();
      insert(sql, 5);
      String gtid15 = query(sql, "SELECT @@gtid_binlog_pos");
      Instant t2 = nextSecond();
      insert(sql, 5);
      archive(server);
      insert(sql, 3);
      String newest = query(sql, "SELECT @@gtid_binlog_pos");
      archive(server);
      assertThat(segments()).as("two segments of the open binlog file").hasSize(4);
      f.sim.phase("drill");

      // to the newest archived transaction: 23 rows, the source's own GTID
      Cli.Result latest = drill("--to-latest", "--keep", "-o", "json");
      assertThat(latest.exit()).as(latest.err() + latest.out()).isZero();
      JsonNode rep = JSON.readTree(latest.out());
      JsonNode replay = rep.get("replay");
      assertThat(rep.get("passed").asBoolean()).isTrue();
      assertThat(replay.get("reached").asBoolean()).isTrue();
      assertThat(replay.get("expectedGtid").asText()).isEqualTo(newest);
      assertThat(replay.get("executedSeq").asLong()).isEqualTo(seq(newest));
      assertThat(replay.get("target").asText()).isEqualTo("GTID " + newest);
      // RPO: the newest archived event's age at the start, not the set's
      assertThat(rep.get("rpoSeconds").asLong())
          .isEqualTo(
              Duration.between(
                      Instant.parse(replay.get("newestArchivedEvent").asText()),
                      Instant.parse(rep.get("startedAt").asText()))
                  .toSeconds());
      // the dump was verified against the manifest before the replay added rows
      assertThat(rep.get("tables").get(0).get("rows").asLong()).isEqualTo(10);
      assertThat(latest.err()).contains("[4/5] replay", "[5/5] cleanup");
      assertThat(rows(rep)).isEqualTo(count(sql)).isEqualTo(23);
      cleanup(rep);

      // to a time between two writes: the 15 rows written before it
      Cli.Result atTime = drill("--to-time", t2.toString(), "--keep");
      assertThat(atTime.exit()).as(atTime.err() + atTime.out()).isZero();
      assertThat(atTime.out())
          .contains("binlog replay to " + t2)
          .contains("archive's last transaction before the target: " + gtid15)
          .contains("REACHED");
      String id = atTime.out().split("\\s+")[1];
      assertThat(rows(id)).isEqualTo(15);
      cleanup(id);

      // bad input: one line, exit 2
      Cli.Result garbage = drill("--to-time", "soon");
      assertThat(garbage.exit()).isEqualTo(2);
      assertThat(garbage.err().strip())
          .isEqualTo(
              "zoneguard: --to-time 'soon' is not an ISO-8601 instant (e.g."
                  + " 2026-11-24T10:15:00Z)");
      Cli.Result both = drill("--to-time", t2.toString(), "--to-latest");
      assertThat(both.exit()).isEqualTo(2);
      assertThat(both.err().strip())
          .isEqualTo("zoneguard: give --to-time or --to-latest, not both");

      // a quiet server: a newer set, then only a new binlog file without transactions archived:
      // nothing after the set to replay, and the drill says so instead of refusing
      backUp(server);
      sql.execute("FLUSH BINARY LOGS");
      archive(server);
      Cli.Result quiet = drill("--to-latest", "-o", "json");
      assertThat(quiet.exit()).as(quiet.err() + quiet.out()).isZero();
      JsonNode q = JSON.readTree(quiet.out());
      assertThat(q.get("replay").get("reached").asBoolean()).isTrue();
      assertThat(q.get("replay").get("expectedGtid").isNull()).isTrue();
      assertThat(q.get("replay").get("files")).isEmpty();
      assertThat(q.get("replay").get("executedSeq").asLong()).isZero();
      assertThat(quiet.err())
          .contains(
              "executed through sequence 0; the archive's last transaction before GTID "
                  + newest
                  + ": none after the set");
      assertThat(q.get("tables").get(0).get("rows").asLong()).isEqualTo(23);

      // a gap: the first segment gone from the bucket; refused before anything is created
      List<String> first =
          segments().stream()
              .filter(k -> k.contains("/binlog.000001/00000000000000000000-"))
              .toList();
      assertThat(first).hasSize(2);
      first.forEach(k -> f.aws.s3().deleteObject(b -> b.bucket(f.bucket).key(k)));
      List<String> dbsBefore = admin(scratch).databases();
      Cli.Result gap = drill("--to-latest", "--set", firstSet);
      assertThat(gap.exit()).as(gap.err() + gap.out()).isEqualTo(3);
      assertThat(gap.err().strip())
          .contains("the transactions between are not archived")
          .doesNotContain("\n");
      assertThat(gap.out()).isEmpty();
      assertThat(admin(scratch).databases()).isEqualTo(dbsBefore);
      assertThat(
              f.sim.kube().namespaces().list().getItems().stream()
                  .map(n -> n.getMetadata().getName())
                  .filter(n -> n.startsWith("zoneguard-drill-")))
          .isEmpty();
      assertThat(
              f.aws
                  .ec2()
                  .describeVolumes(
                      r -> r.filters(x -> x.name("tag-key").values("zoneguard.io/drill-id")))
                  .volumes())
          .as("no drill volume created")
          .isEmpty();
    } finally {
      dropDrillDatabases(scratch);
    }
  }

  private ScratchDatabase scratch;

  private Cli.Result drill(String... extra) {
    return f.drill(scratch, extra);
  }

  /** A set of the binlog server's database shop; its id. */
  private String backUp(BinlogServer server) throws Exception {
    Cli.Result backup =
        f.backUp(
            new ScratchDatabase("127.0.0.1", server.endpoint().port(), "root", "shop"),
            "--no-checksums",
            "-o",
            "json");
    return JSON.readTree(backup.out()).get("setId").asText();
  }

  private void archive(BinlogServer server) {
    Cli.Result archive =
        f.cli(
            "mysql", server.with("binlog", "archive", "--interval", "300ms", "--stop-after", "3s"));
    assertThat(archive.exit()).as(archive.err()).isZero();
  }

  /** The binlog archive's object keys (data and index). */
  private List<String> segments() {
    return f.aws.s3().listObjectsV2(b -> b.bucket(f.bucket)).contents().stream()
        .map(o -> o.key())
        .filter(k -> k.contains("/_binlog/"))
        .toList();
  }

  private void cleanup(JsonNode rep) {
    cleanup(rep.get("drillId").asText());
  }

  private void cleanup(String id) {
    Cli.Result clean = f.drillCleanup(scratch, id);
    assertThat(clean.exit()).as(clean.err()).isZero();
  }

  private int rows(JsonNode rep) throws Exception {
    return rows(rep.get("drillId").asText());
  }

  /** Rows of the kept drill's scratch copy of shop.t. */
  private int rows(String id) throws Exception {
    String db = "shop_zgdrill_" + id.substring(3).replace("-", "");
    try (Connection c = DriverManager.getConnection(scratch.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + db + ".t")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static int count(Statement sql) throws Exception {
    return Integer.parseInt(query(sql, "SELECT COUNT(*) FROM shop.t"));
  }

  private static long seq(String gtid) {
    return Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1));
  }

  private static MariaDbAdmin admin(ScratchDatabase db) {
    return new MariaDbAdmin(new DatabaseEndpoint(db.host(), db.port(), db.user(), null));
  }

  private static void dropDrillDatabases(ScratchDatabase db) {
    MariaDbAdmin a = admin(db);
    a.databases().stream().filter(d -> d.startsWith("shop_zgdrill_")).forEach(a::dropDrillDatabase);
  }

  private static String query(Statement sql, String q) throws Exception {
    try (ResultSet rs = sql.executeQuery(q)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Waits into the next second and returns its start: binlog events carry whole seconds. */
  private static Instant nextSecond() throws InterruptedException {
    Instant now = Instant.now();
    Instant next = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    Thread.sleep(Duration.between(now, next).toMillis() + 50);
    return next;
  }

  private static void insert(Statement sql, int rows) throws Exception {
    for (int i = 0; i < rows; i++) {
      sql.execute("INSERT INTO shop.t (v) VALUES ('row')");
    }
  }
}
