package io.zoneguard.domain;

import java.util.Collection;

/**
 * How a volume restored from a snapshot gets its blocks. EBS creates such a volume at once but
 * fetches each block from S3 on its first read ("volume initialization"), at a rate that
 * fluctuates, so the first queries after a failover can be slow for an unknown time. With an EBS
 * Provisioned Rate for Volume Initialization (CreateVolume {@code VolumeInitializationRate},
 * 100–300 MiB/s, billed per GiB) the whole snapshot is written at that rate, so the time until full
 * performance is its size divided by the rate: an RTO one can plan. Restored volumes initialize in
 * parallel, so the largest one bounds the wait.
 *
 * @param rateMiBps the provisioned rate, or null for EBS's default (lazy) initialization
 */
public record Hydration(Integer rateMiBps) {
  /** The range EC2 accepts for {@code VolumeInitializationRate} (CreateVolume API reference). */
  public static final int MIN_RATE = 100;

  public static final int MAX_RATE = 300;

  public static final Hydration DEFAULT = new Hydration(null);

  public Hydration {
    if (rateMiBps != null && (rateMiBps < MIN_RATE || rateMiBps > MAX_RATE)) {
      throw ZoneguardException.usage(
          "--initialization-rate must be between "
              + MIN_RATE
              + " and "
              + MAX_RATE
              + " MiB/s (EBS Provisioned Rate for Volume Initialization), got "
              + rateMiBps);
    }
  }

  /** A provisioned rate, checked against EC2's range; null means the default initialization. */
  public static Hydration of(Integer rateMiBps) {
    return rateMiBps == null ? DEFAULT : new Hydration(rateMiBps);
  }

  public boolean provisioned() {
    return rateMiBps != null;
  }

  /** Seconds to initialize a volume of this size at the provisioned rate; -1 if not provisioned. */
  public long seconds(long sizeGiB) {
    if (rateMiBps == null) {
      return -1;
    }
    return (sizeGiB * 1024 + rateMiBps - 1) / rateMiBps;
  }

  /** One line for plans and reports: how the given volumes (sizes in GiB) reach full speed. */
  public String describe(Collection<Integer> sizesGiB) {
    if (rateMiBps == null) {
      return "EBS default initialization: blocks load from S3 on first read at a fluctuating rate,"
          + " so the first queries are slow for an unknown time (--initialization-rate 100-300"
          + " makes it predictable)";
    }
    long largest = sizesGiB.stream().mapToLong(Integer::longValue).max().orElse(0);
    long total = sizesGiB.stream().mapToLong(Integer::longValue).sum();
    return "provisioned "
        + rateMiBps
        + " MiB/s: full speed within ~"
        + Text.age(seconds(largest))
        + " (largest volume "
        + largest
        + " GiB; "
        + total
        + " GiB in all, initialized in parallel)";
  }
}
