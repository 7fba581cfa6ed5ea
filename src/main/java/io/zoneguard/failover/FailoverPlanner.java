package io.zoneguard.failover;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverPlan.Step;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.failover.steps.StepId;
import io.zoneguard.inventory.PvcStatus;
import io.zoneguard.inventory.StatefulSetStatus;
import io.zoneguard.inventory.ZoneHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pure: cluster facts and snapshots in, a {@link FailoverPlan} out. It decides the failed zone,
 * which PVCs are affected, the snapshot and target zone for each, and every reason to refuse
 * (design.md section 3). It changes nothing and talks to nothing.
 */
public final class FailoverPlanner {
  private FailoverPlanner() {}

  public static FailoverPlan plan(
      FailoverRequest req,
      StatefulSetStatus sts,
      List<ZoneHealth> health,
      List<ZoneState> ec2Zones,
      Map<String, List<SnapshotRef>> snapshotsByPvc,
      Instant now) {
    List<String> refusals = new ArrayList<>();
    Map<String, ZoneState> ec2 = new HashMap<>();
    ec2Zones.forEach(z -> ec2.put(z.zone().name(), z));
    Map<String, ZoneHealth> byZone = new HashMap<>();
    health.forEach(h -> byZone.put(h.zone(), h));

    // 1. the failed zone: given, or the one zone holding this StatefulSet's data that is DOWN
    String failed;
    String failedSource;
    if (req.failedZone().isPresent()) {
      failed = req.failedZone().get();
      failedSource = "given";
      if (!ec2.containsKey(failed)) {
        refusals.add("zone " + failed + " is not a zone of this region (EC2 does not list it)");
      }
    } else {
      Set<String> down = new LinkedHashSet<>();
      for (PvcStatus p : sts.pvcs()) {
        ZoneHealth h = p.zone() == null ? null : byZone.get(p.zone());
        if (h != null && h.health() == ZoneHealth.Health.DOWN) {
          down.add(p.zone());
        }
      }
      if (down.size() == 1) {
        failed = down.iterator().next();
        failedSource = "detected: " + describe(byZone.get(failed));
      } else {
        failed = null;
        failedSource = null;
        refusals.add(
            down.isEmpty()
                ? "no zone holding this StatefulSet's volumes is down; pass --from-zone to fail over"
                    + " anyway"
                : "several zones are down " + down + "; pass --from-zone");
      }
    }

    // 2. affected PVCs: data in the failed zone
    List<PvcStatus> affected = new ArrayList<>();
    List<String> unaffected = new ArrayList<>();
    for (PvcStatus p : sts.pvcs()) {
      if (failed != null && failed.equals(p.zone())) {
        affected.add(p);
      } else {
        unaffected.add(p.pvc());
      }
    }

    // 3. target zones: given and valid, or the healthy zones
    List<String> targets = new ArrayList<>();
    if (!req.targetZones().isEmpty()) {
      for (String t : req.targetZones()) {
        ZoneState z = ec2.get(t);
        if (t.equals(failed)) {
          refusals.add("target zone " + t + " is the failed zone");
        } else if (z == null) {
          refusals.add("target zone " + t + " is not a zone of this region (EC2 does not list it)");
        } else if (!z.available()) {
          refusals.add("target zone " + t + " is " + z.state() + " in EC2, not available");
        } else if (byZone.get(t) == null || byZone.get(t).readyNodes() == 0) {
          refusals.add("target zone " + t + " has no Ready node: pods could not run there");
        } else {
          targets.add(t);
        }
      }
    } else {
      health.stream()
          .filter(h -> h.health() == ZoneHealth.Health.HEALTHY && !h.zone().equals(failed))
          .filter(h -> ec2.containsKey(h.zone()) && ec2.get(h.zone()).available())
          .map(ZoneHealth::zone)
          .sorted()
          .forEach(targets::add);
      if (targets.isEmpty() && !affected.isEmpty()) {
        refusals.add("no healthy zone with Ready nodes to fail over to");
      }
    }

    // 4. per PVC: newest completed snapshot, data loss, target (spread: fewest replicas first)
    Map<String, Integer> replicasPerZone = new TreeMap<>();
    targets.forEach(t -> replicasPerZone.put(t, 0));
    for (PvcStatus p : sts.pvcs()) {
      if (!affected.contains(p) && p.zone() != null && replicasPerZone.containsKey(p.zone())) {
        replicasPerZone.merge(p.zone(), 1, Integer::sum);
      }
    }
    List<PlannedVolume> volumes = new ArrayList<>();
    for (PvcStatus p : affected) {
      if (!p.ebs()) {
        refusals.add(
            p.pvc()
                + " is not EBS-backed ("
                + p.backing()
                + "): it cannot be restored in another zone");
        continue;
      }
      if (p.pod() != null
          && Boolean.TRUE.equals(p.nodeReady())
          && !"Succeeded".equals(p.podPhase())
          && !"Failed".equals(p.podPhase())
          && !req.confirmNodesDown()) {
        refusals.add(
            p.pvc()
                + " is mounted by pod "
                + p.pod()
                + " on node "
                + p.node()
                + ", which is Ready: it may still write. Stop that pod, or confirm the node is"
                + " shut down with --confirm-nodes-down");
      }
      Optional<SnapshotRef> snap =
          snapshotsByPvc.getOrDefault(p.pvc(), List.of()).stream()
              .filter(SnapshotRef::completed)
              .max(Comparator.comparing(SnapshotRef::startTime));
      if (snap.isEmpty()) {
        refusals.add(
            p.pvc()
                + " has no completed snapshot in a complete backup set (take one with 'zoneguard backup run')");
        continue;
      }
      long loss = Duration.between(snap.get().startTime(), now).toSeconds();
      if (loss > req.maxDataLoss().toSeconds() && !req.acceptDataLoss()) {
        refusals.add(
            p.pvc()
                + ": newest snapshot "
                + snap.get().snapshotId()
                + " is "
                + Text.age(loss)
                + " old, more than --max-data-loss "
                + Text.age(req.maxDataLoss().toSeconds())
                + " (pass --accept-data-loss to go ahead)");
      }
      String target =
          replicasPerZone.entrySet().stream()
              .min(
                  Map.Entry.<String, Integer>comparingByValue()
                      .thenComparing(Map.Entry.comparingByKey()))
              .map(Map.Entry::getKey)
              .orElse(null);
      if (target != null) {
        replicasPerZone.merge(target, 1, Integer::sum);
      }
      volumes.add(
          new PlannedVolume(
              p.pvc(),
              p.ordinal(),
              p.volumeId(),
              p.zone(),
              p.pv(),
              snap.get().snapshotId(),
              snap.get().startTime().toString(),
              loss,
              target,
              p.sizeGiB() == null ? snap.get().sizeGiB() : p.sizeGiB(),
              p.volumeType(),
              p.iops(),
              p.throughputMiBps(),
              Boolean.TRUE.equals(p.encrypted()) || snap.get().encrypted(),
              snap.get().kmsKeyId(),
              p.storageClass(),
              p.fsType(),
              p.accessModes().isEmpty() ? List.of("ReadWriteOnce") : p.accessModes(),
              snap.get().tags().get(Keys.TAG_BACKUP_SET)));
    }
    return new FailoverPlan(
        FailoverPlan.FAILOVER,
        req.namespace(),
        req.statefulSet(),
        failed,
        failedSource,
        targets,
        volumes,
        unaffected,
        volumes.isEmpty() ? List.of() : steps(failed, volumes),
        refusals);
  }

  private static List<Step> steps(String failed, List<PlannedVolume> vols) {
    List<String> pvcs = vols.stream().map(PlannedVolume::pvc).toList();
    List<Step> out = new ArrayList<>();
    for (StepId id : StepId.FAILOVER) {
      String specifics =
          switch (id) {
            case FENCE -> failed;
            case CREATE_VOLUMES, DELETE_OLD_PVCS, CREATE_PVCS -> pvcs.toString();
            case PIN_AFFINITY -> "NotIn " + failed;
            default -> null;
          };
      out.add(id.step(specifics));
    }
    return out;
  }

  private static String describe(ZoneHealth h) {
    return "EC2 "
        + h.awsState()
        + ", "
        + h.readyNodes()
        + " Ready / "
        + h.notReadyNodes()
        + " NotReady nodes";
  }
}
