package io.zoneguard.failover;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverPlan.Step;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.failover.steps.StepId;
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
        refusals,
        notes(volumes, fo.statefulSet()));
  }

  private static List<Step> steps(String home, List<PlannedVolume> vols) {
    List<String> pvcs = vols.stream().map(PlannedVolume::pvc).toList();
    List<Step> out = new ArrayList<>();
    for (StepId id : StepId.FAILBACK) {
      String specifics =
          switch (id) {
            case UNFENCE, CREATE_VOLUMES, CREATE_PVS -> home;
            case HOLD_CLAIMS, DELETE_CLAIMS, RELEASE_CLAIMS, CREATE_PVCS -> pvcs.toString();
            default -> null;
          };
      out.add(id.step(specifics));
    }
    return out;
  }

  /**
   * What the operator must know before saying yes: each moved replica's downtime (from stop-pods to
   * wait-ready: pod shutdown, snapshot of the quiet volume, volume creation, pod start), and that
   * the other replicas keep running (restore-affinity changes the template only if the failover
   * pinned it, which rolls them as the failover did).
   */
  static List<String> notes(List<PlannedVolume> vols, String sts) {
    List<String> out = new ArrayList<>();
    for (PlannedVolume v : vols) {
      out.add(
          sts
              + "-"
              + v.ordinal()
              + " is down from stop-pods until wait-ready: graceful shutdown, an EBS snapshot of"
              + " its "
              + v.sizeGiB()
              + " GiB volume (minutes on AWS, longer the more it changed since its last"
              + " snapshot), creating the volume in "
              + v.targetZone()
              + " (seconds), then pod start; no data is lost");
    }
    if (!vols.isEmpty()) {
      out.add(
          "the other replicas keep running; restore-affinity rolls them only if the failover"
              + " pinned the template (then like any template change, highest ordinal first)");
      out.add(
          "until release-claims the moved claims carry the zoneguard.io/hold finalizer: a crash"
              + " leaves those replicas down (never on an empty volume); re-run to resume");
    }
    return out;
  }
}
