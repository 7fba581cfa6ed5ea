package io.zoneguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Keys;
import io.zoneguard.failover.RecordCodec;
import io.zoneguard.server.ServeRuntime;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.ChartMonitoring;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.FaultProxy;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.Plans;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import io.zoneguard.testing.sim.Invariants;
import io.zoneguard.testing.sim.Sim;
import io.zoneguard.testing.sim.SimFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}: two replicas against one mock API server compete for the Lease; only the leader's
 * Quartz schedule fires (a cron every 2 seconds), and backups land in moto from the real MariaDB.
 */
@ExtendWith({AwsExtension.class, BackupFixtureExtension.class, MariaDbExtension.class})
class ServeIT {
  @TempDir Path tmp;
  private BackupFixture f;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp(BackupFixture fixture) {
    f = fixture;
  }

  private Wiring wiring(Path config) {
    return wiring(config, f.env, f.namespace());
  }

  static Wiring wiring(Path config, Map<String, String> base, String leaseNamespace) {
    Map<String, String> env = new HashMap<>(base);
    env.put("ZONEGUARD_LEASE_NAMESPACE", leaseNamespace);
    CommonOptions o = new CommonOptions();
    o.configFile = config;
    return new Wiring(o, env);
  }

  /**
   * A serve config file {@code name}: {@code serveExtra} lines under serve, and one schedule that
   * backs up the fixture's StatefulSet from {@code db} on {@code cron}, plus {@code scheduleExtra}
   * lines.
   */
  private Path backups(
      ScratchDatabase db, String name, String serveExtra, String cron, String scheduleExtra)
      throws java.io.IOException {
    Path config = tmp.resolve(name);
    Files.writeString(
        config,
        "serve:\n  port: 0\n"
            + serveExtra
            + """
            schedules:
            - namespace: %s
              statefulSet: mysql
              backupCron: "%s"
              databases: [%s]
              database: {host: %s, port: %d, user: root}
            """
                .formatted(f.namespace(), cron, db.name(), db.host(), db.port())
            + scheduleExtra);
    return config;
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
    Path config = backups(db, "zoneguard.yaml", "", "0/2 * * * * ?", "");
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
              () ->
                  wa.backupStore().list(f.namespace(), "mysql").stream()
                      .anyMatch(s -> s.complete()));
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
      // an unfinished failback recorded on the StatefulSet (by someone's laptop): every replica
      // reports it, the standby too
      String record =
          RecordCodec.write(
              FailoverRecord.start(
                  "fb-1",
                  "laptop",
                  "2026-01-01T00:00:00Z",
                  Plans.failback("eu-west-1a", List.of(), List.of(), List.of())));
      f.annotate(Keys.FAILOVER_ANNOTATION, record);
      String standbyMetrics = get(standby.port(), "/metrics");
      assertThat(standbyMetrics)
          .contains(
              "zoneguard_failover_unfinished_since_timestamp_seconds{namespace=\""
                  + f.namespace()
                  + "\",statefulset=\"mysql\"} 1.7672256E9")
          .contains("zoneguard_leader 0.0")
          .contains("zoneguard_backup_failures_total{")
          .doesNotContain("zoneguard_backup_last_success");
      assertThat(get(standby.port(), "/healthz")).isEqualTo("ok\n");
      assertThat(get(standby.port(), "/readyz")).isEqualTo("ready, standby\n");
      assertThat(get(leader.port(), "/readyz")).isEqualTo("ready, leader\n");

