package io.zoneguard.cli;

import io.zoneguard.inventory.PvcStatus;
import io.zoneguard.inventory.StatefulSetStatus;
import io.zoneguard.inventory.StatusReport;
import io.zoneguard.inventory.ZoneHealth;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows zone health and where each protected StatefulSet's data lives. Read-only.",
      "",
      "For every PVC: its PV, EBS volume, zone, size and type, and the pod and node using it.",
      "",
      "A StatefulSet is protected when it carries the label zoneguard.io/protect=true;",
      "--statefulset shows one StatefulSet whether labelled or not.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  zoneguard status -n prod",
      "  zoneguard status -n prod --statefulset mysql -o json",
      "",
      "Zone health:",
      "  DOWN      EC2 says the zone is not available, or it has nodes and none is Ready",
      "  DEGRADED  some of its nodes are NotReady",
      "  NO_NODES  it holds volumes but no nodes: pods bound to them cannot run",
      "  HEALTHY   available, every node Ready"
    })
final class StatusCommand implements Callable<Integer> {
  @ParentCommand ZoneguardCommand root;
  @Mixin CommonOptions common;

  @Option(
      names = {"-n", "--namespace"},
      required = true,
      paramLabel = "NS",
      description = "namespace of the StatefulSet(s).")
  String namespace;

  @Option(
      names = "--statefulset",
      paramLabel = "NAME",
      description = "one StatefulSet (default: all labelled zoneguard.io/protect=true).")
  String statefulSet;

  @Override
  public Integer call() {
    try (Wiring w = new Wiring(common, root.env)) {
      StatusReport report = w.inventory().status(namespace, Optional.ofNullable(statefulSet));
      if (common.output == OutputFormat.json) {
        Json.print(root.out, report);
      } else {
        render(root.out, report);
      }
      return 0;
    }
  }

  private static void render(PrintWriter out, StatusReport r) {
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
