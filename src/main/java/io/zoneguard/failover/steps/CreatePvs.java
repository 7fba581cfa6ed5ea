package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvShape;
import io.zoneguard.domain.ZoneguardException;

/**
 * Creates the static PVs over the new volumes, pre-bound to the original claim names and pinned to
 * the new zones, presenting the volume as the old PV did (volumeMode, fsType, mountOptions, CSI
 * volumeAttributes). Runs before the old claims can go: should the StatefulSet controller recreate
 * a claim from its template, the binder hands it this PV instead of provisioning an empty one.
 */
final class CreatePvs implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    int created = 0;
    for (PlannedVolume v : ctx.plan().volumes()) {
      String volumeId = ctx.record().newVolumes().get(v.pvc());
      if (volumeId == null) {
        throw ZoneguardException.failed(
            v.pvc() + ": no new volume recorded; re-run so create-volumes makes it", null);
      }
      String name = FailoverRecord.pvName(ctx.id(), v.pvc());
      if (ctx.cluster().pv(name).isPresent()) {
        ctx.cluster().createPv(ctx.namespace(), ctx.id(), v, volumeId, shapeOf(ctx, v));
        continue; // checked to be over the same volume; kept
      }
      String snapshot = ctx.record().snapshots().get(v.pvc());
      ctx.cluster()
          .createPv(
              ctx.namespace(),
              ctx.id(),
              snapshot == null ? v : v.withSnapshot(snapshot, null),
              volumeId,
              shapeOf(ctx, v));
      created++;
      ctx.detail(v.pvc() + ": PV " + name + " over " + volumeId + " in " + v.targetZone());
    }
    return StepOutcome.of(created > 0, created + " PV(s) pre-bound");
  }

  /** The old PV's shape; without the old PV, Filesystem with the planned fsType. */
  private static PvShape shapeOf(StepContext ctx, PlannedVolume v) {
    if (v.oldPv() != null) {
      PvFacts old = ctx.cluster().pv(v.oldPv()).orElse(null);
      if (old != null) {
        return old.shape();
      }
      ctx.detail(v.pvc() + ": old PV " + v.oldPv() + " not found: assuming Filesystem");
    }
    return PvShape.filesystem(v.fsType());
  }
}
