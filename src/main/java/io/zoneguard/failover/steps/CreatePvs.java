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
      var existing = ctx.persistentVolumes().get(name);
      if (existing.isEmpty()) {
        String snapshot = ctx.record().snapshots().get(v.pvc());
        if (!ctx.persistentVolumes()
            .create(
                ctx.namespace(),
                ctx.id(),
                snapshot == null ? v : v.withSnapshot(snapshot, null),
                volumeId,
                shapeOf(ctx, v))) {
          existing = ctx.persistentVolumes().get(name); // made meanwhile: judge it below
        }
      }
      if (existing.isPresent()) {
        // a PV of this name over another volume is refused (unsafe): it is not ours to replace
        existing.get().requireOver(volumeId);
        continue; // this run's PV from an earlier attempt: kept
      }
      created++;
      ctx.detail(v.pvc() + ": PV " + name + " over " + volumeId + " in " + v.targetZone());
    }
    return StepOutcome.of(created > 0, created + " PV(s) pre-bound");
  }

  /** The old PV's shape; without the old PV, Filesystem with the planned fsType. */
  private static PvShape shapeOf(StepContext ctx, PlannedVolume v) {
    if (v.oldPv() != null) {
      PvFacts old = ctx.persistentVolumes().get(v.oldPv()).orElse(null);
      if (old != null) {
        return old.shape();
      }
      ctx.detail(v.pvc() + ": old PV " + v.oldPv() + " not found: assuming Filesystem");
    }
    return PvShape.filesystem(v.fsType());
  }
}
