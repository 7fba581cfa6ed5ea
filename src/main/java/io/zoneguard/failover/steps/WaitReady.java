package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits until the move is really done: every moved replica's pod is Ready, not terminating, mounts
 * its claim (bound to this run's PV) and runs on a node of its target zone — and the StatefulSet
 * counts all replicas Ready. An old pod still terminating on a Ready node counts for nothing.
 */
final class WaitReady implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    AtomicReference<String> last = new AtomicReference<>("");
    ctx.await(
        ctx.options().readyTimeout(),
        () -> {
          StatefulSetFacts s =
              ctx.statefulSets()
                  .get(ctx.namespace(), ctx.statefulSet())
                  .orElseThrow(
                      () ->
                          ZoneguardException.statefulSetNotFound(
                              ctx.namespace(), ctx.statefulSet()));
          List<String> notYet = notYet(ctx);
          String now =
              s.readyReplicas()
                  + "/"
                  + s.replicas()
                  + " Ready"
                  + (notYet.isEmpty() ? "" : "; waiting for " + String.join(", ", notYet));
          if (!now.equals(last.getAndSet(now))) {
            ctx.detail(now);
          }
          return s.readyReplicas() >= s.replicas() && notYet.isEmpty();
        },
        () ->
            "not every replica became Ready within "
                + ctx.options().readyTimeout().toSeconds()
                + "s ("
                + last.get()
                + "); the data moves are done: see 'kubectl describe pod', then re-run to keep"
                + " waiting");
    return StepOutcome.changed("every moved replica Ready in its target zone on its new volume");
  }

  /** Why each moved replica is not done yet (empty: all done). */
  static List<String> notYet(StepContext ctx) {
    Map<String, PvcFacts> claims = ctx.claimsByName();
    Map<String, PodFacts> pods = new HashMap<>();
    ctx.pods().list(ctx.namespace()).forEach(p -> pods.put(p.name(), p));
    Map<String, NodeFacts> nodes = new HashMap<>();
    ctx.nodes().list().forEach(n -> nodes.put(n.name(), n));
    List<String> out = new ArrayList<>();
    for (PlannedVolume v : ctx.plan().volumes()) {
      String pod = ctx.statefulSet() + "-" + v.ordinal();
      String why = why(ctx, v, claims.get(v.pvc()), pods.get(pod), nodes);
      if (why != null) {
        out.add(pod + " " + why);
      }
    }
    return out;
  }

  private static String why(
      StepContext ctx, PlannedVolume v, PvcFacts c, PodFacts p, Map<String, NodeFacts> nodes) {
    if (c == null
        || c.terminating()
        || !FailoverRecord.pvName(ctx.id(), v.pvc()).equals(c.volumeName())) {
      return "(claim not on the new PV yet)";
    }
    if (p == null || p.terminating()) {
      return "(no new pod yet)";
    }
    // No "created after the claim" test: upstream createMissingPersistentVolumeClaims (k8s PR
    // #113270) creates the claim for a pod already Pending, so the right pod may predate its
    // claim. What proves it is not the old pod: it is not terminating and runs in the target
    // zone, where the old volume (in another zone) cannot be attached, on the claim bound to
    // this run's PV.
    if (!p.claimNames().contains(v.pvc())) {
      return "(pod does not mount " + v.pvc() + ")";
    }
    NodeFacts n = p.nodeName() == null ? null : nodes.get(p.nodeName());
    if (n == null || n.zone() == null || !v.targetZone().equals(n.zone().name())) {
      return "(not running in " + v.targetZone() + ")";
    }
    return p.ready() ? null : "(not Ready)";
  }
}
