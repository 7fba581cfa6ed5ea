package io.zoneguard.domain;

import java.util.List;

/** A node: its zone label, Ready condition, cordon state and taint keys. */
public record NodeFacts(
    String name, Zone zone, boolean ready, boolean unschedulable, List<String> taints) {
  public NodeFacts {
    taints = taints == null ? List.of() : List.copyOf(taints);
  }
}
