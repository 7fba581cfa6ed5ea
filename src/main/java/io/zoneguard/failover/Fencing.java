package io.zoneguard.failover;

import io.zoneguard.domain.FenceDecision;
import io.zoneguard.domain.FenceDecision.Action;
import io.zoneguard.domain.InstanceFacts;
import io.zoneguard.domain.NodeFacts;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pure: decides, from EC2 facts, which nodes of the failed zone may get the out-of-service taint.
 *
 * <p>Why EC2 and not the Ready condition: the non-graceful node shutdown feature (KEP-2268, GA in
 * 1.28; kubernetes.io docs "Non-graceful node shutdown handling") requires the node to be verified
 * shut down before {@code node.kubernetes.io/out-of-service} is added, because the taint makes
 * taint eviction and PodGC force-delete its pods and lets the attach-detach controller detach their
 * volumes at once. A NotReady node only means the kubelet's heartbeat stopped: in a network
 * partition the instance still runs and MySQL keeps writing while a second {@code mysql-N} starts
 * elsewhere on a copy of its data (split brain). The node's instance ({@code spec.providerID}) is
 * proven down when EC2 says it is {@code stopped} or {@code terminated}, does not know it at all,
 * or its status checks fail reachability (EC2 itself cannot reach it). Anything else is refused,
 * unless the operator confirms the nodes are down or lets zoneguard stop the instances.
 */
public final class Fencing {
  private static final Set<String> DOWN_STATES = Set.of("stopped", "terminated");

  private Fencing() {}

  /** One decision per node of {@code zone}; nodes of other zones are not listed. */
  public static List<FenceDecision> decide(
      String zone,
      List<NodeFacts> nodes,
      Map<String, InstanceFacts> instances,
      FenceMode mode,
      boolean confirmedDown) {
    return nodes.stream()
        .filter(n -> n.zone() != null && n.zone().name().equals(zone))
        .map(n -> decide(n, instances, mode, confirmedDown))
        .toList();
  }

  static FenceDecision decide(
      NodeFacts n, Map<String, InstanceFacts> instances, FenceMode mode, boolean confirmedDown) {
    String id = n.instanceId();
    Optional<InstanceFacts> facts = Optional.ofNullable(id == null ? null : instances.get(id));
    String state = id == null ? "-" : facts.map(InstanceFacts::state).orElse("absent");
    String proof = proofOfDown(id, facts);
    if (proof != null) {
      return new FenceDecision(n.name(), n.ready(), id, state, Action.TAINT, proof);
    }
    String notProven =
        id == null
            ? "no EC2 instance in spec.providerID: EC2 cannot prove it down"
            : "instance " + id + " is " + state + " (" + facts.get().checks() + ")";
    if (confirmedDown) {
      return new FenceDecision(
          n.name(),
          n.ready(),
          id,
          state,
          Action.TAINT_CONFIRMED,
          notProven + "; the operator confirmed it is down (--confirm-nodes-down)");
    }
    if (n.ready()) {
      return new FenceDecision(
          n.name(),
          true,
          id,
          state,
          Action.CORDON_ONLY,
          "Ready and " + notProven + ": cordoned only, its pods keep running");
    }
    if (mode == FenceMode.STOP_INSTANCES && id != null && !"terminated".equals(state)) {
      return new FenceDecision(
          n.name(),
          false,
          id,
          state,
          Action.STOP_THEN_TAINT,
          notProven + "; --fence stop-instances force-stops it, then taints");
    }
    return new FenceDecision(
        n.name(),
        false,
        id,
        state,
        Action.REFUSE,
        "NotReady but " + notProven + ": maybe a network partition with MySQL still writing");
  }

  /** Why EC2 proves the instance is not running, or null when it does not. */
  private static String proofOfDown(String id, Optional<InstanceFacts> facts) {
    if (id == null) {
      return null;
    }
    if (facts.isEmpty()) {
      return "instance " + id + " is unknown to EC2 (absent): nothing runs there";
    }
    InstanceFacts f = facts.get();
    if (DOWN_STATES.contains(f.state())) {
      return "instance " + id + " is " + f.state() + " in EC2";
    }
    if (f.unreachable()) {
      return "instance " + id + " fails EC2's reachability status check (" + f.checks() + ")";
    }
    return null;
  }

  /**
   * The one-line refusal for the nodes fencing may not touch, or empty. It names the nodes and the
   * two ways forward.
   */
  public static Optional<String> refusal(String zone, List<FenceDecision> decisions) {
    List<String> refused =
        decisions.stream()
            .filter(d -> d.action() == Action.REFUSE)
            .map(
                d ->
                    d.node()
                        + " ("
                        + (d.instanceId() == null
                            ? "no instance"
                            : d.instanceId() + " " + d.ec2State())
                        + ")")
            .toList();
    if (refused.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "node(s) "
            + String.join(", ", refused)
            + " of "
            + zone
            + " are NotReady but EC2 does not show them down: this may be a network partition"
            + " with MySQL still writing, so they are not fenced. Verify they are shut down and"
            + " pass --confirm-nodes-down, or pass --fence stop-instances to have zoneguard"
            + " force-stop them");
  }
}
