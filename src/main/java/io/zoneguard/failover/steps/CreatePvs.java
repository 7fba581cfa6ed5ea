package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.ZoneguardException;

/**
 * Creates the static PVs over the new volumes, pre-bound to the original claim names and pinned to
 * the new zones. Runs before the old claims go: should the StatefulSet controller recreate a claim
 * from its template in between, the binder hands it this PV instead of provisioning an empty one.
 */
public final class CreatePvs implements FailoverStep {
  @Override
  public String id() {
    return "create-pvs";
  }

  @Override
  public String run(StepContext ctx) {
    for (PlannedVolume v : ctx.plan().volumes()) {
      String volumeId = ctx.record().newVolumes().get(v.pvc());
      if (volumeId == null) {
        throw ZoneguardException.failed(
            v.pvc() + ": no new volume recorded; re-run so create-volumes makes it", null);
      }
      String snapshot = ctx.record().snapshots().get(v.pvc());
      ctx.cluster()
          .createPv(
              ctx.namespace(),
              ctx.id(),
              snapshot == null ? v : v.withSnapshot(snapshot, null),
              volumeId);
      ctx.detail(
          v.pvc()
              + ": PV "
              + FailoverRecord.pvName(ctx.id(), v.pvc())
              + " over "
              + volumeId
              + " in "
              + v.targetZone());
    }
    return ctx.plan().volumes().size() + " PV(s) pre-bound";
  }
}
