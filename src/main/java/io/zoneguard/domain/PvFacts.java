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

  /** Whether this PV presents EBS volume {@code volumeId} (a re-run finds its own PV this way). */
  public boolean over(String volumeId) {
    return source instanceof PvSource.Ebs ebs && ebs.volumeId().equals(volumeId);
  }

  /**
   * Refuses (unsafe) when this PV, found under the name zoneguard would give its own, is not over
   * {@code volumeId}: binding the claim to it would put the replica on data that is not the
   * restored copy. The steps that create PVs call this; the Kubernetes adapter only creates.
   */
  public PvFacts requireOver(String volumeId) {
    if (!over(volumeId)) {
      throw ZoneguardException.unsafe(
          "persistentvolume "
              + name
              + " exists but is not over "
              + volumeId
              + ": inspect it; zoneguard does not replace PVs");
    }
    return this;
  }
}
