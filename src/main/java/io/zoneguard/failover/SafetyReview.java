package io.zoneguard.failover;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FenceDecision;
import io.zoneguard.domain.PinDecision;
import io.zoneguard.port.Instances;
import io.zoneguard.port.Nodes;
import io.zoneguard.port.Placement;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds to a failover plan the two decisions that rest on facts the planner does not see: which of
 * the failed zone's nodes may be fenced (EC2 instance states, {@link Fencing}) and whether the
 * template must be pinned (its zone constraints, {@link PinPolicy}). Read-only.
 */
public final class SafetyReview {
  private final Nodes nodes;
  private final Instances instances;
  private final Placement placement;

  public SafetyReview(Nodes nodes, Instances instances, Placement placement) {
    this.nodes = nodes;
    this.instances = instances;
    this.placement = placement;
  }

  public FailoverPlan review(FailoverPlan plan, FailoverRequest req) {
    if (plan.failedZone() == null || plan.volumes().isEmpty()) {
      return plan;
    }
    List<String> refusals = new ArrayList<>();
    List<FenceDecision> fencing =
        FenceFacts.assess(
            nodes.list(), instances, plan.failedZone(), req.fence(), req.confirmNodesDown());
    Fencing.refusal(plan.failedZone(), fencing).ifPresent(refusals::add);
    PinDecision pin =
        PinPolicy.decide(
            placement.placement(plan.namespace(), plan.statefulSet()).orElse(null),
            plan.failedZone(),
            plan.volumes().stream().map(PlannedVolume::targetZone).toList(),
            req.pin());
    return plan.withSafety(fencing, pin, refusals);
  }
}
