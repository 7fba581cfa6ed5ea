package io.zoneguard.cli.view;

import io.zoneguard.domain.Text;
import io.zoneguard.drill.DrillReport;
import java.io.PrintWriter;

/** A drill's report, as tables for people. */
public final class DrillView {
  private DrillView() {}

  public static void report(PrintWriter out, DrillReport r) {
    out.printf(
        "DRILL %s  %s/%s  set %s  %s  RPO %s  RTO %s%n",
        r.drillId(),
        r.namespace(),
        r.statefulSet(),
        r.setId(),
        r.passed() ? "PASSED" : "FAILED",
        Text.age(r.rpoSeconds()),
        r.rtoSeconds() == null ? "-" : String.format("%.1fs", r.rtoSeconds()));
    Table v = new Table("PVC", "SNAPSHOT", "VOLUME", "ZONE", "STATE", "CLAIM", "MOUNT", "RTO");
    for (DrillReport.VolumeCheck c : r.volumes()) {
      v.row(
          c.pvc(),
          c.snapshotId(),
          c.volumeId(),
          c.zone(),
          c.volumeState(),
          c.claimPhase(),
          c.mountPhase() == null ? "-" : c.mountPhase(),
          c.rtoSeconds() == null ? "-" : String.format("%.1fs", c.rtoSeconds()));
    }
    v.print(out);
    if (r.dump() != null) {
      out.printf(
          "dump %s: SHA-256 verified, %s of SQL loaded in %.1fs into %s%n",
          r.dump().key(),
          Human.bytes(r.dump().sqlBytes()),
          r.dump().loadSeconds(),
          r.dump().scratchDatabases().values());
    }
    Table t = new Table("TABLE", "ROWS", "EXPECTED", "CHECKSUM", "EXPECTED", "STATUS");
    for (DrillReport.TableCheck c : r.tables()) {
      t.row(
          c.table(),
          String.valueOf(c.rows()),
          String.valueOf(c.expectedRows()),
          String.valueOf(c.checksum()),
          String.valueOf(c.expectedChecksum()),
          c.status());
    }
    t.print(out);
    if (r.replay() != null) {
      replay(out, r.replay());
    }
    r.warnings().forEach(x -> out.println("  WARNING: " + x));
    r.failures().forEach(x -> out.println("  FAILED: " + x));
    out.println(
        r.kept()
            ? "kept "
                + r.scratchNamespace()
                + " and its volumes: 'zoneguard drill cleanup --id "
                + r.drillId()
                + "' removes them"
            : "cleaned up: " + r.cleanedUp().size() + " object(s)");
  }

  /** The binlog replay: what ran, what the archive says it must reach, what the server executed. */
  private static void replay(PrintWriter out, DrillReport.ReplayCheck p) {
    if (p.files().isEmpty()) {
      out.printf(
          "binlog replay to %s: nothing archived after the set's GTID %s%n",
          p.target(), p.fromGtid());
    } else {
      out.printf(
          "binlog replay to %s: %s of SQL from %s (server %d) after GTID %s in %.1fs%n",
          p.target(),
          Human.bytes(p.sqlBytes()),
          String.join(", ", p.files()),
          p.serverId(),
          p.fromGtid(),
          p.seconds());
    }
    out.printf(
        "  archive's last transaction before the target: %s%n",
        p.expectedGtid() == null
            ? "none after the set"
            : p.expectedGtid() + " at " + p.expectedTime());
    out.printf(
        "  scratch server executed through: %s  %s%n",
        p.executedGtid() != null ? p.executedGtid() : "sequence " + p.executedSeq(),
        p.reached() ? "REACHED" : "NOT REACHED");
    if (p.newestArchivedEvent() != null) {
      out.printf("  newest archived event: %s%n", p.newestArchivedEvent());
    }
  }
}
