package io.zoneguard.binlog;

import io.zoneguard.domain.Gtid;
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
    Point last = null;
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        Scan s = scan(in, set, target, last);
        last = s.last;
        if (s.stopped) {
          break;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return Optional.ofNullable(last);
  }

  private record Scan(Point last, boolean stopped) {}

  /** One file: magic, then events; a partial event at the end is not one. */
  static Scan scan(InputStream in, Gtid set, RecoveryTarget target, Point last) throws IOException {
    byte[] magic = in.readNBytes(BinlogEvents.MAGIC.length);
    if (!java.util.Arrays.equals(magic, BinlogEvents.MAGIC)) {
      throw new IllegalArgumentException("not a binary log: bad magic number");
    }
    while (true) {
      byte[] h = in.readNBytes(BinlogEvents.HEADER);
      if (h.length < BinlogEvents.HEADER) {
        return new Scan(last, false);
      }
      long time = BinlogEvents.u32(h, 0);
      int type = h[4] & 0xff;
      long size = BinlogEvents.u32(h, 9);
      if (size < BinlogEvents.HEADER) {
        throw new IllegalArgumentException("not a binary log: event of size " + size);
      }
      if (target.time() != null
          && time != 0
          && !Instant.ofEpochSecond(time).isBefore(target.time())) {
        return new Scan(last, true);
      }
      long body = size - BinlogEvents.HEADER;
      if (type == BinlogEvents.MARIADB_GTID_EVENT && body >= 12) {
        byte[] b = in.readNBytes(12);
        if (b.length < 12) {
          return new Scan(last, false);
        }
        Gtid g = new Gtid(BinlogEvents.u32(b, 8), BinlogEvents.u32(h, 5), BinlogEvents.u64(b, 0));
        if (target.gtid() != null && g.after(target.gtid())) {
          return new Scan(last, true);
        }
        if (g.after(set)) {
          last =
              new Point(
                  g.domain() + "-" + g.server() + "-" + Long.toUnsignedString(g.seq()),
                  Instant.ofEpochSecond(time));
        }
        body -= 12;
      }
      in.skipNBytes(body);
    }
  }
}
