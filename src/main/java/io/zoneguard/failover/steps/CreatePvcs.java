package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvShape;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes sure each moved claim name is (or is becoming) bound to this run's PV: creates the claim
 * with {@code volumeName} when the name is free; accepts a claim the StatefulSet controller made
 * from its template if it is bound — or about to be bound ({@link PreBound}) — to this run's PV;
 * waits while the old claim is still Terminating. Any other claim under that name is refused.
 */
final class CreatePvcs implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    List<PlannedVolume> pending = new ArrayList<>(ctx.plan().volumes());
    List<String> created = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    ctx.await(
        ctx.options().releaseTimeout(),
        () -> {
          Map<String, PvcFacts> claims = ctx.claimsByName();
          waiting.clear();
          pending.removeIf(v -> settled(ctx, v, claims.get(v.pvc()), created, waiting));
          return pending.isEmpty();
        },
        () -> "claims " + waiting + " are still Terminating: re-run once they are gone");
    return created.isEmpty()
        ? StepOutcome.noop("every claim names its new PV")
        : StepOutcome.changed("created " + created);
  }

  private static boolean settled(
      StepContext ctx, PlannedVolume v, PvcFacts c, List<String> created, List<String> waiting) {
    String ours = FailoverRecord.pvName(ctx.id(), v.pvc());
    PvFacts pv =
        ctx.persistentVolumes()
            .get(ours)
            .orElseThrow(
                () ->
                    ZoneguardException.failed(
                        v.pvc() + ": PV " + ours + " is missing; re-run so create-pvs makes it",
                        null));
    if (c == null) {
      String mode = pv.shape() == null ? PvShape.FILESYSTEM : pv.shape().volumeMode();
      if (ctx.claims().create(ctx.namespace(), ctx.id(), v, mode)) {
        created.add(v.pvc());
        ctx.detail(v.pvc() + ": claim created naming " + ours);
      }
      return false; // look again: the controller may have won the race
    }
    if (ours.equals(c.volumeName())) {
      return true;
    }
    if (c.terminating()) {
      waiting.add(v.pvc());
      return false;
    }
    if (c.unbound() && PreBound.willBind(c, pv)) {
      ctx.detail(v.pvc() + ": template claim is binding to " + ours);
      return true;
    }
    throw ZoneguardException.unsafe(
        "pvc "
            + ctx.namespace()
            + "/"
            + v.pvc()
            + " exists and "
            + (c.unbound() ? "does not match " + ours : "names volume " + c.volumeName())
            + ": it would not get the restored data; inspect it (runbooks/failover.md)");
  }
}
