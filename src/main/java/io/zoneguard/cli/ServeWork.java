package io.zoneguard.cli;

import io.zoneguard.backup.BackupRequest;
import io.zoneguard.backup.PruneService;
import io.zoneguard.backup.RetentionPolicy;
import io.zoneguard.cli.options.PasswordSources;
import io.zoneguard.config.ScheduleSpec;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.Secret;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.drill.DrillReport;
import io.zoneguard.drill.DrillRequest;
import io.zoneguard.failover.Progress;
import io.zoneguard.failover.RecordCodec;
import io.zoneguard.schedule.ScheduledWork;
import io.zoneguard.server.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The scheduled jobs' work: the same services as the CLI commands, plus metrics. */
final class ServeWork implements ScheduledWork {
  private static final Logger LOG = LoggerFactory.getLogger(ServeWork.class);

  private final Wiring wiring;
  private final Metrics metrics;

  /** Schedule and source whose archiving start was recorded as an Event by this process. */
  private final java.util.Set<String> announced =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  ServeWork(Wiring wiring, Metrics metrics) {
    this.wiring = wiring;
    this.metrics = metrics;
  }

  @Override
  public void backup(ScheduleSpec spec) {
    Instant start = wiring.clock().instant();
    try {
      StatefulSetFacts sts = statefulSet(spec);
      ScheduleSpec.Database d = spec.database();
      Wiring.DatabaseAccess access =
          "exec".equals(d.via())
              ? wiring.exec(
                  spec.namespace(),
                  sts.podName(d.replica()),
                  d.container(),
                  d.user(),
                  d.passwordEnv() == null ? "MYSQL_ROOT_PASSWORD" : d.passwordEnv())
              : Wiring.tcp(endpoint(spec, sts), "mysqldump");
      BackupManifest m =
          wiring
              .backupService(access, 1)
              .run(
                  new BackupRequest(
                      spec.namespace(),
                      spec.statefulSet(),
                      d.replica(),
                      spec.databases(),
                      BackupRequest.Consistency.valueOf(spec.consistency()),
                      true,
                      Duration.ofHours(2)));
      if (!m.complete()) {
        throw ZoneguardException.failed(
            "set " + m.setId() + " is incomplete: " + m.warnings(), null);
      }
      if (spec.managesFastRestore()
          && !wiring.fastRestoreRotation().rotate(m, spec.fastRestoreZones()).ok()) {
        // the set is good; the Warning Event FastRestoreFailed says what EC2 refused
        metrics.fastRestoreFailed(spec.namespace(), spec.statefulSet());
      }
      metrics.backupSucceeded(
          spec.namespace(),
          spec.statefulSet(),
          Duration.between(start, wiring.clock().instant()),
          m.dump().sizeBytes(),
          wiring.clock().instant().getEpochSecond());
      LOG.info("scheduled backup of {} done: set {}", spec.id(), m.setId());
    } catch (RuntimeException e) {
      metrics.backupFailed(spec.namespace(), spec.statefulSet());
      LOG.error("scheduled backup of {} failed: {}", spec.id(), e.getMessage());
      throw e;
    }
  }

  private StatefulSetFacts statefulSet(ScheduleSpec spec) {
    return wiring
        .statefulSets()
        .get(spec.namespace(), spec.statefulSet())
        .orElseThrow(
            () -> ZoneguardException.statefulSetNotFound(spec.namespace(), spec.statefulSet()));
  }

  /** The schedule's database over TCP: its host, else the replica's DNS name. */
  private DatabaseEndpoint endpoint(ScheduleSpec spec, StatefulSetFacts sts) {
    ScheduleSpec.Database d = spec.database();
    return new DatabaseEndpoint(
        d.host() != null ? d.host() : Wiring.replicaHost(sts, d.replica()),
        d.port(),
        d.user(),
        password(spec));
  }

  /**
   * The server a schedule's binlog stream reads ({@code binlog.from}): {@code primary} is {@code
   * database.host}; {@code replica N} is pod N through the StatefulSet's headless Service (N must
   * be one of its replicas); no {@code from}: the backups' {@code database}.
   */
  DatabaseEndpoint binlogEndpoint(ScheduleSpec spec, StatefulSetFacts sts) {
    ScheduleSpec.Database d = spec.database();
    return new DatabaseEndpoint(binlogHost(spec, sts), d.port(), d.user(), password(spec));
  }

