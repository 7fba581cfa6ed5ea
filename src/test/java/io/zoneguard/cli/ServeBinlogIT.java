package io.zoneguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.server.ServeRuntime;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.BinlogServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with {@code binlog.enabled}: the leader archives the server's binary logs while
 * rows are written and exports the binlog metrics; a second serve after the first stopped continues
 * the same archive without a gap or an overlap.
 */
@ExtendWith({AwsExtension.class, BackupFixtureExtension.class})
class ServeBinlogIT {
  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theLeaderArchivesBinlogsAndAnotherServeContinuesTheArchive(BackupFixture f)
      throws Exception {
    try (BinlogServer server = BinlogServer.start();
        Connection c = server.connect();
        Statement sql = c.createStatement()) {
      // intervalSeconds: the deprecated spelling of interval, still accepted
      Path config =
          archiving(f, server, sql, "zoneguard.yaml", "{enabled: true, intervalSeconds: 1}");

      Wiring w1 = wiring(config, f);
      ServeRuntime first = ServeCommand.start(w1, "replica-a");
      try {
        await().atMost(Duration.ofSeconds(30)).until(first::leader);
        write(sql, 30, "first serve");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !ranges(w1, f).isEmpty() && get(first.port()).contains("bytes_total"));
        String metrics = get(first.port());
        String labels = "{namespace=\"" + f.namespace() + "\",statefulset=\"mysql\"}";
        assertThat(metrics)
            .containsPattern("zoneguard_binlog_archive_bytes_total\\Q" + labels + "\\E [1-9]")
            .contains("zoneguard_binlog_archive_gaps_total" + labels + " 0.0")
            .containsPattern("zoneguard_binlog_archive_lag_seconds\\Q" + labels + "\\E \\d");
        // the alerts' and dashboard's binlog series, named as a real serve exports them
        assertThat(io.zoneguard.testing.ChartMonitoring.exported(metrics))
            .containsAll(
                io.zoneguard.testing.ChartMonitoring.seriesNamesUsed().stream()
                    .filter(n -> n.startsWith("zoneguard_binlog_"))
                    .toList());
        assertThat(io.zoneguard.testing.ChartMonitoring.seriesNamesUsed())
            .contains(
                "zoneguard_binlog_archive_lag_seconds", "zoneguard_binlog_archive_gaps_total");
      } finally {
        first.close();
        w1.close();
      }
      write(sql, 30, "while no serve runs");
      sql.execute("FLUSH BINARY LOGS");

      Wiring w2 = wiring(config, f);
      ServeRuntime second = ServeCommand.start(w2, "replica-b");
      try {
        await().atMost(Duration.ofSeconds(30)).until(second::leader);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> ranges(w2, f).stream().anyMatch(r -> r.closed()));
      } finally {
        second.close();
        w2.close();
      }
      List<BinlogSegment.Range> first1 =
          ranges(wiring(config, f), f).stream()
              .filter(r -> r.file().equals("binlog.000001"))
              .toList();
      long expected = 0;
      for (BinlogSegment.Range r : first1) {
        assertThat(r.from()).as("contiguous, no overlap: %s", first1).isEqualTo(expected);
        expected = r.to();
      }
      assertThat(first1.get(first1.size() - 1).closed()).isTrue();
      assertThat(expected).isEqualTo(Files.size(server.binlogFile("binlog.000001")));
    }
  }

  /**
   * Binary logs purged while no serve archived them: the next leader reports the gap as a Warning
   * Event {@code BinlogArchiveGap} on the StatefulSet and in the gaps metric, after a Normal Event
   * {@code BinlogArchiveStarted}; {@code from: primary} streams from {@code database.host}.
   */
  @Test
  void binlogsPurgedBeforeTheyWereArchivedAreAGapEventAndMetric(BackupFixture f) throws Exception {
    try (BinlogServer server = BinlogServer.start();
        Connection c = server.connect();
        Statement sql = c.createStatement()) {
      Path config =
          archiving(
              f, server, sql, "zoneguard-gap.yaml", "{enabled: true, interval: 1s, from: primary}");
      Wiring w1 = wiring(config, f);
      ServeRuntime first = ServeCommand.start(w1, "replica-a");
      try {
        await().atMost(Duration.ofSeconds(30)).until(first::leader);
        write(sql, 10, "archived");
        await().atMost(Duration.ofSeconds(30)).until(() -> !ranges(w1, f).isEmpty());
      } finally {
        first.close();
        w1.close();
      }
      assertThat(events(f, "BinlogArchiveStarted")).hasSize(1);
      assertThat(events(f, "BinlogArchiveGap")).isEmpty();
      // while no serve runs: the rest of binlog.000001 and all of binlog.000002 are purged
      write(sql, 10, "never archived");
      sql.execute("FLUSH BINARY LOGS");
      write(sql, 10, "never archived either");
      sql.execute("FLUSH BINARY LOGS");
      // the stopped archiver's dump thread ends once the server notices: until then it holds
      // the file it reads, which PURGE keeps
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                try (var p = sql.executeQuery("SHOW PROCESSLIST")) {
                  while (p.next()) {
                    if (p.getString("Command").startsWith("Binlog Dump")) {
                      return false;
                    }
                  }
                  return true;
                }
              });
      sql.execute("PURGE BINARY LOGS TO 'binlog.000003'");
      // a dump thread the stopped archiver left may still hold a file MariaDB then keeps
      String firstLeft;
      try (var logs = sql.executeQuery("SHOW BINARY LOGS")) {
        logs.next();
        firstLeft = logs.getString(1);
      }
      assertThat(firstLeft).isIn("binlog.000002", "binlog.000003");

      Wiring w2 = wiring(config, f);
      ServeRuntime second = ServeCommand.start(w2, "replica-b");
      try {
        await().atMost(Duration.ofSeconds(30)).until(second::leader);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !events(f, "BinlogArchiveGap").isEmpty());
        write(sql, 10, "after the gap");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> ranges(w2, f).stream().anyMatch(r -> r.file().equals(firstLeft)));
        String labels = "{namespace=\"" + f.namespace() + "\",statefulset=\"mysql\"}";
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    get(second.port())
                        .contains("zoneguard_binlog_archive_gaps_total" + labels + " 1.0"));
      } finally {
        second.close();
        w2.close();
      }
      var gap = events(f, "BinlogArchiveGap");
      assertThat(gap).hasSize(1);
      assertThat(gap.get(0).getType()).isEqualTo("Warning");
      assertThat(gap.get(0).getInvolvedObject().getName()).isEqualTo("mysql");
      assertThat(gap.get(0).getMessage())
          .startsWith("binary logs binlog.000001 up to " + firstLeft + " (purged before archived)")
          .contains("on 127.0.0.1");
      // backup list shows the hole and from when on the archive is without one
      io.zoneguard.testing.Cli.Result list = f.cli("mysql", "backup", "list");
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.out())
          .containsPattern(
              "  GAP between binlog\\.000001 byte \\d+ and " + firstLeft.replace(".", "\\."))
          .contains("  recoverable without a gap: ");
      // the new leader announced its start too
      assertThat(events(f, "BinlogArchiveStarted")).hasSize(2);
      assertThat(events(f, "BinlogArchiveStarted").get(0).getMessage())
          .startsWith("archiving binary logs from 127.0.0.1:" + server.endpoint().port())
          .contains("every 1.0s");
    }
  }

  /**
   * Table shop.t on the server, and a serve config whose one schedule archives the server's binary
   * logs with {@code binlog} (flow-style YAML), reaching it as database.host.
   */
  private Path archiving(
      BackupFixture f, BinlogServer server, Statement sql, String name, String binlog)
      throws Exception {
    sql.execute("CREATE DATABASE shop");
    sql.execute("CREATE TABLE shop.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))");
    Path config = tmp.resolve(name);
    Files.writeString(
        config,
        """
        serve:
          port: 0
        schedules:
        - namespace: %s
          statefulSet: mysql
          database: {host: 127.0.0.1, port: %d, user: root}
          binlog: %s
        """
            .formatted(f.namespace(), server.endpoint().port(), binlog));
    return config;
  }

  private static List<io.fabric8.kubernetes.api.model.Event> events(
      BackupFixture f, String reason) {
    return f.kube.client().v1().events().inNamespace(f.namespace()).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private static List<BinlogSegment.Range> ranges(Wiring w, BackupFixture f) {
    return w.backupStore().binlogRanges(f.namespace(), "mysql", BinlogServer.SERVER_ID);
  }

  private static Wiring wiring(Path config, BackupFixture f) {
    return ServeIT.wiring(config, f.env, f.namespace());
  }

  private String get(int port) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  private static void write(Statement sql, int rows, String note) throws Exception {
    for (int i = 0; i < rows; i++) {
      sql.execute("INSERT INTO shop.t (v) VALUES ('" + note + " " + i + "')");
    }
  }
}
