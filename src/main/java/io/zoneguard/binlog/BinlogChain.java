package io.zoneguard.binlog;

import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.Gtid;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which archived binlog files a point-in-time restore replays, proven complete before anything is
 * written: every event after the set's GTID up to the target time must be in the archive. The chain
 * starts at the first file holding a transaction after the set's GTID and ends at the first file
 * holding an event at or after the target; each file's segments are contiguous from byte 0, the
 * files follow each other in the server's numbering, and every file but the last is closed.
 */
public final class BinlogChain {
  private BinlogChain() {}

  /** One file to replay: its segments in order (together the whole file, or its archived head). */
  public record File(String name, List<BinlogSegment> segments) {}

  /**
   * The files to replay after a set whose dump holds every transaction up to {@code setGtid} (its
   * domain's sequence number), to reach {@code target}.
   *
   * @throws ZoneguardException unsafe (exit 3) when the archive has a gap, does not go back to the
   *     set, or does not reach the target
   */
  public static List<File> plan(
      List<BinlogSegment> archived, String setGtid, RecoveryTarget target) {
    Gtid set = Gtid.parse(setGtid);
    Map<String, List<BinlogSegment>> byFile = new TreeMap<>();
    for (BinlogSegment s : archived) {
      byFile.computeIfAbsent(s.file(), k -> new ArrayList<>()).add(s);
    }
    if (byFile.isEmpty()) {
      throw ZoneguardException.unsafe(
          "the binlog archive is empty: nothing to replay to " + target);
    }
    List<String> files = new ArrayList<>(byFile.keySet());
    int start = -1;
    for (int i = 0; i < files.size() && start < 0; i++) {
      for (BinlogSegment s : byFile.get(files.get(i))) {
        if (s.lastGtid() != null && Gtid.parse(s.lastGtid()).after(set)) {
          start = i;
          break;
        }
      }
    }
    if (start < 0) {
      start = files.size() - 1; // no transaction after the set: the last file proves the target
    }
    BinlogSegment firstOfStart = byFile.get(files.get(start)).get(0);
    if (start == 0
        && firstOfStart.firstGtid() != null
        && Gtid.parse(firstOfStart.firstGtid()).seq() > set.seq() + 1
        && Gtid.parse(firstOfStart.firstGtid()).domain() == set.domain()) {
      throw ZoneguardException.unsafe(
          "the binlog archive starts at GTID "
              + firstOfStart.firstGtid()
              + " but the set ends at "
              + setGtid
              + ": the transactions between are not archived");
    }
    List<File> chain = new ArrayList<>();
    for (int i = start; i < files.size(); i++) {
      String name = files.get(i);
      List<BinlogSegment> segs = byFile.get(name);
      long expected = 0;
      for (BinlogSegment s : segs) {
        if (s.from() != expected) {
          throw ZoneguardException.unsafe(
              "the binlog archive of "
                  + name
                  + " has a gap at bytes "
                  + expected
                  + "-"
                  + s.from()
                  + ": refusing to replay past it");
        }
        expected = s.to();
      }
      if (i > start && !files.get(i).equals(BinlogArchiver.next(files.get(i - 1)))) {
        throw ZoneguardException.unsafe(
            "the binlog archive jumps from "
                + files.get(i - 1)
                + " to "
                + name
                + " (files purged before they were archived): refusing to replay past the gap");
      }
      chain.add(new File(name, List.copyOf(segs)));
      boolean reaches = segs.stream().anyMatch(target::reachedBy);
      if (reaches) {
        return chain;
      }
      if (!segs.get(segs.size() - 1).closed() && i < files.size() - 1) {
        throw ZoneguardException.unsafe(
            name + " is not archived to its end but a later file is: refusing to replay past it");
      }
    }
    List<BinlogSegment> lastFile = byFile.get(files.get(files.size() - 1));
    BinlogSegment newest = lastFile.get(lastFile.size() - 1);
    String newestGtid =
        archived.stream()
            .map(BinlogSegment::lastGtid)
            .filter(g -> g != null)
            .reduce((a, b) -> b)
            .orElse("none");
    throw ZoneguardException.unsafe(
        target.notReached(newest.lastEventTime(), newestGtid)
            + ": nothing proves what happened up to then");
  }
}
