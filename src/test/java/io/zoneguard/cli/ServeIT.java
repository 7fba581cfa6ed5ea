package io.zoneguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zoneguard.server.ServeRuntime;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}: two replicas against one mock API server compete for the Lease; only the leader's
 * Quartz schedule fires (a cron every 2 seconds), and backups land in moto from the real MariaDB.
 */
@ExtendWith({BackupFixtureExtension.class, MariaDbExtension.class})
class ServeIT {
  @TempDir Path tmp;
  private BackupFixture f;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp(BackupFixture fixture) {
    f = fixture;
  }

  private Wiring wiring(Path config) {
    Map<String, String> env = new HashMap<>(f.env);
    env.put("ZONEGUARD_LEASE_NAMESPACE", f.namespace());
    CommonOptions o = new CommonOptions();
    o.configFile = config;
    return new Wiring(o, env);
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  @Test
  void onlyTheLeaderRunsTheScheduleAndTheOtherTakesOverWhenItStops(ScratchDatabase db)
      throws Exception {
    SeedData.seed(db, 1);
    Path config = tmp.resolve("zoneguard.yaml");
    Files.writeString(
        config,
        """
        serve:
          port: 0
        schedules:
        - namespace: %s
          statefulSet: mysql
          backupCron: "0/2 * * * * ?"
          databases: [%s]
          database: {host: %s, port: %d, user: root}
        """
            .formatted(f.namespace(), db.name(), db.host(), db.port()));
    Wiring wa = wiring(config);
    Wiring wb = wiring(config);
    ServeRuntime a = ServeCommand.start(wa, "replica-a");
    ServeRuntime b = ServeCommand.start(wb, "replica-b");
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> a.leader() || b.leader());
      ServeRuntime leader = a.leader() ? a : b;
      ServeRuntime standby = leader == a ? b : a;
      assertThat(standby.leader()).isFalse();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> wa.catalog().list(f.namespace(), "mysql").stream().anyMatch(s -> s.complete()));
      // the manifest is written before the job records its metrics: wait for those too
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(leader.port(), "/metrics").contains("zoneguard_backup_last_success"));

      String leaderMetrics = get(leader.port(), "/metrics");
      assertThat(leaderMetrics)
          .contains("zoneguard_leader 1.0")
          .containsPattern(
              "zoneguard_backup_last_success_timestamp_seconds\\{namespace=\""
                  + f.namespace()
                  + "\",statefulset=\"mysql\"} \\d");
      String standbyMetrics = get(standby.port(), "/metrics");
      assertThat(standbyMetrics)
          .contains("zoneguard_leader 0.0")
          .doesNotContain("zoneguard_backup_");
      assertThat(get(standby.port(), "/healthz")).isEqualTo("ok\n");
      assertThat(get(standby.port(), "/readyz")).isEqualTo("ready\n");

      leader.close();
      await().atMost(Duration.ofSeconds(45)).until(standby::leader);
    } finally {
      a.close();
      b.close();
      wa.close();
      wb.close();
    }
  }

  @Test
  void scheduledDrillsReportRpoAndRtoAsMetrics(ScratchDatabase db) throws Exception {
    SeedData.seed(db, 1);
    Cli.Result backup = Cli.run(f.env, f.backupArgs(db, "--no-checksums"));
    assertThat(backup.exit()).as(backup.err()).isZero();
    Path config = tmp.resolve("drill.yaml");
    Files.writeString(
        config,
        """
        serve:
          port: 0
        schedules:
        - namespace: %s
          statefulSet: mysql
          drillCron: "0/3 * * * * ?"
          drill: {host: %s, port: %d, user: root}
        """
            .formatted(f.namespace(), db.host(), db.port()));
    Wiring w = wiring(config);
    try (io.zoneguard.testing.FakeControllers binder =
            new io.zoneguard.testing.FakeControllers(f.kube.client(), f.world);
        ServeRuntime rt = ServeCommand.start(w, "replica-a")) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(rt.port(), "/metrics").contains("zoneguard_drill_rto_seconds{"));
      assertThat(get(rt.port(), "/metrics"))
          .containsPattern(
              "zoneguard_drill_last_success_timestamp_seconds\\{namespace=\""
                  + f.namespace()
                  + "\",statefulset=\"mysql\"} \\d")
          .contains("zoneguard_drill_rpo_seconds{");
      assertThat(
              f.kube.client().v1().events().inNamespace(f.namespace()).list().getItems().stream()
                  .map(e -> e.getReason()))
          .contains("DrillPassed");
    } finally {
      w.close();
    }
  }
}
