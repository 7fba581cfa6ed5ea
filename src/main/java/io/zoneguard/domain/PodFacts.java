package io.zoneguard.domain;

import java.util.List;

/** A pod: where it runs, whether it is Ready, and which PVCs it mounts. */
public record PodFacts(
    String namespace,
    String name,
    String nodeName,
    String phase,
    boolean ready,
    boolean terminating,
    List<String> claimNames) {
  public PodFacts {
    claimNames = claimNames == null ? List.of() : List.copyOf(claimNames);
  }
}
