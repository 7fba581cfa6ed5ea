package io.zoneguard.domain;

import java.util.List;

/** A PersistentVolume as zoneguard needs to see it. {@code zone} comes from its nodeAffinity. */
public record PvFacts(
    String name,
    String phase,
    String storageClass,
    String capacity,
    List<String> accessModes,
    String reclaimPolicy,
    PvcRef claimRef,
    PvSource source,
    Zone zone) {
  public PvFacts {
    accessModes = accessModes == null ? List.of() : List.copyOf(accessModes);
  }
}
