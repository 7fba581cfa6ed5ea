package io.zoneguard.failover;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the on-call engineer asked for: the failed zone (or detect it), target zones (or choose
 * healthy ones), the data loss they accept, and whether they override that limit.
 */
public record FailoverRequest(
    String namespace,
    String statefulSet,
    Optional<String> failedZone,
    List<String> targetZones,
    Duration maxDataLoss,
    boolean acceptDataLoss) {
  public FailoverRequest {
    targetZones = List.copyOf(targetZones);
  }
}
