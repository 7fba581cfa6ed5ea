package io.zoneguard.cli.view;

import io.zoneguard.binlog.CatchUp;
import java.io.PrintWriter;

/** What {@code binlog catch-up} applied (or would), for people. */
public final class CatchUpView {
  private CatchUpView() {}

  public static void report(PrintWriter out, CatchUp.Report r) {
    String from =
        r.fromGtid() == null ? "no GTID" : r.fromGtid() + " (" + r.positionVariable() + ")";
    if (r.nothingToApply()) {
      out.printf(
          "nothing to apply: %s is at %s; the archive of server %d holds nothing newer%s%n",
          r.server(),
          from,
          r.archiveServerId(),
          r.target().equals(CatchUp.LATEST) ? "" : " up to " + r.target());
    } else {
      out.printf(
          "%s %d transactions (%d events) from the archive of server %d into %s: %s -> %s"
              + " (%s)%n",
          r.dryRun() ? "would replay" : "replayed",
          r.transactions(),
          r.events(),
          r.archiveServerId(),
          r.server(),
          from,
          r.toGtid(),
          String.join(", ", r.binlogFiles()));
      if (!r.dryRun()) {
        out.printf(
            "verified: the server's position is now %s%s%n",
            r.positionAfter(), r.slavePosSet() ? " (gtid_slave_pos set to it)" : "");
      }
    }
    out.printf(
        "server: read_only %s, gtid_strict_mode %s%n",
        r.readOnly() ? "ON" : "OFF", r.gtidStrictMode() ? "ON" : "OFF");
    r.notes().forEach(n -> out.println("note: " + n));
  }
}
