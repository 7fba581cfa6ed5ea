package io.zoneguard.cli.view;

import io.zoneguard.domain.BackupManifest;
import java.io.PrintWriter;

/** Backup sets and manifests, as tables for people. */
public final class BackupView {
  private BackupView() {}

  public static void manifest(PrintWriter out, BackupManifest m) {
    out.printf(
        "SET %s  %s/%s  %s  consistency=%s%n",
        m.setId(),
        m.namespace(),
        m.statefulSet(),
        m.complete() ? "COMPLETE" : "INCOMPLETE",
        m.consistency());
    out.printf("server   %s  binlog %s%n", m.server().version(), binlog(m.binlog()));
    out.printf(
        "dump     %s  %s (%s of SQL)  sha256 %s  in %.1f s%n",
        m.dump().key(),
        Human.bytes(m.dump().sizeBytes()),
        Human.bytes(m.dump().uncompressedBytes()),
        m.dump().sha256(),
        m.timings().dumpSeconds());
    Table rows = new Table("TABLE", "ROWS", "CHECKSUM");
    m.dump().tableRows().keySet().stream()
        .sorted()
        .forEach(k -> rows.row(k, m.dump().tableRows().get(k), m.dump().tableChecksums().get(k)));
    rows.print(out);
    Table snaps = new Table("PVC", "VOLUME", "ZONE", "SNAPSHOT", "STATE", "SIZE", "TYPE");
    for (BackupManifest.Snapshot s : m.snapshots()) {
      snaps.row(
          s.pvc(),
          s.volumeId(),
          s.zone(),
          s.snapshotId(),
          s.state(),
          s.sizeGiB() + "Gi",
          s.volumeType());
    }
    snaps.print(out);
    m.warnings().forEach(wn -> out.println("  ! " + wn));
  }

  private static String binlog(BackupManifest.Binlog b) {
    if (b == null || (b.file() == null && b.gtid() == null)) {
      return b == null || b.note() == null ? "-" : "(" + b.note() + ")";
    }
    return (b.file() == null ? "" : b.file() + ":" + b.position())
        + (b.gtid() == null ? "" : " gtid " + b.gtid());
  }
}
