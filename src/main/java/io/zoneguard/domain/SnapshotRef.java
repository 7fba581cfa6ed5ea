package io.zoneguard.domain;

import java.time.Instant;
import java.util.Map;

/** An EBS snapshot: id, source volume, state ({@code pending|completed|error}), start, tags. */
public record SnapshotRef(
    String snapshotId,
    String volumeId,
    String state,
    Instant startTime,
    int sizeGiB,
    boolean encrypted,
    String kmsKeyId,
    Map<String, String> tags) {
  public SnapshotRef {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  public boolean completed() {
    return "completed".equals(state);
  }
}
