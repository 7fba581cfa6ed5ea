package io.zoneguard.domain;

import java.util.Collection;

/**
 * How a volume restored from a snapshot gets its blocks. EBS creates such a volume at once but
 * fetches each block from S3 on its first read ("volume initialization"), at a rate that
 * fluctuates, so the first queries after a failover can be slow for an unknown time. With an EBS
 * Provisioned Rate for Volume Initialization (CreateVolume {@code VolumeInitializationRate},
 * 100–300 MiB/s, billed per GiB) the whole snapshot is written at that rate, so the time until full
 * performance is its size divided by the rate: an RTO one can plan. Restored volumes initialize in
 * parallel, so the largest one bounds the wait. A snapshot with Fast Snapshot Restore (FSR) {@code
 * enabled} in the volume's zone gives a fully initialized volume at once ("instant"); EBS then
 * ignores FSR if a rate is also given, so with {@code fastRestore} the rate is sent only for
 * volumes whose snapshot has no FSR in their zone.
 *
 * @param rateMiBps the provisioned rate, or null for EBS's default (lazy) initialization
 * @param fastRestore use FSR where the snapshot has it enabled in the target zone
 */
public record Hydration(Integer rateMiBps, boolean fastRestore) {
  /** The range EC2 accepts for {@code VolumeInitializationRate} (CreateVolume API reference). */
  public static final int MIN_RATE = 100;

  public static final int MAX_RATE = 300;

  public static final Hydration DEFAULT = new Hydration(null, false);

  /** One new volume: its size, and whether its snapshot has FSR enabled in its zone. */
  public record Target(int sizeGiB, boolean fastRestoreEnabled) {}

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
    return of(rateMiBps, false);
  }

  public static Hydration of(Integer rateMiBps, boolean fastRestore) {
    return new Hydration(rateMiBps, fastRestore);
  }

  /**
   * Whether {@code enabled} (snapshot → zones with FSR enabled) says FSR is on for this snapshot in
   * this zone. Null-safe: a refused plan may have a volume without a snapshot or target yet.
   */
  public static boolean enabledIn(
      java.util.Map<String, java.util.Set<String>> enabled, String snapshotId, String zone) {
    if (snapshotId == null || zone == null) {
      return false;
    }
    java.util.Set<String> zones = enabled.get(snapshotId);
    return zones != null && zones.contains(zone);
  }

  /** Whether a volume is made from an FSR-enabled snapshot: only with {@code fastRestore}. */
  public boolean instant(boolean fastRestoreEnabledThere) {
    return fastRestore && fastRestoreEnabledThere;
  }

  /**
   * The rate to send for one volume: none where FSR applies (a rate would override it), else the
   * provisioned rate (or none).
   */
  public Integer rateFor(boolean fastRestoreEnabledThere) {
    return instant(fastRestoreEnabledThere) ? null : rateMiBps;
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

  /** One line for plans and reports: how the given new volumes reach full speed. */
  public String describe(java.util.List<Target> volumes) {
    long instant = volumes.stream().filter(v -> instant(v.fastRestoreEnabled())).count();
    java.util.List<Integer> rest =
        volumes.stream()
            .filter(v -> !instant(v.fastRestoreEnabled()))
            .map(Target::sizeGiB)
            .toList();
    if (!fastRestore) {
      return describe(rest);
    }
    if (rest.isEmpty()) {
      return "Fast Snapshot Restore: every new volume is fully initialized at creation (instant)";
    }
    return (instant == 0
            ? "no snapshot has Fast Snapshot Restore enabled in its target zone; "
            : "Fast Snapshot Restore for "
                + instant
                + " of "
                + volumes.size()
                + " volumes (instant); the others: ")
        + describe(rest);
  }

  private String describe(Collection<Integer> sizesGiB) {
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
