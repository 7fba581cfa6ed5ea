package io.zoneguard.failover;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverPlan.Step;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.inventory.PvcStatus;
import io.zoneguard.inventory.StatefulSetStatus;
import io.zoneguard.inventory.ZoneHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pure: the finished failover's record and the cluster as it is now in, the failback plan out. Each
 * PVC the failover moved goes back to its original zone from a fresh snapshot of the volume it runs
 * on now, and the StatefulSet's original affinity returns. Refused while the original zone is not
 * healthy or when a moved PVC is no longer where the failover put it.
 */
public final class FailbackPlanner {
  private FailbackPlanner() {}

  public static FailoverPlan plan(
      FailoverRecord failover,
      StatefulSetStatus sts,
      List<ZoneHealth> health,
      List<ZoneState> ec2Zones) {
    FailoverPlan fo = failover.plan();
    String home = fo.failedZone();
    List<String> refusals = new ArrayList<>();
    Optional<ZoneState> ec2 = ec2Zones.stream().filter(z -> z.zone().name().equals(home)).findAny();
    Optional<ZoneHealth> h = health.stream().filter(z -> z.zone().equals(home)).findAny();
    if (ec2.isEmpty() || !ec2.get().available()) {
      refusals.add(
          "zone " + home + " is " + ec2.map(ZoneState::state).orElse("unknown") + " in EC2");
    }
    if (h.isEmpty() || h.get().readyNodes() == 0) {
      refusals.add("zone " + home + " has no Ready node yet: pods could not run there");
    } else if (h.get().notReadyNodes() > 0) {
      refusals.add(
          "zone "
              + home
              + " still has "
              + h.get().notReadyNodes()
              + " NotReady node(s): wait until the zone has recovered");
    }
    List<PlannedVolume> volumes = new ArrayList<>();
    for (PlannedVolume moved : fo.volumes()) {
      String pv = FailoverRecord.pvName(failover.id(), moved.pvc());
      String volume = failover.newVolumes().get(moved.pvc());
      PvcStatus now =
          sts.pvcs().stream().filter(p -> p.pvc().equals(moved.pvc())).findAny().orElse(null);
      if (now == null || !pv.equals(now.pv()) || volume == null || !volume.equals(now.volumeId())) {
        refusals.add(
            moved.pvc()
                + " is no longer on "
                + pv
                + " / "
                + volume
                + " as failover "
                + failover.id()
                + " left it: fail back by hand (runbooks/failback.md)");
        continue;
      }
      volumes.add(
          new PlannedVolume(
              moved.pvc(),
              moved.ordinal(),
              volume,
              now.zone(),
              pv,
              null,
              null,
              0,
              home,
              now.sizeGiB() == null ? moved.sizeGiB() : now.sizeGiB(),
              now.volumeType() == null ? moved.volumeType() : now.volumeType(),
              now.iops() == null ? moved.iops() : now.iops(),
              now.throughputMiBps() == null ? moved.throughputMiBps() : now.throughputMiBps(),
              moved.encrypted(),
              moved.kmsKeyId(),
              moved.storageClass(),
              moved.fsType(),
              moved.accessModes(),
              null));
    }
    List<String> unaffected =
        sts.pvcs().stream()
            .map(PvcStatus::pvc)
            .filter(p -> volumes.stream().noneMatch(v -> v.pvc().equals(p)))
            .toList();
    return new FailoverPlan(
        FailoverPlan.FAILBACK,
        fo.namespace(),
        fo.statefulSet(),
        home,
        "failed over by " + failover.id() + " at " + failover.startedAt(),
        List.of(home),
        volumes,
        unaffected,
        volumes.isEmpty() ? List.of() : steps(home, volumes),
        refusals);
  }

  private static List<Step> steps(String home, List<PlannedVolume> vols) {
    List<String> pvcs = vols.stream().map(PlannedVolume::pvc).toList();
    return List.of(
        new Step(
            "unfence",
            "uncordon the Ready nodes of " + home + " and lift the out-of-service taint"),
        new Step("retain-old-pvs", "make sure the current PVs are Retain (their volumes are kept)"),
        new Step(
            "release-pvcs", "delete the claims " + pvcs + " (they stay until their pods stop)"),
        new Step(
            "stop-pods",
            "stop the moved replicas gracefully so their volumes are quiet (downtime starts)"),
        new Step("snapshot-volumes", "snapshot the quiet volumes (no data loss)"),
        new Step("create-volumes", "create volumes in " + home + " from those snapshots"),
        new Step("create-pvs", "create PVs pre-bound to the claim names, pinned to " + home),
        new Step("create-pvcs", "recreate the claims with volumeName set"),
        new Step("restore-affinity", "restore the StatefulSet's affinity from before the failover"),
        new Step("delete-stuck-pods", "delete moved replicas' pods still Pending, so they restart"),
        new Step("wait-ready", "wait until every replica is Ready"));
  }
}
