package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes the moved PVCs (the old PVs stay, Retain). The {@code pvc-protection} finalizer is lifted
 * only when no pod that may still run uses the claim. With {@code await}, waits until the claims
 * are gone and fails naming the pods that still hold them; without, it leaves them Terminating for
 * a later step (failback stops the pods first).
 */
public final class DeleteOldPvcs implements FailoverStep {
  private final String id;
  private final boolean await;

  public DeleteOldPvcs(String id, boolean await) {
    this.id = id;
    this.await = await;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String run(StepContext ctx) {
    List<String> pending = new ArrayList<>();
    for (PlannedVolume v : withOldClaim(ctx)) {
      if (!ctx.cluster().deletePvc(ctx.namespace(), v.pvc())) {
        pending.add(v.pvc());
      } else {
        ctx.detail(v.pvc() + ": deleted (PV " + v.oldPv() + " kept)");
      }
    }
    if (!await) {
      return pending.isEmpty() ? "claims deleted" : "claims terminating: " + pending;
    }
    ctx.await(
        ctx.options().releaseTimeout(),
        () -> {
          pending.removeIf(p -> ctx.cluster().deletePvc(ctx.namespace(), p));
          return pending.isEmpty();
        },
        () ->
            "claims "
                + pending
                + " are still in use by "
                + users(ctx, pending)
                + ": their pods may still run. Confirm the nodes are down (--confirm-nodes-down)"
                + " or stop those pods, then re-run");
    return "deleted " + ctx.plan().volumes().size() + " claim(s)";
  }

  /**
   * The moved PVCs whose claim still names the old PV (one list call for all); refuses when a claim
   * names something that is neither the old PV nor this run's.
   */
  static List<PlannedVolume> withOldClaim(StepContext ctx) {
    Map<String, PvcFacts> claims = new HashMap<>();
    ctx.cluster().pvcs(ctx.namespace()).forEach(c -> claims.put(c.ref().name(), c));
    List<PlannedVolume> out = new ArrayList<>();
    for (PlannedVolume v : ctx.plan().volumes()) {
      PvcFacts pvc = claims.get(v.pvc());
      if (pvc == null || FailoverRecord.pvName(ctx.id(), v.pvc()).equals(pvc.volumeName())) {
        continue; // gone, or already the claim this run made
      }
      String volume = pvc.volumeName();
      if (volume != null && !volume.equals(v.oldPv())) {
        throw ZoneguardException.unsafe(
            "pvc "
                + ctx.namespace()
                + "/"
                + v.pvc()
                + " names PV "
                + volume
                + ", neither the old "
                + v.oldPv()
                + " nor this run's: someone changed it; stopping, nothing deleted");
      }
      out.add(v);
    }
    return out;
  }

  private static List<String> users(StepContext ctx, List<String> claims) {
    return ctx.cluster().pods(ctx.namespace()).stream()
        .filter(p -> p.claimNames().stream().anyMatch(claims::contains))
        .map(p -> p.name() + " on " + p.nodeName())
        .toList();
  }
}
