package io.zoneguard.cli.view;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.FenceDecision;
import io.zoneguard.domain.Text;
import java.io.PrintWriter;

/** Failover and failback plans and records, as tables for people. */
public final class FailoverView {
  private FailoverView() {}

  public static void plan(PrintWriter out, FailoverPlan p) {
    out.printf(
        "%s PLAN %s/%s  failed zone %s (%s)  targets %s%n",
        p.kind().toUpperCase(java.util.Locale.ROOT),
        p.namespace(),
        p.statefulSet(),
        p.failedZone() == null ? "-" : p.failedZone(),
        p.failedZoneSource() == null ? "not determined" : p.failedZoneSource(),
        p.targetZones());
    Table t = new Table("PVC", "OLD-VOLUME", "FROM", "SNAPSHOT", "DATA-LOSS", "TO", "SIZE", "TYPE");
    for (FailoverPlan.PlannedVolume v : p.volumes()) {
      t.row(
          v.pvc(),
          v.oldVolumeId(),
          v.oldZone(),
          v.snapshotId(),
          FailoverPlan.FAILOVER.equals(p.kind())
              ? Text.age(v.dataLossSeconds())
              : "none (stopped first)",
          v.targetZone(),
          v.sizeGiB() + "Gi",
          v.volumeType());
    }
    t.print(out);
    recovery(out, p);
    if (!p.unaffectedPvcs().isEmpty()) {
      out.println("unaffected: " + String.join(", ", p.unaffectedPvcs()));
    }
    if (!p.fencing().isEmpty()) {
      out.println("fencing " + p.failedZone() + " (from EC2 instance states):");
      Table f = new Table("NODE", "READY", "INSTANCE", "EC2-STATE", "VERDICT", "WHY");
      for (FenceDecision d : p.fencing()) {
        f.row(
            d.node(),
            d.ready() ? "Ready" : "NotReady",
            d.instanceId() == null ? "-" : d.instanceId(),
            d.ec2State(),
            d.action().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
            d.why());
      }
      f.print(out);
    }
    if (p.pin() != null) {
      out.println(
          "pin: "
              + (p.pin().apply() ? "template re-pinned" : "template unchanged")
              + " - "
              + p.pin().why()
              + (p.pin().apply()
                  ? (p.pin().restartsHealthyReplicas()
                      ? ". Healthy replicas WILL restart (RollingUpdate rolls every replica,"
                          + " highest ordinal first)"
                      : ". Healthy replicas do not restart")
                  : ". Healthy replicas do not restart"));
    }
    if (!p.steps().isEmpty()) {
      out.println("steps:");
      for (int i = 0; i < p.steps().size(); i++) {
        out.printf(
            "  %d. %-18s %s%n", i + 1, p.steps().get(i).id(), p.steps().get(i).description());
      }
    }
    if (!p.notes().isEmpty()) {
      out.println("notes:");
      p.notes().forEach(n -> out.println("  - " + n));
    }
    p.refusals().forEach(r -> out.println("  REFUSED: " + r));
  }

  /**
   * Per moved replica: the snapshot's data loss, how far the binlog archive reaches and what loss a
   * catch-up to it leaves; then the commands.
   */
  private static void recovery(PrintWriter out, FailoverPlan p) {
    // without an archive the snapshot is the recoverable point and DATA-LOSS already says it
    // (-o json keeps the per-PVC entries, saying why)
    if (p.recovery().stream().allMatch(r -> r.archiveNewestEvent() == null)) {
      return;
    }
    out.println(
        "recoverable point (data loss with the snapshot alone, and after binlog catch-up):");
    Table t =
        new Table("PVC", "SNAPSHOT-LOSS", "BINLOG-ARCHIVE-REACHES", "LOSS-AFTER-CATCH-UP", "NOTE");
    for (FailoverPlan.Recovery r : p.recovery()) {
      t.row(
          r.pvc(),
          Text.age(r.snapshotDataLossSeconds()),
          r.archiveNewestEvent() == null
              ? "no archive"
              : r.archiveNewestEvent()
                  + (r.archiveNewestGtid() == null ? "" : " (" + r.archiveNewestGtid() + ")"),
          r.dataLossAfterCatchUpSeconds() == null ? "-" : Text.age(r.dataLossAfterCatchUpSeconds()),
          r.why() == null ? "" : r.why());
    }
    t.print(out);
    nextSteps(out, p);
  }

  /** The catch-up command per moved replica, to run once it is Ready. */
  private static void nextSteps(PrintWriter out, FailoverPlan p) {
    for (FailoverPlan.Recovery r : p.recovery()) {
      if (r.catchUp() != null) {
        out.println(
            "next, once "
                + r.pod()
                + " is Ready and its replication stopped (runbooks/failover.md): "
                + r.catchUp());
      }
    }
  }

  public static void record(PrintWriter out, FailoverRecord r) {
    FailoverPlan p = r.plan();
    out.printf(
        "%s %s  %s/%s  %s -> %s  %s%n",
        p.kind().toUpperCase(java.util.Locale.ROOT),
        r.id(),
        p.namespace(),
        p.statefulSet(),
        FailoverPlan.FAILOVER.equals(p.kind())
            ? p.failedZone()
            : String.join(
                ",",
                p.volumes().stream().map(FailoverPlan.PlannedVolume::oldZone).distinct().toList()),
        p.targetZones(),
        r.finished()
            ? "finished " + r.finishedAt()
            : "UNFINISHED (held by " + r.holder() + ", heartbeat " + r.heartbeatAt() + ")");
    Table t = new Table("PVC", "OLD-VOLUME", "FROM", "NEW-VOLUME", "TO", "SNAPSHOT", "DATA-LOSS");
    for (FailoverPlan.PlannedVolume v : p.volumes()) {
      String snapshot = r.snapshots().getOrDefault(v.pvc(), v.snapshotId());
      t.row(
          v.pvc(),
          v.oldVolumeId(),
          v.oldZone(),
          r.newVolumes().getOrDefault(v.pvc(), "-"),
          v.targetZone(),
          snapshot == null ? "-" : snapshot,
          FailoverPlan.FAILOVER.equals(p.kind()) ? Text.age(v.dataLossSeconds()) : "none");
    }
    t.print(out);
    Table steps = new Table("STEP", "SECONDS", "RESULT");
    for (FailoverPlan.Step s : p.steps()) {
      var run = r.steps().stream().filter(x -> x.id().equals(s.id())).findFirst();
      steps.row(
          s.id(),
          run.map(x -> String.format(java.util.Locale.ROOT, "%.1f", x.seconds())).orElse("-"),
          run.map(FailoverRecord.StepRun::detail).orElse("not done"));
    }
    steps.print(out);
    if (r.finished()) {
      nextSteps(out, p);
    }
    if (r.error() != null) {
      out.println("last error: " + r.error());
    }
  }
}
