package io.zoneguard.failover;

import java.time.Duration;

/**
 * How a failover or failback runs: whether the operator confirmed the failed zone's nodes are shut
 * down (only then may Ready nodes get the out-of-service taint), how long to wait for volumes,
 * snapshots, claims and pods, how often to poll, and how many EC2 calls to run at once.
 */
public record FailoverOptions(
    boolean confirmNodesDown,
    Duration volumeTimeout,
    Duration releaseTimeout,
    Duration readyTimeout,
    Duration pollInterval,
    Duration lease,
    int parallelism) {

  public static FailoverOptions defaults() {
    return new FailoverOptions(
        false,
        Duration.ofMinutes(10),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofSeconds(2),
        Duration.ofMinutes(2),
        16);
  }

  public FailoverOptions withConfirmNodesDown(boolean confirmed) {
    return new FailoverOptions(
        confirmed, volumeTimeout, releaseTimeout, readyTimeout, pollInterval, lease, parallelism);
  }

  public FailoverOptions withReadyTimeout(Duration d) {
    return new FailoverOptions(
        confirmNodesDown, volumeTimeout, releaseTimeout, d, pollInterval, lease, parallelism);
  }

  public FailoverOptions withPollInterval(Duration d) {
    return new FailoverOptions(
        confirmNodesDown, volumeTimeout, releaseTimeout, readyTimeout, d, lease, parallelism);
  }
}
