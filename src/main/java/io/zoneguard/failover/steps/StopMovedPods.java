package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Failback: stops the moved replicas so their volumes are quiet before the final snapshot. Their
 * claims are held and Terminating, so the StatefulSet controller does not recreate the pods; each
 * is deleted gracefully (MySQL shuts down cleanly) and the step waits until the pod objects are
 * gone — a terminating pod may still be writing.
 */
final class StopMovedPods implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    Map<String, PvcFacts> claims = ctx.claimsByName();
    for (PlannedVolume v : ctx.plan().volumes()) {
      PvcFacts c = claims.get(v.pvc());
      if (c == null || !c.terminating() || !c.finalizers().contains(Keys.HOLD_FINALIZER)) {
        throw ZoneguardException.unsafe(
            "pvc "
                + ctx.namespace()
                + "/"
                + v.pvc()
                + " is not held and Terminating: stopping its pod now would let it come back"
                + " (possibly empty); re-run so hold-claims and delete-claims come first");
      }
    }
    List<String> stopped = new ArrayList<>();
    for (PodFacts p : ctx.podsOfMovedReplicas()) {
      if (!p.terminating()) {
        ctx.pods().delete(ctx.namespace(), p.name());
        stopped.add(p.name());
        ctx.detail(p.name() + ": stopping (graceful)");
      }
    }
    List<String> left = new ArrayList<>();
    ctx.await(
        ctx.options().releaseTimeout(),
        () -> {
          left.clear();
          ctx.podsOfMovedReplicas().forEach(p -> left.add(p.name() + " on " + p.nodeName()));
          return left.isEmpty();
        },
        () ->
            "pods "
                + left
                + " are still there after stopping "
                + stopped
                + ": their volumes may still be written to; see 'kubectl describe pod', then"
                + " re-run");
    return stopped.isEmpty()
        ? StepOutcome.noop("no pod was running")
        : StepOutcome.changed("stopped " + stopped);
  }
}
