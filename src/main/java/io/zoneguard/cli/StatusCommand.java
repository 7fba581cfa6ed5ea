package io.zoneguard.cli;

import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.view.Json;
import io.zoneguard.cli.view.StatusView;
import io.zoneguard.inventory.StatusReport;
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
        StatusView.report(root.out, report);
      }
      return 0;
    }
  }
}
