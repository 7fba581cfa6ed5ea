package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;

/** Recreates the moved PVCs under their original names, each asking for exactly its new PV. */
public final class CreatePvcs implements FailoverStep {
  @Override
  public String id() {
    return "create-pvcs";
  }

  @Override
  public String run(StepContext ctx) {
    for (PlannedVolume v : ctx.plan().volumes()) {
      ctx.cluster().createClaim(ctx.namespace(), ctx.id(), v);
      ctx.detail(v.pvc() + ": claim recreated");
    }
    return ctx.plan().volumes().size() + " claim(s) recreated";
  }
}
