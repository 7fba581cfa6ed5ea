package io.zoneguard.binlog;

import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.Gtid;
import java.time.Instant;

/**
 * Where a point-in-time restore stops: just before an instant ({@code --to-time}; binlog times are
 * whole seconds, events at or after it are not applied), after a transaction ({@code --to-gtid},
 * inclusive) or after the newest archived transaction ({@code drill run --to-latest}: neither time
 * nor GTID until {@link PointInTimeRestore} resolves it against the archive).
 */
public record RecoveryTarget(Instant time, Gtid gtid, String gtidText) {
  private static final RecoveryTarget LATEST = new RecoveryTarget(null, null, null);

  public static RecoveryTarget at(Instant time) {
    return new RecoveryTarget(time, null, null);
  }

  /**
   * {@code --to-time}'s argument.
   *
   * @throws io.zoneguard.domain.ZoneguardException usage, when it is not an ISO-8601 instant
   */
  public static RecoveryTarget parseTime(String iso) {
    try {
      return at(Instant.parse(iso.strip()));
    } catch (java.time.format.DateTimeParseException e) {
      throw io.zoneguard.domain.ZoneguardException.usage(
          "--to-time '" + iso + "' is not an ISO-8601 instant (e.g. 2026-11-24T10:15:00Z)");
    }
  }

  /** The newest archived transaction, whichever it is when the archive is read. */
  public static RecoveryTarget latest() {
    return LATEST;
  }

  public boolean isLatest() {
    return time == null && gtid == null;
  }

  /**
   * @throws io.zoneguard.domain.ZoneguardException usage, when {@code gtid} is not one
   */
  public static RecoveryTarget afterGtid(String gtid) {
    return new RecoveryTarget(null, Gtid.parse(gtid), gtid.strip());
  }

  /**
   * The target {@code --to-time} or {@code --to-gtid} names, null when neither is given.
   *
   * @throws io.zoneguard.domain.ZoneguardException usage, for both or a malformed one
   */
  public static RecoveryTarget fromFlags(String toTime, String toGtid) {
    if (toTime != null && toGtid != null) {
      throw io.zoneguard.domain.ZoneguardException.usage("give --to-time or --to-gtid, not both");
    }
    if (toGtid != null) {
      return afterGtid(toGtid);
    }
    if (toTime == null) {
      return null;
    }
    try {
      return at(Instant.parse(toTime));
    } catch (java.time.format.DateTimeParseException e) {
      throw io.zoneguard.domain.ZoneguardException.usage(
          "--to-time '" + toTime + "' is not an ISO-8601 instant (e.g. 2026-11-24T10:15:00Z)");
    }
  }

  /** Whether a transaction (its GTID event's time) is before the target, or the target itself. */
  boolean includes(Gtid g, Instant eventTime) {
    return time != null ? eventTime.isBefore(time) : !g.after(gtid);
  }

  /** Whether {@code s} holds the target (or an event past it): the chain may end there. */
  boolean reachedBy(BinlogSegment s) {
    if (time != null) {
      return s.lastEventTime() != null && !Instant.parse(s.lastEventTime()).isBefore(time);
    }
    return s.lastGtid() != null && !gtid.after(Gtid.parse(s.lastGtid()));
  }

  /** Why the archive does not reach it, given its newest event's time and GTID. */
  String notReached(String newestTime, String newestGtid) {
    return time != null
        ? time + " is after the newest archived event (" + newestTime + ")"
        : "GTID "
            + gtidText
            + " is not in the binlog archive (newest archived: "
            + newestGtid
            + ")";
  }

  @Override
  public String toString() {
    if (isLatest()) {
      return "the newest archived event";
    }
    return time != null ? time.toString() : "GTID " + gtidText;
  }
}
