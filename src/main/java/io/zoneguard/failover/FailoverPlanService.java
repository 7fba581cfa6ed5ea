package io.zoneguard.failover;

import io.zoneguard.backup.BackupSetSummary;
import io.zoneguard.backup.BackupStore;
import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.Hydration;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.inventory.InventoryService;
import io.zoneguard.inventory.StatusReport;
import io.zoneguard.port.BlockStorage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gathers the facts a failover plan needs (read-only): volumes and zones, and the snapshots of
 * complete backup sets, and hands them to the planner.
 */
public final class FailoverPlanService {
  private final InventoryService inventory;
  private final BlockStorage storage;
  private final BackupStore backups;
  private final SafetyReview safety;
  private final String clusterName;
  private final Clock clock;

  public FailoverPlanService(
      InventoryService inventory,
      BlockStorage storage,
      BackupStore backups,
      SafetyReview safety,
      String clusterName,
      Clock clock) {
    this.inventory = inventory;
    this.storage = storage;
    this.backups = backups;
    this.safety = safety;
    this.clusterName = clusterName;
    this.clock = clock;
  }

  /**
   * The plan with a note on how its new volumes reach full speed (part of the RTO): instant where
   * {@code --fast-restore} finds the snapshot's FSR enabled in the target zone, else size / rate,
   * else EBS's unpredictable default. The record keeps the note, so a report says it too.
   */
  public FailoverPlan withHydration(FailoverPlan p, Hydration h) {
    if (p.volumes().isEmpty()) {
      return p;
    }
    Map<String, Set<String>> fsr =
        h.fastRestore()
            ? storage.fastRestoreZones(
                p.volumes().stream()
                    .map(FailoverPlan.PlannedVolume::snapshotId)
                    .distinct()
                    .toList())
            : Map.of();
    return p.withNote(
        "hydration: "
            + h.describe(
                p.volumes().stream()
                    .map(
                        v ->
                            new Hydration.Target(
                                v.sizeGiB(),
                                Hydration.enabledIn(fsr, v.snapshotId(), v.targetZone())))
                    .toList()));
  }

  public FailoverPlan plan(FailoverRequest req) {
    if (!inventory.statefulSetExists(req.namespace(), req.statefulSet())) {
      throw ZoneguardException.nothingToFailOver(req.namespace(), req.statefulSet());
    }
    StatusReport report = inventory.status(req.namespace(), Optional.of(req.statefulSet()));
    // Only snapshots of sets whose manifest says complete: a set that crashed or whose other
    // snapshots failed is never used, even if this one snapshot finished.
    Set<String> completeSets =
        backups.list(req.namespace(), req.statefulSet()).stream()
            .filter(BackupSetSummary::complete)
            .map(BackupSetSummary::setId)
            .collect(Collectors.toSet());
    // One call for every snapshot of the StatefulSet, grouped by the PVC tag.
    Map<String, List<SnapshotRef>> byPvc = new HashMap<>();
    for (SnapshotRef s :
        storage.findSnapshots(
            Map.of(
                Keys.TAG_CLUSTER, clusterName,
                Keys.TAG_NAMESPACE, req.namespace(),
                Keys.TAG_STATEFULSET, req.statefulSet()))) {
      String pvc = s.tags().get(Keys.TAG_PVC);
      if (pvc != null && completeSets.contains(s.tags().get(Keys.TAG_BACKUP_SET))) {
        byPvc.computeIfAbsent(pvc, k -> new ArrayList<>()).add(s);
      }
    }
    FailoverPlan plan =
        safety.review(
            FailoverPlanner.plan(
                req,
                report.statefulSets().get(0),
                report.zones(),
                storage.zones(),
                byPvc,
                clock.instant()),
            req);
    Optional<BackupStore.BinlogWindow> archive =
        backups.binlogWindow(req.namespace(), req.statefulSet());
    FailoverPlan withRecovery =
        plan.withRecovery(
            RecoveryPoints.of(
                plan,
                archive.map(
                    w ->
                        new RecoveryPoints.Archive(
                            w.serverId(), w.firstEventTime(), w.lastEventTime(), w.lastGtid())),
                inventory
                    .statefulSet(req.namespace(), req.statefulSet())
                    .map(io.zoneguard.domain.StatefulSetFacts::serviceName),
                clock.instant()));
    return archive.map(b -> withRecovery.withNote(recoverablePoint(b))).orElse(withRecovery);
  }

  /**
   * What the binlog archive adds to the snapshots' data loss: events up to its newest one can be
   * replayed into a restored replica (runbooks/failover.md, "Recover past the snapshot").
   */
  static String recoverablePoint(BackupStore.BinlogWindow newest) {
    return "binlog archive reaches "
        + newest.lastEventTime()
        + " (server "
        + newest.serverId()
        + (newest.lastGtid() == null ? "" : ", GTID " + newest.lastGtid())
        + "): data newer than a snapshot can be recovered up to there by replaying the archive"
        + " into the restored replica, or by replication from the primary";
  }
}
