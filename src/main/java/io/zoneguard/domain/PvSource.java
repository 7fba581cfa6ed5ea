package io.zoneguard.domain;

/**
 * What backs a PersistentVolume: an EBS volume (CSI or in-tree) or something zoneguard cannot
 * snapshot.
 */
public sealed interface PvSource {

  /** An EBS volume; {@code driver} is {@code ebs.csi.aws.com} or {@code kubernetes.io/aws-ebs}. */
  record Ebs(String volumeId, String fsType, String driver) implements PvSource {}

  /** Anything else (local, hostPath, another CSI driver): dump-only protection. */
  record Other(String kind) implements PvSource {}

  default boolean isEbs() {
    return this instanceof Ebs;
  }
}
