package io.zoneguard.binlog;

import io.zoneguard.domain.Gtid;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The newest transaction a replay must apply, read from the archived files themselves with
 * zoneguard's own header reader ({@link BinlogEvents}), not from the decoder whose work it checks:
 * the last GTID event after the set's GTID (same domain) and before the target — before the first
 * event at or after {@code --to-time} (what {@code mariadb-binlog --stop-datetime} stops at), or up
 * to and including the target GTID. A drill compares it with what the scratch server executed.
 */
public final class ReplayReach {
  private ReplayReach() {}

  /** A transaction: its GTID and the time of its GTID event. */
  public record Point(String gtid, Instant time) {}

  /** Over the chain's files, in order; empty when no transaction after {@code after} is due. */
  public static Optional<Point> of(List<Path> files, String after, RecoveryTarget target) {
    Gtid set = Gtid.parse(after);
    Point[] last = {null};
    boolean[] stopped = {false};
    for (Path f : files) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
        BinlogEvents.walk(
            in,
            e -> {
              boolean past =
                  (target.time() != null
                          && e.time().getEpochSecond() != 0
                          && !e.time().isBefore(target.time()))
                      || (e.gtid() != null
                          && target.gtid() != null
                          && e.gtid().after(target.gtid()));
              if (past) {
                stopped[0] = true; // what mariadb-binlog --stop-datetime / --stop-position stop at
              } else if (e.gtid() != null && e.gtid().after(set)) {
                last[0] = new Point(e.gtid().text(), e.time());
              }
              return !past;
            });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
      if (stopped[0]) {
        break;
      }
    }
    return Optional.ofNullable(last[0]);
  }
}
