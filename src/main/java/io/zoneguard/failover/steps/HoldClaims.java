package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Failback: puts {@link Keys#HOLD_FINALIZER} on each moved claim before anything else happens to
 * it. Deleted later, a held claim stays Terminating: the StatefulSet controller then creates
 * neither the pod nor a claim from the template ({@code stateful_pod_control.go} {@code
 * createPersistentVolumeClaims}: "pvc %s is being deleted"), so the replica cannot come back on an
 * empty volume while its data is being moved. Only {@link ReleaseClaims} removes the hold, after
 * the pre-bound PVs exist.
 */
final class HoldClaims implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    List<String> held = new ArrayList<>();
    Map<String, PvcFacts> claims = ctx.claimsByName();
    for (PlannedVolume v : ctx.plan().volumes()) {
      PvcFacts c = claims.get(v.pvc());
      String where = "pvc " + ctx.namespace() + "/" + v.pvc();
      if (c == null || !v.oldPv().equals(c.volumeName())) {
        throw ZoneguardException.unsafe(
            where
                + (c == null ? " is gone" : " names " + c.volumeName())
                + " instead of "
                + v.oldPv()
                + ": failback cannot hold it; fail back by hand (runbooks/failback.md)");
      }
      if (c.finalizers().contains(Keys.HOLD_FINALIZER)) {
        continue;
      }
      if (c.terminating()) {
        // the API server refuses new finalizers on an object being deleted
        throw ZoneguardException.unsafe(
            where
                + " is already being deleted by someone else: its replica may come back empty;"
                + " fail back by hand (runbooks/failback.md)");
      }
      if (!ctx.claims().hold(ctx.namespace(), v.pvc(), c.uid(), true)) {
        throw ZoneguardException.unsafe(where + " changed while being held: re-run to look again");
      }
      held.add(v.pvc());
      ctx.detail(v.pvc() + ": held (" + Keys.HOLD_FINALIZER + ")");
    }
    return held.isEmpty()
        ? StepOutcome.noop("every moved claim already held")
        : StepOutcome.changed("held " + held);
  }
}