      leader.close();
      await().atMost(Duration.ofSeconds(45)).until(standby::leader);
    } finally {
      a.close();
      b.close();
      wa.close();
      wb.close();
    }
  }

  /**
   * {@code fastRestore} on a schedule: after each scheduled backup FSR moves to the new set; EC2
   * refusing some of it (here the region's FSR quota, 1 snapshot) fails no backup but is counted
   * and recorded as a Warning Event.
   */
  @Test
  void scheduledBackupsMoveFastSnapshotRestoreAndARefusalIsCountedNotFailed(ScratchDatabase db)
      throws Exception {
    SeedData.seed(db, 1);
    io.zoneguard.testing.FastSnapshotRestoreStandIn fsr =
        new io.zoneguard.testing.FastSnapshotRestoreStandIn().limit(1);
    Path config =
        backups(db, "fsr.yaml", "", "0/3 * * * * ?", "  fastRestore: {zones: [us-east-1c]}\n");
    try (io.zoneguard.testing.FaultProxy proxy =
        new io.zoneguard.testing.FaultProxy(
                URI.create(f.env.get("ZONEGUARD_AWS_ENDPOINT")), r -> false, 500, "none")
            .withGate(fsr, r -> false)) {
      Map<String, String> env = new HashMap<>(f.env);
      env.put("ZONEGUARD_AWS_ENDPOINT", proxy.endpoint().toString());
      Wiring w = wiring(config, env, f.namespace());
      ServeRuntime serve = ServeCommand.start(w, "replica-a");
      try {
        String labels = "{namespace=\"" + f.namespace() + "\",statefulset=\"mysql\"}";
        assertThat(get(serve.port(), "/metrics"))
            .contains("zoneguard_fast_restore_failures_total" + labels + " 0.0");
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    get(serve.port(), "/metrics")
                        .matches(
                            "(?s).*zoneguard_fast_restore_failures_total\\Q"
                                + labels
                                + "\\E [1-9].*"));
        assertThat(get(serve.port(), "/metrics"))
            .contains("zoneguard_backup_failures_total" + labels + " 0.0")
            .contains("zoneguard_backup_last_success_timestamp_seconds" + labels);
      } finally {
        serve.close();
        w.close();
      }
      // after the last backup's rotation (serve lets a running job finish): one snapshot of the
      // newest set has FSR in zone c, the quota's one; every older pair is disabled
      assertThat(
              fsr.states().values().stream()
                  .filter(z -> "enabled".equals(z.get("us-east-1c")))
                  .count())
          .isEqualTo(1);
      assertThat(
              f.kube.client().v1().events().inNamespace(f.namespace()).list().getItems().stream()
                  .map(e -> e.getReason()))
          .contains("FastRestoreFailed");
    }
  }

  @Test
  void withNoSchedulesServeIdlesAndSaysWhyInTheLogReadyzAndMetrics() throws Exception {
    Path config = tmp.resolve("idle.yaml");
    Files.writeString(config, "serve:\n  port: 0\nschedules: []\n");
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ServeRuntime.class);
    var logged =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    logged.start();
    log.addAppender(logged);
    Wiring w = wiring(config);
    try (ServeRuntime rt = ServeCommand.start(w, "replica-a")) {
      assertThat(get(rt.port(), "/readyz"))
          .startsWith("ready, idle: no schedules configured")
          .contains("config.schedules");
      assertThat(get(rt.port(), "/metrics")).contains("zoneguard_schedules 0.0");
      assertThat(get(rt.port(), "/healthz")).isEqualTo("ok\n");
      assertThat(logged.list)
          .anyMatch(e -> e.getFormattedMessage().startsWith("serve is idle: no schedules"));
      // it holds no Lease: nothing to lead
      Thread.sleep(1000);
      assertThat(rt.leader()).isFalse();
      assertThat(f.kube.client().leases().inNamespace(f.namespace()).list().getItems()).isEmpty();
    } finally {
      log.detachAppender(logged);
      w.close();
    }
  }

  /**
   * SIGTERM to a real {@code zoneguard serve} process in the middle of a backup (S3 PUTs slowed by
   * the fault proxy): the backup completes, and only then is the Lease released and the process
   * gone.
   */
  @Test
  void sigtermLetsTheRunningBackupFinishThenReleasesTheLease(ScratchDatabase db, AwsBackend aws)
      throws Exception {
    SeedData.seed(db, 1);
    Path config = backups(db, "zoneguard.yaml", "  leaseName: zg-drain\n", "0/2 * * * * ?", "");
    Path out = tmp.resolve("serve.log");
    try (FaultProxy proxy =
        new FaultProxy(aws.endpoint(), r -> false, 500, "unused")
            .withLatency(
                r -> r.action() == null && r.method().equals("PUT"), Duration.ofSeconds(2))) {
      Map<String, String> env = new HashMap<>(f.env);
      env.put("ZONEGUARD_LEASE_NAMESPACE", f.namespace());
      env.put("ZONEGUARD_AWS_ENDPOINT", proxy.endpoint().toString());
      env.put("POD_NAME", "replica-a");
      // in-process runs get the emulator's keys through system properties; a process needs them
      // in its environment, as in a pod
      env.put("AWS_ACCESS_KEY_ID", aws.accessKey());
      env.put("AWS_SECRET_ACCESS_KEY", aws.secretKey());
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "serve",
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      pb.environment().putAll(env);
      Process serve = pb.start();
      try {
        // a dump upload is in flight (slowed): the backup job is running
        try {
          await()
              .atMost(Duration.ofSeconds(60))
              .failFast("serve exited", () -> !serve.isAlive())
              .until(() -> proxy.seen().stream().anyMatch(s -> s.method().equals("PUT")));
        } catch (RuntimeException e) {
          throw new AssertionError(
              "no backup started; serve's output:\n" + Files.readString(out), e);
        }
        assertThat(wiring(config).backupStore().list(f.namespace(), "mysql"))
            .as("no backup finished yet")
            .noneMatch(set -> set.complete());
        serve.destroy(); // SIGTERM
        assertThat(serve.waitFor(90, java.util.concurrent.TimeUnit.SECONDS))
            .as("serve exits after draining")
            .isTrue();
      } finally {
        serve.destroyForcibly();
      }
      String log = Files.readString(out);
      var sets = wiring(config).backupStore().list(f.namespace(), "mysql");
      assertThat(sets).as(log).isNotEmpty().allMatch(set -> set.complete());
      // JSON log lines, in order: SIGTERM arrived, then the backup finished, then the release
      int stopping = log.indexOf("\"stopping: no new jobs; running jobs get up to {}s\"");
      int done = log.indexOf("\"scheduled backup of {} done: set {}\"");
      int released = log.indexOf("\"{} released the lease\"");
      assertThat(stopping).as(log).isNotNegative();
      assertThat(done).as("the backup finished after SIGTERM").isGreaterThan(stopping);
      assertThat(released)
          .as("the lease is released after the backup finished")
          .isGreaterThan(done);
      var lease = f.kube.client().leases().inNamespace(f.namespace()).withName("zg-drain").get();
      // fabric8's LeaderElector.release() replaces the Lease with no holder and a 1 s duration
      // (renewed now), so the standby takes it at once instead of after 15 s. The mock server
      // keeps a field the PUT body omits (a real API server's PUT clears holderIdentity), so the
      // release shows here as the 1 s duration.
      assertThat(lease.getSpec().getLeaseDurationSeconds())
          .as("released: %s\n%s", lease, log.substring(Math.max(0, log.length() - 4000)))
          .isEqualTo(1);
    }
  }

  /**
   * A scheduled drill with {@code drillToLatest} of a set taken with binary logging off (the
   * machine's MariaDB) is refused before it creates anything: that refusal is a failed drill for
   * the alerts, like a drill that ran and failed.
   */
  @Test
  void aRefusedScheduledDrillCountsAsAFailedOne(ScratchDatabase db) throws Exception {
    SeedData.seed(db, 1);
    Cli.Result backup = Cli.run(f.env, f.backupArgs(db, "--no-checksums"));
    assertThat(backup.exit()).as(backup.err()).isZero();
    try (Wiring w = wiring(drillToLatest(f.namespace(), db), f.env, f.namespace());
        ServeRuntime rt = ServeCommand.start(w, "replica-a")) {
      String failed =
          "zoneguard_drill_failures_total\\{namespace=\""
              + f.namespace()
              + "\",statefulset=\"mysql\"} [1-9]";
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  java.util.regex.Pattern.compile(failed)
                      .matcher(get(rt.port(), "/metrics"))
                      .find());
      assertThat(get(rt.port(), "/metrics")).doesNotContain("zoneguard_drill_rto_seconds{");
      assertThat(f.kube.client().namespaces().list().getItems())
          .noneMatch(n -> n.getMetadata().getName().startsWith("zoneguard-drill-"));
    }
  }

  /**
   * {@code drillToLatest}: the scheduled drill of a binlog-enabled server's set (its own MariaDB,
   * {@link io.zoneguard.testing.BinlogServer}) replays the archive written after the set and passes
   * only once the scratch server executed the newest archived transaction, which its Event names.
   */
  @Test
  void aScheduledDrillToLatestReplaysTheBinlogArchive(AwsBackend aws, ScratchDatabase db) {
    try (SimFixture s = new SimFixture(aws, Sim.seedProperty(5))) {
      s.sim.run(() -> scheduledDrillToLatest(s, db));
    }
  }

  private void scheduledDrillToLatest(SimFixture s, ScratchDatabase db) throws Exception {
    try (io.zoneguard.testing.BinlogServer server = io.zoneguard.testing.BinlogServer.start();
        java.sql.Connection c = server.connect();
        java.sql.Statement sql = c.createStatement()) {
      sql.execute("CREATE DATABASE shop");
      sql.execute("CREATE TABLE shop.t (id INT AUTO_INCREMENT PRIMARY KEY)");
      sql.execute("INSERT INTO shop.t VALUES (), (), ()");
      ScratchDatabase source =
          new ScratchDatabase("127.0.0.1", server.endpoint().port(), "root", "shop");
      s.backUp(source, "--no-checksums");
      sql.execute("INSERT INTO shop.t VALUES (), ()");
      String newest;
      try (java.sql.ResultSet rs = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
        rs.next();
        newest = rs.getString(1);
      }
      Cli.Result archive =
          s.cli(
              "mysql",
              server.with("binlog", "archive", "--interval", "300ms", "--stop-after", "3s"));
      assertThat(archive.exit()).as(archive.err()).isZero();
      s.sim.phase("drill");
      try (Wiring w = wiring(drillToLatest(s.namespace(), db), s.env, s.namespace());
          ServeRuntime rt = ServeCommand.start(w, "replica-a")) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> get(rt.port(), "/metrics").contains("zoneguard_drill_rto_seconds{"));
        assertThat(
                s.sim.kube().v1().events().inNamespace(s.namespace()).list().getItems().stream()
                    .filter(e -> e.getReason().equals("DrillPassed"))
                    .map(e -> e.getMessage()))
            .anyMatch(m -> m.contains("binlogs replayed to GTID " + newest));
      }
    }
  }

  /** A config that drills StatefulSet mysql of {@code namespace} every 3 s with drillToLatest. */
  private Path drillToLatest(String namespace, ScratchDatabase scratch) throws Exception {
    return Files.writeString(
        tmp.resolve("drill-to-latest.yaml"),
        """
        serve:
          port: 0
        schedules:
        - namespace: %s
          statefulSet: mysql
          drillCron: "0/3 * * * * ?"
          drill: {host: %s, port: %d, user: root}
          drillToLatest: true
        """
            .formatted(namespace, scratch.host(), scratch.port()));
  }

  /**
   * On the simulated controllers (testing/sim): they bind the drill's claims and run its mount
   * pods, acting between any two of the scheduler's calls; a failure prints the seed and event log.
   */
  @Test
  void scheduledDrillsReportRpoAndRtoAsMetrics(AwsBackend aws, ScratchDatabase db) {
    try (SimFixture s = new SimFixture(aws, Sim.seedProperty(5))) {
      Invariants invariants = new Invariants(s.sim, s.world, "mysql").recordOriginals(3);
      s.sim.run(() -> scheduledDrill(s, db, invariants));
    }
  }

  private void scheduledDrill(SimFixture s, ScratchDatabase db, Invariants invariants)
      throws Exception {
    SeedData.seed(db, 1);
    Cli.Result backup = Cli.run(s.env, s.backupArgs(db, "--no-checksums"));
    assertThat(backup.exit()).as(backup.err()).isZero();
    s.sim.phase("drill");
    Path config = tmp.resolve("drill.yaml");
    Files.writeString(
        config,
        """
        serve:
          port: 0
        schedules:
        - namespace: %s
          statefulSet: mysql
          backupCron: "0/5 * * * * ?"
          pruneCron: "0 0 3 * * ?"
          databases: [%s]
          database: {host: %s, port: %d, user: root}
          drillCron: "0/3 * * * * ?"
          drill: {host: %s, port: %d, user: root}
        """
            .formatted(s.namespace(), db.name(), db.host(), db.port(), db.host(), db.port()));
    Wiring w = wiring(config, s.env, s.namespace());
    try (ServeRuntime rt = ServeCommand.start(w, "replica-a")) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(rt.port(), "/metrics").contains("zoneguard_drill_rto_seconds{"));
      assertThat(get(rt.port(), "/metrics"))
          .containsPattern(
              "zoneguard_drill_last_success_timestamp_seconds\\{namespace=\""
                  + s.namespace()
                  + "\",statefulset=\"mysql\"} \\d")
          .contains("zoneguard_drill_rpo_seconds{");
      // the chart's alerts and dashboard read only series a real serve exports (a backup and a
      // drill have run, so every per-StatefulSet series exists)
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(rt.port(), "/metrics").contains("zoneguard_backup_bytes_sum{"));
      Set<String> exported = ChartMonitoring.exported(get(rt.port(), "/metrics"));
      Set<String> used = ChartMonitoring.seriesNamesUsed();
      assertThat(used).contains("zoneguard_backup_rpo_seconds", "zoneguard_drill_rto_seconds");
      // binlog series exist only with binlog.enabled: ServeBinlogIT proves those
      assertThat(exported)
          .as("/metrics")
          .containsAll(
              used.stream()
                  .filter(n -> !n.equals("up") && !n.startsWith("zoneguard_binlog_"))
                  .toList());
      assertThat(
              s.sim.kube().v1().events().inNamespace(s.namespace()).list().getItems().stream()
                  .map(e -> e.getReason()))
          .contains("DrillPassed");
    } finally {
      w.close();
    }
    assertThat(invariants.violations()).as("I1-I5").isEmpty();
    assertThat(s.sim.errors()).as("controller errors").isEmpty();
  }
}
