package io.zoneguard.cli;

import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.DatabaseOptions;
import io.zoneguard.cli.options.DurationConverter;
import io.zoneguard.cli.options.HydrationOptions;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.options.ReplayOptions;
import io.zoneguard.cli.options.RestoreSourceOptions;
import io.zoneguard.cli.options.TargetOptions;
import io.zoneguard.cli.view.ConsoleProgress;
import io.zoneguard.cli.view.DrillView;
import io.zoneguard.cli.view.Json;
import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.Hydration;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.drill.DrillReport;
import io.zoneguard.drill.DrillRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = {
      "Disaster-recovery drills: restore into scratch targets, verify, clean up (run, cleanup).",
      "",
      "Restore a backup set into scratch targets, prove it correct, report the achieved RPO and",
      "RTO, and clean up. Production objects are only read.",
      ""
    },
    subcommands = {DrillCommand.Run.class, DrillCommand.Cleanup.class})
final class DrillCommand implements Runnable {
  @ParentCommand ZoneguardCommand root;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "a subcommand is required: run or cleanup");
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Restores a backup set into scratch targets, proves it, reports RPO and RTO.",
        "",
        "Takes the newest complete backup set (or --set) and restores it:",
        "every EBS snapshot into a new volume (tagged zoneguard.io/drill-id, in the snapshot's",
        "zone if available) with a pre-bound PV/PVC in the namespace zoneguard-drill-<id>; the",
        "dump, after its SHA-256 is checked, into scratch databases <db>_zgdrill_<suffix> on the",
        "server --db-host. Then checks volumes available, claims Bound, each claim mounted by a",
        "short-lived pod zg-mount-<pvc> that reaches Running (then deleted), and every table's row",
        "count (must match) and CHECKSUM TABLE (a drift is a warning, or a failure with",
        "--strict-checksums) against the manifest. Reports RPO (age of the set) and RTO (time to",
        "restore and verify), records a DrillPassed/DrillFailed Event on the StatefulSet, and",
        "removes everything it created, also after a failure, unless --keep.",
        "",
        "--to-latest / --to-time T (point in time): after the dump is verified, replays the",
        "binlog archive into the scratch database up to its newest transaction (or up to T),",
        "then checks that the scratch server executed exactly the archive's last transaction",
        "before the target (else FAILED). The chain is proven first: a gap refuses the drill",
        "(exit 3) before anything is created.",
        ""
      },
      footer = {
        "",
        "Examples:",
        "  zoneguard drill run -n shop --statefulset mysql --db-host scratch-mysql.dr.svc",
        "  zoneguard drill run -n shop --statefulset mysql --db-host 10.0.0.9 --keep -o json",
        "  zoneguard drill run -n shop --statefulset mysql --db-host 10.0.0.9 --to-latest",
        "",
        "Exit codes: 0 passed, 1 failed (the report says why), 2 usage, 3 refused."
      })
  static final class Run implements Callable<Integer> {
    @ParentCommand DrillCommand parent;
    @Mixin CommonOptions common;
    @Mixin TargetOptions target;
    @Mixin DatabaseOptions db;
    @Mixin RestoreSourceOptions source;
    @Mixin HydrationOptions hydration;
    @Mixin ReplayOptions replay;

    @Option(names = "--keep", description = "keep the scratch volumes, PVs, namespace, databases.")
    boolean keep;

    @Option(
        names = "--strict-checksums",
        description = "a CHECKSUM TABLE drift fails the drill instead of warning.")
    boolean strictChecksums;

    @Option(
        names = "--mount-image",
        paramLabel = "IMAGE",
        defaultValue = DrillRequest.DEFAULT_MOUNT_IMAGE,
        description =
            "image of the short-lived pods that mount each restored claim; needs only 'sleep'"
                + " (default: ${DEFAULT-VALUE}).")
    String mountImage;

    @Option(
        names = "--mount-timeout",
        paramLabel = "DURATION",
        defaultValue = "5m",
        converter = DurationConverter.class,
        description =
            "how long each mount pod may take to reach Running (default: ${DEFAULT-VALUE}).")
    Duration mountTimeout;

    @Override
    public Integer call() {
      Hydration h = hydration.hydration();
      var replayTo = replay.target();
      try (Wiring w = new Wiring(common, parent.root.env)) {
        var endpoint =
            db.target(
                "the scratch database server the dump is restored into",
                parent.root.env,
                w::secrets,
                target.namespace);
        DrillReport r =
            w.drillService(replay.decoder)
                .run(
                    new DrillRequest(
                        target.namespace,
                        target.statefulSet,
                        source.set(),
                        keep,
                        strictChecksums,
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(5),
                        mountImage,
                        mountTimeout,
                        h,
                        replayTo),
                    Wiring.scratch(source.mysql, endpoint),
                    new ConsoleProgress(parent.root.err));
        if (common.output == OutputFormat.json) {
          Json.print(parent.root.out, r);
        } else {
          DrillView.report(parent.root.out, r);
        }
        if (!r.passed()) {
          parent.root.err.println("zoneguard: drill failed: " + String.join("; ", r.failures()));
          return ExitCode.FAILED.code();
        }
        return 0;
      }
    }
  }

  @Command(
      name = "cleanup",
      mixinStandardHelpOptions = true,
      description = {
        "Removes what a drill left behind, found by its id.",
        "",
        "For a drill run with --keep, or one that was killed: its claims,",
        "PVs, volumes tagged with its id, its namespace and, with --db-host, its scratch",
        "databases. Idempotent. Touches nothing without the drill's id.",
        ""
      })
  static final class Cleanup implements Callable<Integer> {
    @ParentCommand DrillCommand parent;
    @Mixin CommonOptions common;
    @Mixin DatabaseOptions db;

    @Option(names = "--id", required = true, paramLabel = "DRILL", description = "the drill id.")
    String id;

    @Option(
        names = {"-n", "--namespace"},
        paramLabel = "NS",
        description = "namespace of --db-password-secret (only needed with it).")
    String namespace;

    @Override
    public Integer call() {
      try (Wiring w = new Wiring(common, parent.root.env)) {
        if (db.passwordSecret != null && namespace == null) {
          throw ZoneguardException.usage("--db-password-secret needs -n, the Secret's namespace");
        }
        Optional<io.zoneguard.port.DatabaseAdmin> admin =
            db.host == null
                ? Optional.empty()
                : Optional.of(
                    Wiring.admin(
                        db.target("the scratch server", parent.root.env, w::secrets, namespace)));
        List<String> removed = w.drillService().cleanup(id, admin);
        if (common.output == OutputFormat.json) {
          Json.print(parent.root.out, removed);
        } else if (removed.isEmpty()) {
          parent.root.out.println("drill " + id + ": nothing left to remove");
        } else {
          removed.forEach(x -> parent.root.out.println("removed " + x));
        }
        return 0;
      }
    }
  }
}
