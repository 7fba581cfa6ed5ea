package io.zoneguard.failover.steps;

import io.zoneguard.domain.NodeFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * Failback: lifts the fence from the recovered zone's nodes that are Ready again (uncordon, remove
 * the out-of-service taint, as Kubernetes asks once a node is back). NotReady nodes stay fenced:
 * this step is the only judge of that (the node adapter just edits), so it reads Ready from the
 * same list it acts on.
 */
public final class Unfence implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    String zone = ctx.plan().failedZone();
    List<String> lifted = new ArrayList<>();
    for (NodeFacts n : ctx.nodes().list()) {
      if (n.zone() != null && zone.equals(n.zone().name()) && n.ready()) {
        ctx.nodes().unfence(n.name());
        lifted.add(n.name());
        ctx.detail("node " + n.name() + ": uncordoned, out-of-service taint removed");
      }
    }
    return StepOutcome.of(!lifted.isEmpty(), "unfenced " + lifted);
  }
}
