package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.PvFacts;
import java.util.ArrayList;
import java.util.List;

/** Sets the moved PVCs' old PVs to Retain: deleting their claims must never delete the data. */
public final class RetainOldPvs implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    List<String> changed = new ArrayList<>();
    for (PlannedVolume v : ctx.plan().volumes()) {
      if (v.oldPv() == null) {
        continue;
      }
      PvFacts pv = ctx.persistentVolumes().get(v.oldPv()).orElse(null);
      if (pv != null && !"Retain".equals(pv.reclaimPolicy())) {
        ctx.persistentVolumes().setReclaimPolicy(v.oldPv(), "Retain");
        changed.add(v.oldPv());
        ctx.detail(v.pvc() + ": PV " + v.oldPv() + " " + pv.reclaimPolicy() + " -> Retain");
      }
    }
    return changed.isEmpty()
        ? StepOutcome.noop("all old PVs already Retain")
        : StepOutcome.changed("Retain on " + changed);
  }
}
