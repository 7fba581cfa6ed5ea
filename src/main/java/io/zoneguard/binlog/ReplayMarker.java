package io.zoneguard.binlog;

import io.zoneguard.domain.Gtid;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;

/**
 * Reads back from the server how far a replay got, in the session that ran it. {@code
 * mariadb-binlog} sets {@code @@session.gtid_seq_no} before each transaction it prints (also for
 * the transactions its {@code --database} filter empties) and, at its end, resets the session's
 * server id and domain but not that number: a server without binary logging keeps it, so it is the
 * last transaction the session executed. A server with binary logging clears it at each commit and
 * records {@code @@last_gtid} instead (checked against MariaDB 10.11). The larger of the two is how
 * far the replay went.
 */
public final class ReplayMarker {
  static final String PREFIX = "zoneguard-replayed-through ";

  /** Appended to the decoded SQL; the mysql client prints its one row. */
  static final String QUERY =
      "\nSELECT CONCAT('" + PREFIX + "', @@last_gtid, '|', @@session.gtid_seq_no);\n";

  private ReplayMarker() {}

  /** The sequence number executed, and the whole GTID when the server logged it (else null). */
  public record Executed(long seq, String gtid) {}

  /**
   * @throws ZoneguardException failed, when the client printed no marker (the load did not reach
   *     its end)
   */
  public static Executed parse(String clientOutput) {
    for (String line : clientOutput.lines().toList()) {
      if (!line.startsWith(PREFIX)) {
        continue;
      }
      String[] p = line.substring(PREFIX.length()).strip().split("\\|", -1);
      if (p.length != 2) {
        break;
      }
      String logged = p[0].isBlank() ? null : p[0].strip();
      long seq;
      try {
        seq = Long.parseUnsignedLong(p[1].strip());
      } catch (NumberFormatException e) {
        break;
      }
      if (logged != null && Long.compareUnsigned(Gtid.parse(logged).seq(), seq) > 0) {
        seq = Gtid.parse(logged).seq();
      }
      return new Executed(seq, logged);
    }
    throw ZoneguardException.failed(
        "the replay session did not report how far it got (client printed: '"
            + Text.firstLine(clientOutput)
            + "')",
        null);
  }
}
