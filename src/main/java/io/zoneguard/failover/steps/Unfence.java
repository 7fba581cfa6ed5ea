package io.zoneguard.failover.steps;

import io.zoneguard.domain.NodeFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * Failback: lifts the fence from the recovered zone's nodes that are Ready again (uncordon, remove
 * the out-of-service taint, as Kubernetes asks once a node is back). NotReady nodes stay fenced.
 */
public final class Unfence implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    String zone = ctx.plan().failedZone();
    List<String> lifted = new ArrayList<>();
    for (NodeFacts n : ctx.cluster().nodes()) {
      if (n.zone() != null && zone.equals(n.zone().name()) && n.ready()) {
        ctx.cluster().unfence(n.name());
        lifted.add(n.name());
        ctx.detail("node " + n.name() + ": uncordoned, out-of-service taint removed");
      }
    }
    return StepOutcome.of(!lifted.isEmpty(), "unfenced " + lifted);
  }
}
