package io.zoneguard.failover;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the on-call engineer asked for: the failed zone (or detect it), target zones (or choose
 * healthy ones), the data loss they accept, whether they override that limit, and whether they
 * confirmed that the failed zone's nodes are shut down even if Kubernetes still calls them Ready,
 * how fencing proves nodes down ({@link FenceMode}), and whether to pin the template even when the
 * pin policy does not require it.
 */
public record FailoverRequest(
    String namespace,
    String statefulSet,
    Optional<String> failedZone,
    List<String> targetZones,
    Duration maxDataLoss,
    boolean acceptDataLoss,
    boolean confirmNodesDown,
    FenceMode fence,
    boolean pin) {
  public FailoverRequest {
    targetZones = List.copyOf(targetZones);
    fence = fence == null ? FenceMode.VERIFY : fence;
  }

  /** With the defaults: --fence verify, no --pin. */
  public FailoverRequest(
      String namespace,
      String statefulSet,
      Optional<String> failedZone,
      List<String> targetZones,
      Duration maxDataLoss,
      boolean acceptDataLoss,
      boolean confirmNodesDown) {
    this(
        namespace,
        statefulSet,
        failedZone,
        targetZones,
        maxDataLoss,
        acceptDataLoss,
        confirmNodesDown,
        FenceMode.VERIFY,
        false);
  }
}
