package io.zoneguard.failover.steps;

/** Puts back the StatefulSet's affinity from before the failover and drops the saved copy. */
public final class RestoreAffinity implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    ctx.cluster().restoreAffinity(ctx.namespace(), ctx.statefulSet());
    return StepOutcome.changed("original affinity restored");
  }
}
