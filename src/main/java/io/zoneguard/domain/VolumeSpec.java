package io.zoneguard.domain;

import java.util.Map;

/**
 * What EC2 says about one EBS volume: everything needed to recreate an equivalent volume elsewhere.
 * {@code iops} and {@code throughputMiBps} are null where the volume type has none.
 */
public record VolumeSpec(
    String volumeId,
    Zone zone,
    int sizeGiB,
    String volumeType,
    Integer iops,
    Integer throughputMiBps,
    boolean encrypted,
    String kmsKeyId,
    String state,
    String snapshotId,
    Map<String, String> tags) {
  public VolumeSpec {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
