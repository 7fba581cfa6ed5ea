package io.zoneguard.cli.options;

import io.zoneguard.failover.FailoverRequest;
import io.zoneguard.failover.FenceMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What to fail over: the same flags for plan and apply. */
public final class PlanFlags {
  @Option(
      names = "--from-zone",
      paramLabel = "ZONE",
      description = "the failed zone (default: detect).")
  public String fromZone;

  @Option(
      names = "--to-zone",
      paramLabel = "ZONE",
      description = "target zone; repeatable (default: every healthy zone, spread).")
  public List<String> toZones = List.of();

  @Option(
      names = "--max-data-loss",
      paramLabel = "DURATION",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description = "refuse when the newest snapshot is older (default: ${DEFAULT-VALUE}).")
  public Duration maxDataLoss;

  @Option(names = "--accept-data-loss", description = "go ahead beyond --max-data-loss.")
  public boolean acceptDataLoss;

  @Option(
      names = "--confirm-nodes-down",
      description =
          "you verified the failed zone's nodes are shut down: fence them (out-of-service taint)"
              + " even when EC2 does not show their instances stopped, and even if Kubernetes"
              + " still reports them Ready.")
  public boolean confirmNodesDown;

  @Option(
      names = "--fence",
      paramLabel = "MODE",
      defaultValue = "verify",
      description =
          "how NotReady nodes are proven down before the out-of-service taint: verify (EC2 must"
              + " show the instance stopped, terminated, absent or unreachable; otherwise refuse)"
              + " or stop-instances (force-stop such instances and wait until stopped)"
              + " (default: ${DEFAULT-VALUE}).")
  public String fence;

  @Option(
      names = "--pin",
      description =
          "keep the pods out of the failed zone in the template even when not required (rolls"
              + " every replica under RollingUpdate).")
  public boolean pin;

  public FenceMode fenceMode() {
    return FenceMode.of(fence);
  }

  public FailoverRequest request(TargetOptions target) {
    return new FailoverRequest(
        target.namespace,
        target.statefulSet,
        Optional.ofNullable(fromZone),
        toZones,
        maxDataLoss,
        acceptDataLoss,
        confirmNodesDown,
        fenceMode(),
        pin);
  }
}
