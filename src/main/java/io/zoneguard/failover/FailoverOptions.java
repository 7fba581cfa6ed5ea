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
    return new FailoverOptions(
        confirmed,
        fence,
        volumeTimeout,
        releaseTimeout,
        readyTimeout,
        stopTimeout,
        pollInterval,
        lease,
        parallelism,
        hydration);
  }

  public FailoverOptions withFence(FenceMode mode) {
    return new FailoverOptions(
        confirmNodesDown,
        mode,
        volumeTimeout,
        releaseTimeout,
        readyTimeout,
        stopTimeout,
        pollInterval,
        lease,
        parallelism,
        hydration);
  }

  public FailoverOptions withReadyTimeout(Duration d) {
    return new FailoverOptions(
        confirmNodesDown,
        fence,
        volumeTimeout,
        releaseTimeout,
        d,
        stopTimeout,
        pollInterval,
        lease,
        parallelism,
        hydration);
  }

  public FailoverOptions withPollInterval(Duration d) {
    return new FailoverOptions(
        confirmNodesDown,
        fence,
        volumeTimeout,
        releaseTimeout,
        readyTimeout,
        stopTimeout,
        d,
        lease,
        parallelism,
        hydration);
  }

  public FailoverOptions withHydration(Hydration h) {
    return new FailoverOptions(
        confirmNodesDown,
        fence,
        volumeTimeout,
        releaseTimeout,
        readyTimeout,
        stopTimeout,
        pollInterval,
        lease,
        parallelism,
        h);
  }
}