  /** The host of {@link #binlogEndpoint}; a replica the StatefulSet does not have is refused. */
  static String binlogHost(ScheduleSpec spec, StatefulSetFacts sts) {
    ScheduleSpec.Database d = spec.database();
    ScheduleSpec.From from = spec.binlog().source();
    return switch (from.kind()) {
      case PRIMARY -> d.host();
      case REPLICA -> {
        if (from.replica() >= sts.replicas()) {
          throw ZoneguardException.usage(
              "schedule "
                  + spec.id()
                  + ": binlog.from replica "
                  + from.replica()
                  + ", but the StatefulSet has "
                  + sts.replicas()
                  + " replica(s) (0-"
                  + (sts.replicas() - 1)
                  + ")");
        }
        yield Wiring.replicaHost(sts, from.replica());
      }
      case DATABASE -> d.host() != null ? d.host() : Wiring.replicaHost(sts, d.replica());
    };
  }

  /**
   * Archives the schedule's database's binary logs while {@code active} holds, into a spool
   * directory under the temporary directory (an emptyDir in the chart), updating the binlog metrics
   * after each pass.
   */
  void archiveBinlogs(ScheduleSpec spec, java.util.function.BooleanSupplier active) {
    DatabaseEndpoint endpoint = binlogEndpoint(spec, statefulSet(spec));
    Path spool;
    try {
      spool = java.nio.file.Files.createTempDirectory("zg-binlog-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    LOG.info("binlog archiving of {} from {} starts", spec.id(), endpoint);
    if (announced.add(spec.id() + " " + endpoint)) {
      // once per leadership and source, not on every retry after a failure
      event(
          spec,
          false,
          "BinlogArchiveStarted",
          "archiving binary logs from "
              + endpoint.host()
              + ":"
              + endpoint.port()
              + " every "
              + spec.binlog().every().toMillis() / 1000.0
              + "s, resuming where the bucket's archive ends");
    }
    try {
      archive(spec, endpoint, spool, active);
    } finally {
      // the archive is in the bucket; a restart copies again from where it ends, so the spool
      // (up to max_binlog_size per file) must not pile up in the pod's /tmp
      io.zoneguard.binlog.BinlogArchiveService.discardSpool(spool);
    }
  }

  private void archive(
      ScheduleSpec spec,
      DatabaseEndpoint endpoint,
      Path spool,
      java.util.function.BooleanSupplier active) {
    wiring
        .binlogArchiveService()
        .run(
            spec.namespace(),
            spec.statefulSet(),
            Wiring.binlogSource(endpoint, "mariadb-binlog", spec.binlog().replicaServerId()),
            spool,
            spec.binlog().every(),
            Duration.ofDays(36500),
            () -> !active.getAsBoolean(),
            new io.zoneguard.binlog.BinlogArchiveService.Listener() {
              @Override
              public void say(String line) {
                LOG.info("binlog {}: {}", spec.id(), line);
              }

              @Override
              public void segment(io.zoneguard.domain.BinlogSegment s) {
                metrics.binlogArchived(spec.namespace(), spec.statefulSet(), s.to() - s.from());
              }

              @Override
              public void pass() {
                metrics.binlogCurrent(
                    spec.namespace(),
                    spec.statefulSet(),
                    wiring.clock().instant().getEpochSecond());
              }

              @Override
              public void gap(String gap) {
                metrics.binlogGap(spec.namespace(), spec.statefulSet());
                LOG.warn("binlog archive of {} has a gap: {}", spec.id(), gap);
                event(
                    spec,
                    true,
                    "BinlogArchiveGap",
                    "binary logs "
                        + gap
                        + " on "
                        + endpoint.host()
                        + ": restore --to-time cannot replay across them; take a backup"
                        + " set now so later points in time have a base");
              }
            });
  }

  /** An Event on the schedule's StatefulSet (best effort, as every Event). */
  private void event(ScheduleSpec spec, boolean warning, String reason, String message) {
    wiring
        .cluster()
        .events()
        .record(spec.namespace(), spec.statefulSet(), warning, reason, message);
  }

  @Override
  public void prune(ScheduleSpec spec) {
    var r = spec.retention();
    PruneService.Result result =
        wiring
            .pruneService()
            .prune(
                spec.namespace(),
                spec.statefulSet(),
                new RetentionPolicy(
                    r.hourly(), r.daily(), r.weekly(), r.monthly(), Duration.ofHours(6)),
                false);
    metrics.pruned(spec.namespace(), spec.statefulSet(), result.deleted().size());
    LOG.info("scheduled prune of {}: deleted {} set(s)", spec.id(), result.deleted().size());
  }

  @Override
  public void drill(ScheduleSpec spec) {
    ScheduleSpec.Database d = spec.drill();
    DatabaseEndpoint scratch =
        new DatabaseEndpoint(d.host(), d.port(), d.user(), password(spec, d));
    DrillReport r;
    try {
      r =
          wiring
              .drillService()
              .run(
                  new DrillRequest(
                      spec.namespace(),
                      spec.statefulSet(),
                      java.util.Optional.empty(),
                      false,
                      false,
                      Duration.ofMinutes(10),
                      Duration.ofMinutes(5),
                      spec.drillToLatest() ? io.zoneguard.binlog.RecoveryTarget.latest() : null),
                  Wiring.scratch("mysql", scratch),
                  Progress.SILENT);
    } catch (RuntimeException e) {
      // refused before it ran (no complete set, a broken binlog chain): as failed as a drill that
      // ran and failed, for the alerts and the log
      metrics.drilled(
          spec.namespace(),
          spec.statefulSet(),
          false,
          0,
          null,
          wiring.clock().instant().getEpochSecond());
      LOG.error("scheduled drill of {} refused: {}", spec.id(), e.getMessage());
      throw e;
    }
    metrics.drilled(
        spec.namespace(),
        spec.statefulSet(),
        r.passed(),
        r.rpoSeconds(),
        r.rtoSeconds(),
        wiring.clock().instant().getEpochSecond());
    if (!r.passed()) {
      LOG.error("scheduled drill {} of {} failed: {}", r.drillId(), spec.id(), r.failures());
      throw ZoneguardException.failed("drill " + r.drillId() + " failed", null);
    }
    LOG.info(
        "scheduled drill {} of {} passed: set {}, RPO {}s, RTO {}s",
        r.drillId(),
        spec.id(),
        r.setId(),
        r.rpoSeconds(),
        r.rtoSeconds());
  }

  /**
   * The StatefulSet's failover record for the metrics: every replica reports it (standbys too), so
   * an alert sees it whichever replica leads. No StatefulSet or no record: none.
   */
  Metrics.FailoverState failoverState(ScheduleSpec spec) {
    return wiring
        .statefulSets()
        .get(spec.namespace(), spec.statefulSet())
        .map(s -> s.annotations().get(Keys.FAILOVER_ANNOTATION))
        .map(raw -> RecordCodec.read(raw, "annotation " + Keys.FAILOVER_ANNOTATION))
        .map(
            r ->
                r.finished()
                    ? new Metrics.FailoverState(0, epoch(r.finishedAt()))
                    : new Metrics.FailoverState(epoch(r.startedAt()), 0))
        .orElse(Metrics.FailoverState.NONE);
  }

  private static long epoch(String instant) {
    return Instant.parse(instant).getEpochSecond();
  }

  private Secret password(ScheduleSpec spec) {
    return password(spec, spec.database());
  }

  private Secret password(ScheduleSpec spec, ScheduleSpec.Database d) {
    if (d.passwordFile() != null) {
      return PasswordSources.file(Path.of(d.passwordFile()), "database.passwordFile");
    }
    if (d.passwordSecret() != null) {
      return PasswordSources.secret(
          wiring.secrets(), spec.namespace(), d.passwordSecret(), "database.passwordSecret");
    }
    return Secret.empty();
  }
}
