package io.zoneguard.domain;

import java.util.List;

/**
 * A node: its zone label, Ready condition, cordon state, taint keys and {@code spec.providerID} (on
 * EKS {@code aws:///<zone>/<instance-id>}; null when absent).
 */
public record NodeFacts(
    String name,
    Zone zone,
    boolean ready,
    boolean unschedulable,
    List<String> taints,
    String providerId) {
  public NodeFacts {
    taints = taints == null ? List.of() : List.copyOf(taints);
  }

  public NodeFacts(
      String name, Zone zone, boolean ready, boolean unschedulable, List<String> taints) {
    this(name, zone, ready, unschedulable, taints, null);
  }

  /**
   * The EC2 instance id the providerID names ({@code aws:///us-east-1b/i-0abc} or the older {@code
   * aws:///i-0abc}), or null when the node is not an EC2 instance (or names none): then EC2 cannot
   * prove anything about it.
   */
  public String instanceId() {
    if (providerId == null || !providerId.startsWith("aws://")) {
      return null;
    }
    String last = providerId.substring(providerId.lastIndexOf('/') + 1);
    return last.startsWith("i-") && last.length() > 2 ? last : null;
  }
}
