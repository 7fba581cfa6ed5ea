package io.zoneguard.binlog;

import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.Gtid;
import java.time.Instant;

/**
 * Where a point-in-time restore stops: just before an instant ({@code --to-time}; binlog times are
 * whole seconds, events at or after it are not applied) or after a transaction ({@code --to-gtid},
 * inclusive).
 */
public record RecoveryTarget(Instant time, Gtid gtid, String gtidText) {
  public static RecoveryTarget at(Instant time) {
    return new RecoveryTarget(time, null, null);
  }

  /**
   * @throws io.zoneguard.domain.ZoneguardException usage, when {@code gtid} is not one
   */
  public static RecoveryTarget afterGtid(String gtid) {
    return new RecoveryTarget(null, Gtid.parse(gtid), gtid.strip());
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
    return time != null ? time.toString() : "GTID " + gtidText;
  }
}
