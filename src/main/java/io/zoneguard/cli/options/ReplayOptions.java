package io.zoneguard.cli.options;

import io.zoneguard.binlog.RecoveryTarget;
import io.zoneguard.domain.ZoneguardException;
import picocli.CommandLine.Option;

/**
 * {@code --to-time} / {@code --to-latest} of {@code drill run}: roll the scratch database forward
 * from the binlog archive after the dump is verified, and prove the replay reached the archive's
 * last transaction before the target.
 */
public final class ReplayOptions {
  @Option(
      names = "--to-time",
      paramLabel = "ISO-8601",
      description =
          "after the dump, replay the binlog archive up to just before this instant (e.g."
              + " 2026-11-24T10:15:00Z), from the newest complete set taken before it.")
  String toTime;

  @Option(
      names = "--to-latest",
      description =
          "after the dump of the newest complete set (or --set), replay the binlog archive to its"
              + " newest archived transaction; the RPO reported is then the newest archived"
              + " event's age.")
  boolean toLatest;

  @Option(
      names = "--mariadb-binlog",
      paramLabel = "PATH",
      defaultValue = "mariadb-binlog",
      description = "with --to-time/--to-latest: the binlog decoder (default: ${DEFAULT-VALUE}).")
  public String decoder;

  /**
   * The target, null for a drill without replay.
   *
   * @throws ZoneguardException usage (exit 2) for both flags or a time that is not an instant
   */
  public RecoveryTarget target() {
    if (toTime != null && toLatest) {
      throw ZoneguardException.usage("give --to-time or --to-latest, not both");
    }
    if (toLatest) {
      return RecoveryTarget.latest();
    }
    return toTime == null ? null : RecoveryTarget.parseTime(toTime);
  }
}
