package io.zoneguard.failover.steps;

import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.PodFacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes (gracefully, never forced) the moved replicas' pods that cannot come back on their own:
 * Pending ones, and ones on NotReady nodes, so the controller recreates them with the new claim and
 * template (this also unsticks an OrderedReady rollout). Pods on Ready nodes are left alone.
 */
public final class DeleteStuckPods implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    Map<String, NodeFacts> nodes = new HashMap<>();
    ctx.nodes().list().forEach(n -> nodes.put(n.name(), n));
    List<String> deleted = new ArrayList<>();
    for (PodFacts p : ctx.podsOfMovedReplicas()) {
      if (p.terminating()) {
        continue;
      }
      NodeFacts node = p.nodeName() == null ? null : nodes.get(p.nodeName());
      if (node != null && node.ready()) {
        if (!p.ready()) {
          ctx.detail(p.name() + " on Ready node " + node.name() + ": left alone");
        }
        continue;
      }
      ctx.pods().delete(ctx.namespace(), p.name());
      deleted.add(p.name());
      ctx.detail(
          p.name()
              + (p.nodeName() == null ? " (Pending)" : " on NotReady " + p.nodeName())
              + ": deleted so it is recreated");
    }
    return deleted.isEmpty()
        ? StepOutcome.noop("no stuck pods")
        : StepOutcome.changed("deleted " + deleted);
  }
}
