package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvSource;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.PvcRef;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Failback: removes the hold from the moved claims — only once this run's PV, pre-bound to the
 * claim name and over the new volume, exists for every one of them. From then on whichever claim
 * comes next under that name (ours, or the StatefulSet controller's from the template) binds to the
 * restored data ({@code FindMatchingVolume} prefers a PV pre-bound to the claim).
 */
final class ReleaseClaims implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    for (PlannedVolume v : ctx.plan().volumes()) {
      String name = FailoverRecord.pvName(ctx.id(), v.pvc());
      String volume = ctx.record().newVolumes().get(v.pvc());
      PvFacts pv = ctx.persistentVolumes().get(name).orElse(null);
      boolean ready =
          pv != null
              && volume != null
              && new PvcRef(ctx.namespace(), v.pvc()).equals(pv.claimRef())
              && pv.source() instanceof PvSource.Ebs ebs
              && volume.equals(ebs.volumeId());
      if (!ready) {
        throw ZoneguardException.failed(
            v.pvc()
                + ": PV "
                + name
                + " over the new volume is not in place; the claim stays held. Re-run so"
                + " create-pvs makes it",
            null);
      }
    }
    List<String> released = new ArrayList<>();
    Map<String, PvcFacts> claims = ctx.claimsByName();
    for (PlannedVolume v : ctx.plan().volumes()) {
      PvcFacts c = claims.get(v.pvc());
      if (c != null && c.finalizers().contains(Keys.HOLD_FINALIZER)) {
        ctx.claims().hold(ctx.namespace(), v.pvc(), c.uid(), false);
        released.add(v.pvc());
        ctx.detail(v.pvc() + ": hold removed; the old claim goes");
      }
    }
    return released.isEmpty()
        ? StepOutcome.noop("no claim held")
        : StepOutcome.changed("released " + released);
  }
}
