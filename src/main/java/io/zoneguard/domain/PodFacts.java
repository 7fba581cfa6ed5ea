package io.zoneguard.domain;

import java.time.Instant;
import java.util.List;

/** A pod: where it runs, whether it is Ready, which PVCs it mounts, and when it was created. */
public record PodFacts(
    String namespace,
    String name,
    String nodeName,
    String phase,
    boolean ready,
    boolean terminating,
    List<String> claimNames,
    Instant createdAt) {
  public PodFacts {
    claimNames = claimNames == null ? List.of() : List.copyOf(claimNames);
  }

  public PodFacts(
      String namespace,
      String name,
      String nodeName,
      String phase,
      boolean ready,
      boolean terminating,
      List<String> claimNames) {
    this(namespace, name, nodeName, phase, ready, terminating, claimNames, null);
  }
}
