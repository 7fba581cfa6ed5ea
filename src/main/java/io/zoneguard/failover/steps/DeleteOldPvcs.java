package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.Claims.Deletion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deletes the claims the plan moves — exactly the claim that still names the old PV, by UID, so a
 * claim the StatefulSet controller recreated from the template is never deleted (that would release
 * zoneguard's pre-bound PV: {@code pv_controller.go} {@code syncVolume} marks a PV whose claimRef
 * UID is gone Released, and it never binds again). Finalizers are Kubernetes' business: {@code
 * kubernetes.io/pvc-protection} goes when no scheduled pod references the claim ({@code
 * pvc_protection_controller.go} {@code podUsesPVC}), i.e. for a dead node once the out-of-service
 * taint let PodGC delete its pods.
 *
 * <p>Failover ({@code await}) waits until the claims are gone. Failback deletes only claims that
 * carry zoneguard's hold, which keeps them Terminating until the pre-bound PVs exist.
 */
final class DeleteOldPvcs implements FailoverStep {
  private final boolean await;

  DeleteOldPvcs(boolean await) {
    this.await = await;
  }

  @Override
  public StepOutcome run(StepContext ctx) {
    List<String> deleted = new ArrayList<>();
    Map<String, PvcFacts> claims = ctx.claimsByName();
    for (PlannedVolume v : ctx.plan().volumes()) {
      PvcFacts c = oldClaim(ctx, v, claims.get(v.pvc()));
      if (c == null || c.terminating()) {
        continue;
      }
      if (!await && !c.finalizers().contains(Keys.HOLD_FINALIZER)) {
        throw ZoneguardException.unsafe(
            "pvc "
                + ctx.namespace()
                + "/"
                + v.pvc()
                + " lacks zoneguard's hold finalizer: deleting it now would let the StatefulSet"
                + " controller recreate it empty; stopping, nothing deleted");
      }
      Deletion result = ctx.claims().delete(ctx.namespace(), v.pvc(), c.uid());
      if (result == Deletion.ACCEPTED) {
        deleted.add(v.pvc());
      }
      ctx.detail(
          v.pvc() + ": delete " + result.name().toLowerCase() + " (PV " + v.oldPv() + " kept)");
    }
    if (await) {
      List<String> pending = new ArrayList<>();
      ctx.await(
          ctx.options().releaseTimeout(),
          () -> {
            Map<String, PvcFacts> now = ctx.claimsByName();
            pending.clear();
            for (PlannedVolume v : ctx.plan().volumes()) {
              if (oldClaim(ctx, v, now.get(v.pvc())) != null) {
                pending.add(v.pvc());
              }
            }
            return pending.isEmpty();
          },
          () ->
              "claims "
                  + pending
                  + " are still in use by "
                  + users(ctx, pending)
                  + ": Kubernetes keeps a claim while a scheduled pod references it. Once the"
                  + " node is confirmed down (out-of-service taint) PodGC deletes its pods; then"
                  + " re-run");
    }
    String what = await ? "deleted" : "deleted (held, Terminating)";
    return deleted.isEmpty()
        ? StepOutcome.noop("no old claim left to delete")
        : StepOutcome.changed(what + " " + deleted);
  }

  /**
   * The claim planned for deletion: the one that still names the old PV. Null when it is gone or
   * when the name now belongs to a template claim (unbound, or on this run's PV) — both count as
   * done. A claim on any other PV is someone else's change: refused.
   */
  static PvcFacts oldClaim(StepContext ctx, PlannedVolume v, PvcFacts c) {
    if (c == null || c.unbound()) {
      return null;
    }
    if (c.volumeName().equals(v.oldPv())) {
      return c;
    }
    if (c.volumeName().equals(FailoverRecord.pvName(ctx.id(), v.pvc()))) {
      return null;
    }
    throw ZoneguardException.unsafe(
        "pvc "
            + ctx.namespace()
            + "/"
            + v.pvc()
            + " names PV "
            + c.volumeName()
            + ", neither the old "
            + v.oldPv()
            + " nor this run's: someone changed it; stopping, nothing deleted");
  }

  private static List<String> users(StepContext ctx, List<String> claims) {
    return ctx.pods().list(ctx.namespace()).stream()
        .filter(p -> p.claimNames().stream().anyMatch(claims::contains))
        .map(p -> p.name() + " on " + p.nodeName())
        .toList();
  }
}
