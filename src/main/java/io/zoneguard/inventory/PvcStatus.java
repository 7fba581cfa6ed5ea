package io.zoneguard.inventory;

import java.util.List;

/**
 * One PVC of a StatefulSet with everything under and above it: PV, backing volume, zone, and the
 * pod and node using it. Fields are null where the object does not exist or does not apply.
 */
public record PvcStatus(
    String pvc,
    String template,
    int ordinal,
    String phase,
    String pv,
    String storageClass,
    String backing,
    String fsType,
    List<String> accessModes,
    String volumeId,
    String zone,
    Integer sizeGiB,
    String volumeType,
    Integer iops,
    Integer throughputMiBps,
    Boolean encrypted,
    String volumeState,
    String pod,
    String podPhase,
    Boolean podReady,
    String node,
    Boolean nodeReady,
    List<String> warnings) {
  public PvcStatus {
    accessModes = accessModes == null ? List.of() : List.copyOf(accessModes);
    warnings = List.copyOf(warnings);
  }

  /** True when the data lives on EBS, so snapshots and zone failover apply. */
  public boolean ebs() {
    return "ebs".equals(backing);
  }
}
