package io.zoneguard.failover.steps;

import io.zoneguard.domain.FenceDecision;
import io.zoneguard.domain.FenceDecision.Action;
import io.zoneguard.domain.InstanceFacts;
import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.failover.FenceFacts;
import io.zoneguard.failover.Fencing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cordons every node of the failed zone and adds the out-of-service taint only to nodes proven down
 * ({@link Fencing}: EC2 shows the instance stopped, terminated, absent or unreachable), to nodes
 * the operator confirmed down, and, with {@code --fence stop-instances}, to nodes whose instances
 * it force-stopped and saw stopped. The EC2 facts are read again here, not taken from the plan: an
 * instance may have come back since. A node that may still run is never tainted (the taint lets
 * PodGC force-delete its pods while MySQL may still write): the step refuses.
 */
public final class Fence implements FailoverStep {
  /** EC2 states in which a stop is already under way: StopInstances would fail or add nothing. */
  private static final Set<String> GOING_DOWN = Set.of("stopping", "shutting-down");

  /** States that end a forced stop (absent: EC2 no longer lists it). */
  private static final Set<String> DOWN = Set.of("stopped", "terminated", "absent");

  @Override
  public StepOutcome run(StepContext ctx) {
    String zone = ctx.plan().failedZone();
    List<NodeFacts> nodes = ctx.nodes().list();
    List<FenceDecision> decisions =
        FenceFacts.assess(
            nodes, ctx.instances(), zone, ctx.options().fence(), ctx.options().confirmNodesDown());
    Fencing.refusal(zone, decisions)
        .ifPresent(
            r -> {
              throw ZoneguardException.unsafe(r);
            });
    Map<String, NodeFacts> byName = new HashMap<>();
    nodes.forEach(n -> byName.put(n.name(), n));
    for (FenceDecision d : decisions) {
      if (!byName.get(d.node()).unschedulable()) {
        ctx.nodes().cordon(d.node());
      }
    }
    stopInstances(ctx, decisions);
    int tainted = 0;
    int spared = 0;
    for (FenceDecision d : decisions) {
      if (!d.action().taints()) {
        spared++;
        ctx.detail("node " + d.node() + ": cordoned, not tainted (" + d.why() + ")");
        continue;
      }
      if (!byName.get(d.node()).taints().contains(io.zoneguard.domain.Keys.OUT_OF_SERVICE_TAINT)) {
        // the decision above is the proof (EC2 or the operator's word): the adapter only edits
        ctx.nodes().taintOutOfService(d.node());
      }
      tainted++;
      ctx.detail("node " + d.node() + ": cordoned and tainted out-of-service (" + d.why() + ")");
    }
    return StepOutcome.changed(
        "cordoned "
            + decisions.size()
            + " node(s) of "
            + zone
            + ", tainted "
            + tainted
            + (spared > 0 ? ", " + spared + " Ready node(s) left untainted" : ""));
  }

  /** Force-stops the instances the decisions say to, and waits until EC2 reports them stopped. */
  private static void stopInstances(StepContext ctx, List<FenceDecision> decisions) {
    List<FenceDecision> toStop =
        decisions.stream().filter(d -> d.action() == Action.STOP_THEN_TAINT).toList();
    if (toStop.isEmpty()) {
      return;
    }
    List<String> ids = toStop.stream().map(FenceDecision::instanceId).toList();
    List<String> start =
        toStop.stream()
            .filter(d -> !GOING_DOWN.contains(d.ec2State()))
            .map(FenceDecision::instanceId)
            .toList();
    ctx.instances().forceStop(start);
    ctx.detail("force-stopping " + ids + " (StopInstances Force=true); waiting until stopped");
    Map<String, String> seen = new HashMap<>();
    ctx.await(
        ctx.options().stopTimeout(),
        () -> {
          Map<String, InstanceFacts> now = ctx.instances().describe(ids);
          boolean all = true;
          for (String id : ids) {
            String state = now.containsKey(id) ? now.get(id).state() : "absent";
            if (!state.equals(seen.put(id, state))) {
              ctx.detail("instance " + id + ": " + state);
            }
            all &= DOWN.contains(state);
          }
          return all;
        },
        () ->
            "instances "
                + ids
                + " did not stop within "
                + ctx.options().stopTimeout().toSeconds()
                + "s (last seen "
                + seen
                + "); nothing was tainted. Check them in the EC2 console and re-run");
  }
}
