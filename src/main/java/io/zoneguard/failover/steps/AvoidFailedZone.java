package io.zoneguard.failover.steps;

import io.zoneguard.domain.PinDecision;

/**
 * Re-pins the StatefulSet's template away from the failed zone, but only when the plan's pin
 * decision says so ({@link io.zoneguard.failover.PinPolicy}: required by the template's zone
 * constraints, or asked for with --pin). Any template change rolls every replica, so without that
 * decision the template is left alone: each moved replica follows its new PV's zone anyway. The
 * original nodeSelector and affinity are saved for failback.
 */
public final class AvoidFailedZone implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    PinDecision pin = ctx.plan().pin();
    String failed = ctx.plan().failedZone();
    if (pin != null && !pin.apply()) {
      return StepOutcome.noop("template unchanged (" + pin.why() + ")");
    }
    // pin == null: a run planned before the pin policy, which always pinned; resume it as planned
    ctx.placement().repin(ctx.namespace(), ctx.statefulSet(), failed, ctx.plan().targetZones());
    return StepOutcome.changed(
        "template re-pinned away from "
            + failed
            + (pin != null && pin.restartsHealthyReplicas()
                ? " (the StatefulSet controller now rolls every replica)"
                : ""));
  }
}
