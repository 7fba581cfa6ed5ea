package io.zoneguard.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * zoneguard's Prometheus metrics: {@code zoneguard_backup_duration_seconds}, {@code
 * zoneguard_backup_bytes}, {@code zoneguard_backup_failures_total}, {@code
 * zoneguard_backup_last_success_timestamp_seconds} (per StatefulSet: alert when it gets old),
 * {@code zoneguard_prune_deleted_sets_total}, {@code zoneguard_leader} and {@code
 * zoneguard_schedules} (0: serve is idle, nothing configured).
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final AtomicLong leader = new AtomicLong();
  private final AtomicLong schedules = new AtomicLong();

  public Metrics() {
    Gauge.builder("zoneguard.leader", leader, AtomicLong::get)
        .description("1 while this instance holds the leader lease and schedules work")
        .register(registry);
    Gauge.builder("zoneguard.schedules", schedules, AtomicLong::get)
        .description("schedules in the config; 0: serve is idle and takes no backups")
        .register(registry);
  }

  public void schedules(int count) {
    schedules.set(count);
  }

  public void leader(boolean isLeader) {
    leader.set(isLeader ? 1 : 0);
  }

  public void backupSucceeded(
      String namespace, String sts, Duration took, long bytes, long epochSecond) {
    Timer.builder("zoneguard.backup.duration")
        .tags("namespace", namespace, "statefulset", sts)
        .register(registry)
        .record(took);
    DistributionSummary.builder("zoneguard.backup.bytes")
        .baseUnit("bytes")
        .tags("namespace", namespace, "statefulset", sts)
        .register(registry)
        .record(bytes);
    gauge("zoneguard.backup.last.success.timestamp", namespace, sts).set(epochSecond);
  }

  public void backupFailed(String namespace, String sts) {
    Counter.builder("zoneguard.backup.failures")
        .tags("namespace", namespace, "statefulset", sts)
        .register(registry)
        .increment();
  }

  public void pruned(String namespace, String sts, int sets) {
    Counter.builder("zoneguard.prune.deleted.sets")
        .tags("namespace", namespace, "statefulset", sts)
        .register(registry)
        .increment(sets);
  }

  /** A scheduled drill finished: its verdict, achieved RPO and RTO (null when it failed). */
  public void drilled(String namespace, String sts, boolean passed, long rpo, Double rto, long at) {
    if (!passed) {
      Counter.builder("zoneguard.drill.failures")
          .description("scheduled DR drills that failed")
          .tags("namespace", namespace, "statefulset", sts)
          .register(registry)
          .increment();
      return;
    }
    gauge("zoneguard.drill.last.success.timestamp", namespace, sts).set(at);
    gauge("zoneguard.drill.rpo", namespace, sts).set(rpo);
    gauge("zoneguard.drill.rto", namespace, sts).set(Math.round(rto));
  }

  private AtomicLong gauge(String name, String namespace, String sts) {
    return gauges.computeIfAbsent(
        name + " " + namespace + "/" + sts,
        k -> {
          AtomicLong v = new AtomicLong();
          Gauge.builder(name, v, AtomicLong::get)
              .baseUnit("seconds")
              .tags("namespace", namespace, "statefulset", sts)
              .register(registry);
          return v;
        });
  }

  public String scrape() {
    return registry.scrape();
  }
}
