package io.zoneguard.domain;

import java.util.List;

/** A PersistentVolumeClaim as zoneguard needs to see it. */
public record PvcFacts(
    PvcRef ref,
    String phase,
    String volumeName,
    String storageClass,
    String capacity,
    List<String> accessModes,
    List<String> finalizers,
    boolean terminating) {
  public PvcFacts {
    accessModes = accessModes == null ? List.of() : List.copyOf(accessModes);
    finalizers = finalizers == null ? List.of() : List.copyOf(finalizers);
  }
}
