package io.zoneguard.cli;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.Text;
import io.zoneguard.failover.FailoverPlanService;
import io.zoneguard.failover.FailoverRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description = "Moves a StatefulSet's PVCs out of a lost availability zone.",
    subcommands = {FailoverCommand.Plan.class})
final class FailoverCommand implements Runnable {
  @ParentCommand ZoneguardCommand root;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "a subcommand is required: plan");
  }

  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description = {
        "Shows what a failover would do, and refuses (exit 3) when it would be unsafe. Read-only.",
        "",
        "Detects the failed zone (the zone holding this StatefulSet's data whose nodes are all",
        "NotReady or that EC2 reports unavailable) unless --from-zone names it; validates every",
        "zone against EC2; picks the newest completed snapshot of each affected PVC and shows its",
        "age, the data this failover would lose; spreads the PVCs over healthy zones with Ready",
        "nodes unless --to-zone pins them; and lists the ordered steps.",
        ""
      },
      footer = {
        "",
        "Examples:",
        "  zoneguard failover plan -n shop --statefulset mysql",
        "  zoneguard failover plan -n shop --statefulset mysql --from-zone us-east-1b \\",
        "      --to-zone us-east-1c --max-data-loss 30m -o json",
        "",
        "Refused when: a target is the failed zone, unknown to EC2, not available or without",
        "Ready nodes; an affected PVC has no completed snapshot or is not on EBS; the newest",
        "snapshot is older than --max-data-loss (unless --accept-data-loss); no zone is down."
      })
  static final class Plan implements Callable<Integer> {
    @ParentCommand FailoverCommand parent;
    @Mixin CommonOptions common;
    @Mixin BackupCommand.Target target;

    @Option(
        names = "--from-zone",
        paramLabel = "ZONE",
        description = "the failed zone (default: detect).")
    String fromZone;

    @Option(
        names = "--to-zone",
        paramLabel = "ZONE",
        description = "target zone; repeatable (default: every healthy zone, spread).")
    List<String> toZones = List.of();

    @Option(
        names = "--max-data-loss",
        paramLabel = "DURATION",
        defaultValue = "1h",
        converter = DurationConverter.class,
        description = "refuse when the newest snapshot is older (default: ${DEFAULT-VALUE}).")
    Duration maxDataLoss;

    @Option(names = "--accept-data-loss", description = "go ahead beyond --max-data-loss.")
    boolean acceptDataLoss;

    @Override
    public Integer call() {
      try (Wiring w = new Wiring(common, parent.root.env)) {
        FailoverPlan p =
            new FailoverPlanService(
                    w.inventory(), w.blockStorage(), w.catalog(), w.config().cluster(), w.clock())
                .plan(
                    new FailoverRequest(
                        target.namespace,
                        target.statefulSet,
                        Optional.ofNullable(fromZone),
                        toZones,
                        maxDataLoss,
                        acceptDataLoss));
        if (common.output == OutputFormat.json) {
          Json.print(parent.root.out, p);
        } else {
          render(parent.root.out, p);
        }
        if (p.refused()) {
          parent.root.err.println(
              "zoneguard: failover refused as unsafe: " + String.join("; ", p.refusals()));
          return ExitCode.REFUSED_UNSAFE.code();
        }
        return 0;
      }
    }
  }

  static void render(PrintWriter out, FailoverPlan p) {
    out.printf(
        "FAILOVER PLAN %s/%s  failed zone %s (%s)  targets %s%n",
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
          Text.age(v.dataLossSeconds()),
          v.targetZone(),
          v.sizeGiB() + "Gi",
          v.volumeType());
    }
    t.print(out);
    if (!p.unaffectedPvcs().isEmpty()) {
      out.println("unaffected: " + String.join(", ", p.unaffectedPvcs()));
    }
    if (!p.steps().isEmpty()) {
      out.println("steps:");
      for (int i = 0; i < p.steps().size(); i++) {
        out.printf(
            "  %d. %-18s %s%n", i + 1, p.steps().get(i).id(), p.steps().get(i).description());
      }
    }
    p.refusals().forEach(r -> out.println("  REFUSED: " + r));
  }
}
