package io.zoneguard.failover.steps;

import java.util.List;

/**
 * Keeps the StatefulSet's pods out of the failed zone (merged into its affinity; the original is
 * saved for failback). Each replica still follows its PV's zone, so unmoved replicas stay put.
 */
public final class AvoidFailedZone implements FailoverStep {
  @Override
  public String id() {
    return "pin-affinity";
  }

  @Override
  public String run(StepContext ctx) {
    ctx.cluster().avoidZones(ctx.namespace(), ctx.statefulSet(), List.of(ctx.plan().failedZone()));
    return "pods kept out of " + ctx.plan().failedZone();
  }
}
