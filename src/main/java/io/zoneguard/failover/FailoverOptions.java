package io.zoneguard.failover;

import io.zoneguard.domain.Hydration;
import java.time.Duration;

/**
 * How a failover or failback runs: whether the operator confirmed the failed zone's nodes are shut
 * down (then nodes EC2 does not prove down may still get the out-of-service taint), how fencing
 * proves nodes down ({@link FenceMode}), how long to wait for volumes, snapshots, claims, pods and
 * stopped instances, how often to poll, how many EC2 calls to run at once, and how the restored
 * volumes are initialized ({@link Hydration}).
 */
public record FailoverOptions(
    boolean confirmNodesDown,
    FenceMode fence,
    Duration volumeTimeout,
    Duration releaseTimeout,
    Duration readyTimeout,
    Duration stopTimeout,
    Duration pollInterval,
    Duration lease,
    int parallelism,
    Hydration hydration) {

  public FailoverOptions {
    fence = fence == null ? FenceMode.VERIFY : fence;
    hydration = hydration == null ? Hydration.DEFAULT : hydration;
  }

  public static FailoverOptions defaults() {
    return new FailoverOptions(
        false,
        FenceMode.VERIFY,
        Duration.ofMinutes(10),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        // a forced stop usually completes within a minute or two; EC2 gives no guarantee
        Duration.ofMinutes(10),
        Duration.ofSeconds(2),
        Duration.ofMinutes(2),
        16,
        Hydration.DEFAULT);
  }

  public FailoverOptions withConfirmNodesDown(boolean confirmed) {
    return with(confirmed, null, null, null, null);
  }

  public FailoverOptions withFence(FenceMode mode) {
    return with(null, mode, null, null, null);
  }

  public FailoverOptions withReadyTimeout(Duration d) {
    return with(null, null, d, null, null);
  }

  public FailoverOptions withPollInterval(Duration d) {
    return with(null, null, null, d, null);
  }

  public FailoverOptions withHydration(Hydration h) {
    return with(null, null, null, null, h);
  }

  /** A copy with the given fields changed (null: kept), so each wither names only its own. */
  private FailoverOptions with(
      Boolean confirm, FenceMode fenceMode, Duration ready, Duration poll, Hydration h) {
    return new FailoverOptions(
        confirm == null ? confirmNodesDown : confirm,
        fenceMode == null ? fence : fenceMode,
        volumeTimeout,
        releaseTimeout,
        ready == null ? readyTimeout : ready,
        stopTimeout,
        poll == null ? pollInterval : poll,
        lease,
        parallelism,
        h == null ? hydration : h);
  }
}
