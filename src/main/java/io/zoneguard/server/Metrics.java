package io.zoneguard.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * zoneguard's Prometheus metrics: {@code zoneguard_backup_duration_seconds}, {@code
 * zoneguard_backup_bytes}, {@code zoneguard_backup_failures_total}, {@code
 * zoneguard_backup_last_success_timestamp_seconds} (per StatefulSet: alert when it gets older than
 * {@code zoneguard_backup_rpo_seconds}), {@code zoneguard_prune_deleted_sets_total}, the drills'
 * {@code zoneguard_drill_*}, the failover records' {@code zoneguard_failover_*}, {@code
 * zoneguard_leader}, {@code zoneguard_schedules} (0: serve is idle, nothing configured) and {@code
 * process_start_time_seconds}. The chart's PrometheusRule and dashboard use exactly these names
 * (ServeIT scrapes a real serve and checks).
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  // held strongly: Micrometer keeps a gauge's state object weakly
  private final Map<String, Gauge> lagGauges = new ConcurrentHashMap<>();
  private final AtomicLong leader = new AtomicLong();
  private final AtomicLong schedules = new AtomicLong();

  public Metrics() {
    Gauge.builder("zoneguard.leader", leader, AtomicLong::get)
        .description("1 while this instance holds the leader lease and schedules work")
        .register(registry);
    Gauge.builder("zoneguard.schedules", schedules, AtomicLong::get)
        .description("schedules in the config; 0: serve is idle and takes no backups")
        .register(registry);
    // process_start_time_seconds: how long the leader has been waiting for a first backup or drill
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * A protected StatefulSet's series that exist before its first job: the failure counters at 0 (a
   * counter born at 1 shows no increase, so the first failure would not alert; the prune counter
   * likewise) and how often its backups and drills are due (the alerts' per-StatefulSet RPO); null:
   * not scheduled.
   */
  public void protect(
      String namespace, String sts, Duration backupEvery, boolean prunes, Duration drillEvery) {
    if (prunes) {
      pruned(namespace, sts, 0);
    }
    if (backupEvery != null) {
      backupFailures(namespace, sts);
      gauge("zoneguard.backup.rpo", namespace, sts).set(backupEvery.toSeconds());
    }
    if (drillEvery != null) {
      drillFailures(namespace, sts);
      gauge("zoneguard.drill.interval", namespace, sts).set(drillEvery.toSeconds());
    }
  }

  /** The latest failover record of a StatefulSet, as epoch seconds; 0: none. */
  public record FailoverState(long unfinishedSince, long lastFinished) {
    public static final FailoverState NONE = new FailoverState(0, 0);
  }

  /**
   * Failover and failback state per StatefulSet, read from its record annotation when scraped (the
   * cluster is the one owner of that state: a failover runs from a laptop, not from serve), at most
   * every {@code refresh} for all of this StatefulSet's series. A failed read leaves the last
   * value.
   */
  public void failovers(
      String namespace, String sts, Supplier<FailoverState> read, Duration refresh) {
    Supplier<FailoverState> cached = new Cached(read, refresh.toNanos());
    Gauge.builder(
            "zoneguard.failover.unfinished.since.timestamp", cached, c -> c.get().unfinishedSince())
        .description("start of the StatefulSet's unfinished failover or failback; 0: none")
        .baseUnit("seconds")
        // Micrometer holds a gauge's object weakly: nothing else references the cache
        .strongReference(true)
        .tags("namespace", namespace, "statefulset", sts)
        .register(registry);
    Gauge.builder("zoneguard.failover.last.finished.timestamp", cached, c -> c.get().lastFinished())
        .description("end of the StatefulSet's latest finished failover or failback; 0: none")
        .baseUnit("seconds")
        .strongReference(true)
        .tags("namespace", namespace, "statefulset", sts)
        .register(registry);
  }

  private static final class Cached implements Supplier<FailoverState> {
    private final Supplier<FailoverState> read;
    private final long refreshNanos;
    private FailoverState value = FailoverState.NONE;
    private long readAt;
    private boolean everRead;

    Cached(Supplier<FailoverState> read, long refreshNanos) {
      this.read = read;
      this.refreshNanos = refreshNanos;
    }

    @Override
    public synchronized FailoverState get() {
      long now = System.nanoTime();
      if (!everRead || now - readAt >= refreshNanos) {
        readAt = now;
        everRead = true;
        try {
          value = read.get();
        } catch (RuntimeException e) {
          // keep the last value: a scrape must not fail because the API server hiccuped
        }
      }
      return value;
    }
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
    backupFailures(namespace, sts).increment();
  }

  private Counter backupFailures(String namespace, String sts) {
    return counter("zoneguard.backup.failures", "scheduled backups that failed", namespace, sts);
  }

  private Counter drillFailures(String namespace, String sts) {
    return counter("zoneguard.drill.failures", "scheduled DR drills that failed", namespace, sts);
  }

  /** A StatefulSet's counter (registering it is idempotent: the same meter comes back). */
  private Counter counter(String name, String description, String namespace, String sts) {
    return Counter.builder(name)
        .description(description)
        .tags("namespace", namespace, "statefulset", sts)
        .register(registry);
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
      drillFailures(namespace, sts).increment();
      return;
    }
    gauge("zoneguard.drill.last.success.timestamp", namespace, sts).set(at);
    gauge("zoneguard.drill.rpo", namespace, sts).set(rpo);
    gauge("zoneguard.drill.rto", namespace, sts).set(Math.round(rto));
  }

  /** A StatefulSet whose scheduled backups move Fast Snapshot Restore: its counter starts at 0. */
  public void managesFastRestore(String namespace, String sts) {
    fastRestoreFailures(namespace, sts);
  }

  /** Moving Fast Snapshot Restore to a new set failed (the backup itself succeeded). */
  public void fastRestoreFailed(String namespace, String sts) {
    fastRestoreFailures(namespace, sts).increment();
  }

  private Counter fastRestoreFailures(String namespace, String sts) {
    return counter(
        "zoneguard.fast.restore.failures",
        "scheduled backups after which Fast Snapshot Restore could not be moved to the new set",
        namespace,
        sts);
  }

  /**
   * A StatefulSet whose binary logs serve archives: its counters start at 0 and its lag is measured
   * from now (serve's start), so a stuck archiver shows before it ever succeeded.
   */
  public void archivesBinlogs(String namespace, String sts) {
    binlogBytes(namespace, sts);
    binlogGaps(namespace, sts);
    AtomicLong current = gauge("zoneguard.binlog.archive.current.timestamp", namespace, sts);
    current.compareAndSet(0, System.currentTimeMillis() / 1000);
    lagGauges.computeIfAbsent(
        namespace + "/" + sts,
        k ->
            Gauge.builder(
                    "zoneguard.binlog.archive.lag",
                    current,
                    c -> Math.max(0, System.currentTimeMillis() / 1000 - c.get()))
                .description(
                    "seconds since the archive last held every event the server had streamed")
                .baseUnit("seconds")
                .tags("namespace", namespace, "statefulset", sts)
                .register(registry));
  }

  /** A binlog segment of {@code bytes} was archived. */
  public void binlogArchived(String namespace, String sts, long bytes) {
    binlogBytes(namespace, sts).increment(bytes);
  }

  /** An archiving pass uploaded everything streamed so far, at {@code at} (epoch seconds). */
  public void binlogCurrent(String namespace, String sts, long at) {
    gauge("zoneguard.binlog.archive.current.timestamp", namespace, sts).set(at);
  }

  /** A binary log the archive needed was gone from the server. */
  public void binlogGap(String namespace, String sts) {
    binlogGaps(namespace, sts).increment();
  }

  private Counter binlogBytes(String namespace, String sts) {
    return counter(
        "zoneguard.binlog.archive.bytes", "bytes of binary logs archived", namespace, sts);
  }

  private Counter binlogGaps(String namespace, String sts) {
    return counter(
        "zoneguard.binlog.archive.gaps",
        "binary logs purged from the server before they were archived",
        namespace,
        sts);
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
