package io.zoneguard.backup;

import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.FastRestorePlan;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.Events;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Fast Snapshot Restore (FSR) on exactly one backup set per StatefulSet: right after a set
 * commits complete, FSR is enabled on its snapshots in the chosen zones and disabled on every other
 * zoneguard snapshot of that StatefulSet that has it. FSR is billed per snapshot per zone per hour
 * (about 0.75 USD in us-east-1, per minute with a one-hour minimum) and EBS allows it on only a few
 * snapshots per region (5 by default, owned and shared ones together), so it must not pile up with
 * every set. Disabling goes first: it frees quota the new set needs, and a failover takes each
 * claim's newest snapshot anyway, so an older set's FSR never made one faster.
 *
 * <p>A failure here never fails the backup (the set is committed already): it is returned, logged
 * and recorded as a Warning Event {@code FastRestoreFailed}; the next backup converges again.
 */
public final class FastRestoreRotation {
  private static final Logger LOG = LoggerFactory.getLogger(FastRestoreRotation.class);

  private final BlockStorage storage;
  private final Events events;
  private final String clusterName;

  public FastRestoreRotation(BlockStorage storage, Events events, String clusterName) {
    this.storage = storage;
    this.events = events;
    this.clusterName = clusterName;
  }

  /** What a rotation changed, and the snapshot-zone pairs EC2 refused. */
  public record Outcome(
      String setId, FastRestorePlan plan, List<FastRestorePlan.Failure> failures, String error) {
    public Outcome {
      failures = List.copyOf(failures);
    }

    public boolean ok() {
      return failures.isEmpty() && error == null;
    }

    /** One line for logs, Events and the CLI. */
    public String summary() {
      if (!ok()) {
        return "Fast Snapshot Restore for set "
            + setId
            + " failed: "
            + (error != null
                ? error
                : String.join("; ", failures.stream().map(Object::toString).toList()));
      }
      if (plan.nothingToDo()) {
        return "Fast Snapshot Restore: set " + setId + " already has it where configured";
      }
      return "Fast Snapshot Restore: enabling "
          + FastRestorePlan.pairs(plan.enable())
          + " snapshot-zone pair(s) of set "
          + setId
          + (plan.enable().isEmpty() ? "" : " (" + FastRestorePlan.describe(plan.enable()) + ")")
          + ", disabling "
          + FastRestorePlan.pairs(plan.disable())
          + " on older sets or unchosen zones"
          + (plan.disable().isEmpty() ? "" : " (" + FastRestorePlan.describe(plan.disable()) + ")");
    }
  }

  /**
   * Refuses (usage error, before a backup starts) zones that are not availability zones of the
   * region: EC2 would refuse every pair in them only after the set is taken.
   */
  public void requireZones(Collection<String> zones, String what) {
    Set<String> known = new java.util.TreeSet<>();
    storage.zones().forEach(z -> known.add(z.zone().name()));
    for (String zone : zones) {
      if (!known.contains(zone)) {
        throw io.zoneguard.domain.ZoneguardException.usage(
            what + ": " + zone + " is not an availability zone of this region (" + known + ")");
      }
    }
  }

  /**
   * Moves FSR to {@code set} (a complete set just committed) in {@code zones}; an empty list turns
   * it off on all of the StatefulSet's zoneguard snapshots.
   */
  public Outcome rotate(BackupManifest set, Collection<String> zones) {
    List<String> newest =
        set.snapshots().stream()
            .filter(s -> "completed".equals(s.state()))
            .map(BackupManifest.Snapshot::snapshotId)
            .toList();
    FastRestorePlan plan = new FastRestorePlan(Map.of(), Map.of());
    List<FastRestorePlan.Failure> failures = new ArrayList<>();
    Outcome outcome;
    try {
      // Only snapshots tagged as this cluster's, for this StatefulSet: zoneguard never touches
      // FSR a user set on anything else.
      Set<String> own = new LinkedHashSet<>(newest);
      storage
          .findSnapshots(
              Map.of(
                  Keys.TAG_CLUSTER, clusterName,
                  Keys.TAG_NAMESPACE, set.namespace(),
                  Keys.TAG_STATEFULSET, set.statefulSet()))
          .stream()
          .map(SnapshotRef::snapshotId)
          .forEach(own::add);
      plan = FastRestorePlan.of(newest, zones, storage.fastRestoreStates(own));
      plan.disable()
          .forEach((zone, ids) -> failures.addAll(storage.disableFastRestore(ids, List.of(zone))));
      plan.enable()
          .forEach((zone, ids) -> failures.addAll(storage.enableFastRestore(ids, List.of(zone))));
      outcome = new Outcome(set.setId(), plan, failures, null);
    } catch (RuntimeException e) {
      // the set is committed: whatever went wrong here must not turn it into a failed backup
      outcome = new Outcome(set.setId(), plan, failures, e.getMessage());
    }
    if (outcome.ok()) {
      LOG.info("backup {}: {}", set.setId(), outcome.summary());
      if (!plan.nothingToDo()) {
        events.record(
            set.namespace(), set.statefulSet(), false, "FastRestoreRotated", outcome.summary());
      }
    } else {
      LOG.warn("backup {}: {}", set.setId(), outcome.summary());
      events.record(
          set.namespace(), set.statefulSet(), true, "FastRestoreFailed", outcome.summary());
    }
    return outcome;
  }
}
