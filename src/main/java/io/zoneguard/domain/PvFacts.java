package io.zoneguard.domain;

import java.util.List;

/**
 * A PersistentVolume as zoneguard needs to see it. {@code zone} comes from its nodeAffinity; {@code
 * claimUid} is the UID the binder wrote into its claimRef (null while only pre-bound by name).
 */
public record PvFacts(
    String name,
    String phase,
    String storageClass,
    String capacity,
    List<String> accessModes,
    String reclaimPolicy,
    PvcRef claimRef,
    PvSource source,
    Zone zone,
    String claimUid,
    PvShape shape) {
  public PvFacts {
    accessModes = accessModes == null ? List.of() : List.copyOf(accessModes);
    shape = shape == null ? PvShape.filesystem(null) : shape;
  }

  public PvFacts(
      String name,
      String phase,
      String storageClass,
      String capacity,
      List<String> accessModes,
      String reclaimPolicy,
      PvcRef claimRef,
      PvSource source,
      Zone zone) {
    this(
        name,
        phase,
        storageClass,
        capacity,
        accessModes,
        reclaimPolicy,
        claimRef,
        source,
        zone,
        null,
        null);
  }
}
