package io.zoneguard.failover;

import io.zoneguard.domain.FenceDecision;
import io.zoneguard.domain.NodeFacts;
import io.zoneguard.port.Instances;
import java.util.List;
import java.util.Objects;

/**
 * Reads what fencing decides on, now: the failed zone's nodes and their EC2 instances. Used when
 * planning and again by the fence step, since instances may change state in between.
 */
public final class FenceFacts {
  private FenceFacts() {}

  /** Decides on nodes already listed (the caller lists them once and uses them again). */
  public static List<FenceDecision> assess(
      List<NodeFacts> allNodes,
      Instances instances,
      String zone,
      FenceMode mode,
      boolean confirmedDown) {
    List<NodeFacts> nodes =
        allNodes.stream().filter(n -> n.zone() != null && n.zone().name().equals(zone)).toList();
    List<String> ids = nodes.stream().map(NodeFacts::instanceId).filter(Objects::nonNull).toList();
    return Fencing.decide(
        zone,
        nodes,
        ids.isEmpty() ? java.util.Map.of() : instances.describe(ids),
        mode,
        confirmedDown);
  }
}
