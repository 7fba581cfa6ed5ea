package io.zoneguard.binlog;

import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.Gtid;
import io.zoneguard.domain.ServerGtidState;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pure decisions of {@code binlog catch-up}: whether the server may be written to, which
 * replication domain the archive holds, and which archived transactions the server lacks, from the
 * server's own applied position up to the target. Everything here refuses before anything is
 * written.
 */
final class CatchUpPlanner {
  private CatchUpPlanner() {}

  /** One archived transaction and the file it is in. */
  record Archived(Gtid gtid, String text, java.time.Instant time, int events, String file) {}

  /**
   * What to replay: after {@code from} (null when the server has no transaction of the domain) up
   * to and including {@code to}; empty {@code transactions} when there is nothing to apply.
   */
  record Plan(String from, String positionVariable, List<Archived> transactions) {
    String to() {
      return transactions.isEmpty() ? from : transactions.get(transactions.size() - 1).text();
    }

    long events() {
      return transactions.stream().mapToLong(Archived::events).sum();
    }
  }

  /**
   * Replaying into a server that also replicates would apply the same transactions twice (and
   * gtid_slave_pos can only be set while its threads are stopped): refused while any thread runs.
   * When the status cannot be read (the account lacks REPLICA MONITOR / REPLICATION CLIENT), only
   * the user's word that replication is stopped lets it go on.
   */
  static void checkReplication(ServerGtidState s, String server, boolean userSaysStopped) {
    if (s.replication() == null) {
      if (!userSaysStopped) {
        throw ZoneguardException.unsafe(
            "cannot read the replication status of "
                + server
                + " ("
                + s.replicationUnreadable()
                + "): grant REPLICA MONITOR, or pass --replication-stopped once you know no"
                + " replication thread runs there");
      }
      return;
    }
    List<String> running =
        s.replication().stream()
            .filter(ServerGtidState.ReplicationThreads::running)
            .map(
                t ->
                    (t.connection() == null || t.connection().isEmpty()
                            ? "default connection"
                            : "connection '" + t.connection() + "'")
                        + " (IO "
                        + t.io()
                        + ", SQL "
                        + t.sql()
                        + ")")
            .toList();
    if (!running.isEmpty()) {
      throw ZoneguardException.unsafe(
          server
              + " is replicating ("
              + String.join(", ", running)
              + "): replaying the archive into it as well would apply transactions twice; run"
              + " STOP ALL SLAVES there first, nothing was written");
    }
  }

  /**
   * The one replication domain an archive's transactions belong to.
   *
   * @throws ZoneguardException unsafe when it holds no transaction, or several domains
   */
  static long domain(Collection<BinlogSegment> archive, long serverId) {
    Set<Long> domains = new TreeSet<>();
    for (BinlogSegment s : archive) {
      for (String g : new String[] {s.firstGtid(), s.lastGtid()}) {
        if (g != null) {
          domains.add(Gtid.parse(g).domain());
        }
      }
    }
    if (domains.isEmpty()) {
      throw ZoneguardException.unsafe(
          "the binlog archive of server " + serverId + " holds no transaction: nothing to apply");
    }
    if (domains.size() > 1) {
      throw ZoneguardException.unsafe(
          "the binlog archive of server "
              + serverId
              + " spans GTID domains "
              + domains
              + ": catch-up replays one domain; use restore --to-time instead");
    }
    return domains.iterator().next();
  }

  /**
   * The transactions of {@code archived} (the downloaded chain, in order) that a server at {@code
   * applied} lacks, up to {@code target}.
   *
   * @param indexed every GTID the archive's index names (first and last of each segment), so a
   *     position in a file that was not downloaded is still recognised
   * @throws ZoneguardException unsafe when the server's position is not in the archive (it is ahead
   *     of it or has another history) or the target GTID is not archived
   */
  static Plan plan(
      Optional<ServerGtidState.Applied> applied,
      long domain,
      List<Archived> archived,
      Set<String> indexed,
      Archived firstArchived,
      Archived newestArchived,
      RecoveryTarget target) {
    Gtid pos = applied.map(ServerGtidState.Applied::gtid).orElse(null);
    String from = pos == null ? null : pos.text();
    String variable = applied.map(ServerGtidState.Applied::variable).orElse(null);
    if (pos != null) {
      boolean known =
          indexed.contains(from) || archived.stream().anyMatch(a -> a.text().equals(from));
      boolean justBefore =
          firstArchived.gtid().domain() == pos.domain()
              && firstArchived.gtid().seq() == pos.seq() + 1;
      if (!known && !justBefore) {
        throw ZoneguardException.unsafe(
            pos.after(newestArchived.gtid())
                ? "the server is ahead of the binlog archive: its "
                    + variable
                    + " is "
                    + from
                    + ", the newest archived transaction "
                    + newestArchived.text()
                    + "; nothing to catch up from, nothing written"
                : "the server's position "
                    + from
                    + " ("
                    + variable
                    + ") is not in the binlog archive (it holds "
                    + firstArchived.text()
                    + " .. "
                    + newestArchived.text()
                    + "): its data has another history; nothing written");
      }
    }
    if (target.gtid() != null
        && (target.gtid().domain() != domain || pos == null || target.gtid().after(pos))
        && archived.stream().noneMatch(a -> a.gtid().equals(target.gtid()))) {
      throw ZoneguardException.unsafe(
          "GTID "
              + target.gtidText()
              + " is not in the binlog archive (newest archived: "
              + newestArchived.text()
              + ")");
    }
    List<Archived> missing = new ArrayList<>();
    for (Archived a : archived) {
      if (a.gtid().domain() == domain
          && (pos == null || a.gtid().after(pos))
          && target.includes(a.gtid(), a.time())) {
        missing.add(a);
      }
    }
    return new Plan(from, Objects.requireNonNullElse(variable, "none"), missing);
  }
}
