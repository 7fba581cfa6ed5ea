package io.zoneguard.failover.steps;

import io.zoneguard.domain.Keys;
import io.zoneguard.domain.NodeFacts;

/**
 * Cordons every node of the failed zone and adds the out-of-service taint to the NotReady ones
 * (Ready ones only when the operator confirmed the zone is shut down). Pods on Ready nodes are
 * never touched: they may still write, and two copies of one replica corrupt data.
 */
public final class Fence implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    String zone = ctx.plan().failedZone();
    int cordoned = 0;
    int tainted = 0;
    int spared = 0;
    for (NodeFacts n : ctx.cluster().nodes()) {
      if (n.zone() == null || !zone.equals(n.zone().name())) {
        continue;
      }
      if (!n.unschedulable()) {
        ctx.cluster().cordon(n.name());
      }
      cordoned++;
      if (n.ready() && !ctx.options().confirmNodesDown()) {
        spared++;
        ctx.detail(
            "node "
                + n.name()
                + " is Ready: cordoned, not tainted; its pods keep running (pass"
                + " --confirm-nodes-down once you know it is shut down)");
        continue;
      }
      if (!n.taints().contains(Keys.OUT_OF_SERVICE_TAINT)) {
        ctx.cluster().taintOutOfService(n.name(), ctx.options().confirmNodesDown());
      }
      tainted++;
      ctx.detail("node " + n.name() + ": cordoned and tainted out-of-service");
    }
    return StepOutcome.changed(
        "cordoned "
            + cordoned
            + " node(s) of "
            + zone
            + ", tainted "
            + tainted
            + (spared > 0 ? ", " + spared + " Ready node(s) left untainted" : ""));
  }
}
