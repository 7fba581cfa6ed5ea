package io.zoneguard.cli;

import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.schedule.Schedules;
import io.zoneguard.server.JsonLogging;
import io.zoneguard.server.Metrics;
import io.zoneguard.server.ServeRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs scheduled backups, prunes and drills (the config's 'schedules') until stopped.",
      "",
      "Several replicas may run: only the holder of the Lease serve.leaseName in",
      "serve.leaseNamespace schedules work. Serves /healthz, /readyz and /metrics on serve.port.",
      "Logs are JSON lines. SIGTERM starts no new job, lets running ones finish for up to",
      "serve.drainSeconds, then releases the lease. With no schedules it idles (/readyz says",
      "why, zoneguard_schedules is 0) instead of exiting.",
      ""
    },
    footer = {
      "",
      "Config example:",
      "  schedules:",
      "  - namespace: shop",
      "    statefulSet: mysql",
      "    backupCron: \"0 0 * * * ?\"        # hourly (Quartz cron, with seconds)",
      "    pruneCron: \"0 30 3 * * ?\"",
      "    database: {user: root, passwordSecret: mysql-auth/root-password, replica: 1}",
      "    retention: {hourly: 24, daily: 7, weekly: 4, monthly: 6}"
    })
final class ServeCommand implements Callable<Integer> {
  @ParentCommand ZoneguardCommand root;
  @Mixin CommonOptions common;

  @Option(
      names = "--identity",
      paramLabel = "NAME",
      description =
          "this replica's name in the Lease (default: $POD_NAME, else the host name plus a"
              + " random suffix, unique per process).")
  String identity;

  @Option(names = "--plain-logs", description = "human-readable logs instead of JSON lines.")
  boolean plainLogs;

  @Override
  public Integer call() throws Exception {
    if (!plainLogs) {
      JsonLogging.install();
    }
    Wiring w = new Wiring(common, root.env);
    ServeRuntime rt = start(w, identity(root.env));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  rt.close();
                  w.close();
                },
                "shutdown"));
    rt.awaitStop();
    return 0;
  }

  /** How often a scrape reads the failover records (one GET per protected StatefulSet). */
  static final Duration FAILOVER_REFRESH = Duration.ofSeconds(20);

  /** Builds and starts the runtime; the caller closes it. */
  static ServeRuntime start(Wiring w, String identity) throws IOException {
    var config = w.config();
    config.bucket(); // fail fast, before the lease, when the bucket is not configured
    config.region();
    Metrics metrics = new Metrics();
    if (config.schedules().isEmpty()) {
      return ServeRuntime.idle(metrics, config.servePort());
    }
    ServeWork work = new ServeWork(w, metrics);
    Instant now = w.clock().instant();
    for (var spec : config.schedules()) {
      metrics.protect(
          spec.namespace(),
          spec.statefulSet(),
          spec.backupCron() == null ? null : Schedules.longestGap(spec.backupCron(), now),
          spec.pruneCron() != null,
          spec.drillCron() == null ? null : Schedules.longestGap(spec.drillCron(), now));
      if (spec.archivesBinlogs()) {
        metrics.archivesBinlogs(spec.namespace(), spec.statefulSet());
      }
      if (spec.managesFastRestore()) {
        metrics.managesFastRestore(spec.namespace(), spec.statefulSet());
      }
      metrics.failovers(
          spec.namespace(), spec.statefulSet(), () -> work.failoverState(spec), FAILOVER_REFRESH);
    }
    Schedules schedules = Schedules.create(config.schedules(), work);
    // a failed archiver retries after this: long enough not to hammer a down server
    BinlogArchiving binlogs =
        new BinlogArchiving(config.schedules(), work::archiveBinlogs, Duration.ofSeconds(30));
    return ServeRuntime.scheduling(
        schedules,
        java.util.List.of(binlogs),
        config.schedules().size(),
        w.leaderElection(identity),
        metrics,
        config.servePort(),
        config.drainTimeout());
  }

  /**
   * The Lease identity. A pod name is unique; a host name is not: two serves on one host that both
   * used it would each see itself as the holder and both lead. So without a pod name the host name
   * gets a random suffix per process.
   */
  private String identity(Map<String, String> env) {
    if (identity != null) {
      return identity;
    }
    if (env.get("POD_NAME") != null) {
      return env.get("POD_NAME");
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "zoneguard";
    }
    String suffix = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
    return host + "-" + ("00000" + suffix).substring(("00000" + suffix).length() - 5);
  }
}
