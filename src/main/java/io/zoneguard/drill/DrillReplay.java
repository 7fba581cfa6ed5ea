package io.zoneguard.drill;

import io.zoneguard.binlog.PointInTimeRestore;
import io.zoneguard.binlog.ReplayReach;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.Gtid;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.DatabaseLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The point-in-time part of a drill ({@code --to-time}, {@code --to-latest}): the chain proven and
 * downloaded before the drill creates anything, then, after the dump is loaded and verified, the
 * replay into the scratch database and the proof that it reached the transaction the archive says
 * it must — the one the archive's own bytes name ({@link ReplayReach}), compared with what the
 * scratch server's replay session executed.
 */
final class DrillReplay implements AutoCloseable {
  private final PointInTimeRestore restore;
  private final PointInTimeRestore.Plan plan;
  private final Path work;

  DrillReplay(PointInTimeRestore restore, PointInTimeRestore.Plan plan, Path work) {
    this.restore = restore;
    this.plan = plan;
    this.work = work;
  }

  /**
   * @throws ZoneguardException unsafe (exit 3) when the chain cannot be proven: nothing created
   */
  static DrillReplay prepare(PointInTimeRestore restore, DrillRequest req) {
    Path work;
    try {
      work = Files.createTempDirectory("zg-drill-binlog");
    } catch (IOException e) {
      throw ZoneguardException.failed("cannot create a directory for binlog files", e);
    }
    try {
      return new DrillReplay(
          restore,
          restore.prepare(req.namespace(), req.statefulSet(), req.setId(), req.replayTo(), work),
          work);
    } catch (RuntimeException e) {
      io.zoneguard.domain.ScratchDir.delete(work);
      throw e;
    }
  }

  BackupManifest set() {
    return plan.set();
  }

  String describe() {
    if (plan.chain().isEmpty()) {
      return "nothing archived after the set's GTID " + plan.set().binlog().gtid() + " to replay";
    }
    return "replay "
        + String.join(", ", plan.fileNames())
        + " (server "
        + plan.serverId()
        + ") up to "
        + plan.target();
  }

  /**
   * With {@code --to-latest}, what the drill proves recoverable is everything up to the newest
   * archived event (or the set, if newer): its age at {@code start} is the RPO (empty for other
   * targets, whose RPO stays the set's).
   */
  Optional<Long> rpoSeconds(boolean latest, Instant start) {
    if (!latest || plan.newestEventTime().isEmpty()) {
      return Optional.empty();
    }
    // an archive that stopped before the set was taken recovers no less than the set
    Instant newest = Instant.parse(plan.newestEventTime());
    Instant set = Instant.parse(plan.set().createdAt());
    return Optional.of(Duration.between(newest.isAfter(set) ? newest : set, start).toSeconds());
  }

  DrillReport.ReplayCheck run(DatabaseLoader loader, Map<String, String> renames, Clock clock) {
    Instant t = clock.instant();
    PointInTimeRestore.Replayed r = restore.replay(plan, loader, renames);
    return check(plan, r, Duration.between(t, clock.instant()).toMillis() / 1000.0);
  }

  /**
   * Whether the replay reached the archive's newest transaction before the target: the scratch
   * session executed exactly its sequence number (or, when none was due, nothing after the set).
   */
  static DrillReport.ReplayCheck check(
      PointInTimeRestore.Plan plan, PointInTimeRestore.Replayed r, double seconds) {
    String from = plan.set().binlog().gtid();
    Optional<ReplayReach.Point> due = plan.reach();
    boolean reached = PointInTimeRestore.reached(plan, r);
    return new DrillReport.ReplayCheck(
        plan.target().toString(),
        from,
        plan.serverId(),
        plan.fileNames(),
        r.bytes(),
        seconds,
        due.map(ReplayReach.Point::gtid).orElse(null),
        due.map(p -> p.time().toString()).orElse(null),
        r.executedSeq(),
        r.executedGtid(),
        plan.newestEventTime().isEmpty() ? null : plan.newestEventTime(),
        reached);
  }

  /** Why a check failed, in one line for the report and the Event. */
  static String shortfall(DrillReport.ReplayCheck c) {
    String executed =
        c.executedGtid() != null ? "GTID " + c.executedGtid() : "sequence " + c.executedSeq();
    return c.expectedGtid() == null
        ? "binlog replay executed "
            + executed
            + " although no transaction after the set's "
            + c.fromGtid()
            + " is archived before "
            + c.target()
        : "binlog replay to "
            + c.target()
            + " executed through "
            + executed
            + " but the archive's last transaction before it is "
            + c.expectedGtid()
            + " ("
            + c.expectedTime()
            + "): the replay "
            + (Long.compareUnsigned(c.executedSeq(), Gtid.parse(c.expectedGtid()).seq()) < 0
                ? "stopped short"
                : "went past it");
  }

  @Override
  public void close() {
    io.zoneguard.domain.ScratchDir.delete(work);
  }
}
