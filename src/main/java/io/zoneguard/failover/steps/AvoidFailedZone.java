package io.zoneguard.failover.steps;

import java.util.List;

/**
 * Keeps the StatefulSet's pods out of the failed zone (merged into its affinity; the original is
 * saved for failback). Each replica still follows its PV's zone, so unmoved replicas stay put.
 */
public final class AvoidFailedZone implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    ctx.cluster().avoidZones(ctx.namespace(), ctx.statefulSet(), List.of(ctx.plan().failedZone()));
    return StepOutcome.changed("pods kept out of " + ctx.plan().failedZone());
  }
}
