package io.zoneguard.cli.view;

import io.zoneguard.inventory.PvcStatus;
import io.zoneguard.inventory.StatefulSetStatus;
import io.zoneguard.inventory.StatusReport;
import io.zoneguard.inventory.ZoneHealth;
import java.io.PrintWriter;

/** {@code zoneguard status}: zones, then each StatefulSet's PVC → PV → volume → pod chain. */
public final class StatusView {
  private StatusView() {}

  public static void report(PrintWriter out, StatusReport r) {
    out.println("ZONES (" + r.region() + ")");
    Table zones = new Table("ZONE", "EC2", "READY-NODES", "NOT-READY", "HEALTH");
    for (ZoneHealth z : r.zones()) {
      zones.row(z.zone(), z.awsState(), z.readyNodes(), z.notReadyNodes(), z.health());
    }
    zones.print(out);
    if (r.statefulSets().isEmpty()) {
      out.println();
      out.println(
          "No protected StatefulSets in namespace "
              + r.namespace()
              + " (label one with zoneguard.io/protect=true, or pass --statefulset).");
    }
    for (StatefulSetStatus s : r.statefulSets()) {
      out.println();
      out.printf(
          "STATEFULSET %s/%s  ready %d/%d  %s%n",
          s.namespace(),
          s.name(),
          s.readyReplicas(),
          s.replicas(),
          s.protectedByLabel() ? "protected" : "NOT labelled zoneguard.io/protect=true");
      Table t =
          new Table(
              "PVC",
              "STATUS",
              "PV",
              "BACKING",
              "VOLUME",
              "ZONE",
              "SIZE",
              "TYPE",
              "POD",
              "NODE",
              "NODE-READY");
      for (PvcStatus p : s.pvcs()) {
        t.row(
            p.pvc(),
            p.phase(),
            p.pv(),
            p.backing(),
            p.volumeId(),
            p.zone(),
            p.sizeGiB() == null ? null : p.sizeGiB() + "Gi",
            p.volumeType(),
            p.pod(),
            p.node(),
            p.nodeReady());
      }
      t.print(out);
      for (PvcStatus p : s.pvcs()) {
        p.warnings().forEach(w -> out.println("  ! " + p.pvc() + ": " + w));
      }
    }
  }
}
