package io.zoneguard.failover.steps;

import io.zoneguard.domain.PodFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * Failback: stops the moved replicas so their volumes are quiet before the final snapshot. Their
 * claims are already Terminating, so a recreated pod cannot start on them; each pod is deleted
 * gracefully (MySQL shuts down cleanly) and the step waits until the claims are gone.
 */
public final class StopMovedPods implements FailoverStep {
  @Override
  public String id() {
    return "stop-pods";
  }

  @Override
  public String run(StepContext ctx) {
    List<String> claims = new ArrayList<>();
    DeleteOldPvcs.withOldClaim(ctx).forEach(v -> claims.add(v.pvc()));
    List<String> stopped = new ArrayList<>();
    for (PodFacts p : ctx.podsOfMovedReplicas()) {
      if (!p.terminating() && p.claimNames().stream().anyMatch(claims::contains)) {
        ctx.cluster().deletePod(ctx.namespace(), p.name());
        stopped.add(p.name());
        ctx.detail(p.name() + ": stopping (graceful)");
      }
    }
    ctx.await(
        ctx.options().releaseTimeout(),
        () -> {
          claims.removeIf(c -> ctx.cluster().deletePvc(ctx.namespace(), c));
          return claims.isEmpty();
        },
        () -> "claims " + claims + " are still held by running pods after stopping " + stopped);
    return stopped.isEmpty() ? "no pod was running" : "stopped " + stopped;
  }
}
