package io.zoneguard.cli.options;

import io.zoneguard.domain.Hydration;
import picocli.CommandLine.Option;

/**
 * {@code --initialization-rate} and {@code --fast-restore}: how volumes restored from snapshots
 * load their blocks. Shared by failover/failback plan and apply (the plan shows the estimate) and
 * drill run (so a drill measures the RTO a failover with the same rate would have).
 */
public final class HydrationOptions {
  @Option(
      names = "--initialization-rate",
      paramLabel = "MiB/s",
      description = {
        "EBS Provisioned Rate for Volume Initialization of each restored volume, 100-300 MiB/s",
        "(billed per GiB): the volume reaches full speed after size/rate, so the RTO is",
        "predictable. Default: EBS's own rate, which fluctuates; the first queries after the",
        "restore read blocks from S3 and are slow for an unknown time."
      })
  Integer rateMiBps;

  @Option(
      names = "--fast-restore",
      description = {
        "create each volume from a snapshot with Fast Snapshot Restore enabled in its target",
        "zone (fully initialized at once) where there is one; the others use",
        "--initialization-rate or EBS's default. zoneguard does not enable FSR itself (it is",
        "billed per snapshot and zone hour): see runbooks/failover.md."
      })
  boolean fastRestore;

  /** The checked choice; a rate outside 100-300 is a usage error (exit 2) before any call. */
  public Hydration hydration() {
    return Hydration.of(rateMiBps, fastRestore);
  }
}
