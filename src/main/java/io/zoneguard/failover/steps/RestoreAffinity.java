package io.zoneguard.failover.steps;

/**
 * Failback: puts back the template's nodeSelector and affinity from before the failover, only if
 * the failover changed them (a restore is itself a template change that rolls every replica).
 */
public final class RestoreAffinity implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    return ctx.placement().restore(ctx.namespace(), ctx.statefulSet())
        ? StepOutcome.changed("original nodeSelector and affinity restored")
        : StepOutcome.noop("the failover did not change the template: nothing to restore");
  }
}
