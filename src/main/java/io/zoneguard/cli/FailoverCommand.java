package io.zoneguard.cli;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.FenceDecision;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.failover.FailoverOptions;
import io.zoneguard.failover.FailoverRequest;
import io.zoneguard.failover.FailoverService;
import io.zoneguard.failover.FenceMode;
import io.zoneguard.failover.Progress;
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
    description = {
      "Moves a StatefulSet's PVCs out of a lost availability zone (plan, apply, status).",
      "",
      "Restores each affected PVC's newest complete snapshot into a new EBS volume in a healthy",
      "zone, pre-binds a PV to the original claim name, and keeps the pods out of the lost zone.",
      "Plan first, then apply.",
      ""
    },
    footer = {
      "",
      "Typical on-call sequence (runbooks/failover.md):",
      "  zoneguard status -n shop",
      "  zoneguard failover plan  -n shop --statefulset mysql",
      "  zoneguard failover apply -n shop --statefulset mysql --yes",
      "  zoneguard failover status -n shop --statefulset mysql"
    },
    subcommands = {
      FailoverCommand.Plan.class,
      FailoverCommand.Apply.class,
      FailoverCommand.Status.class
    })
final class FailoverCommand implements Runnable {
  @ParentCommand ZoneguardCommand root;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "a subcommand is required: plan, apply or status");
  }

  /** What to fail over: the same flags for plan and apply. */
  static final class PlanFlags {
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

    @Option(
        names = "--confirm-nodes-down",
        description =
            "you verified the failed zone's nodes are shut down: fence them (out-of-service taint)"
                + " even when EC2 does not show their instances stopped, and even if Kubernetes"
                + " still reports them Ready.")
    boolean confirmNodesDown;

    @Option(
        names = "--fence",
        paramLabel = "MODE",
        defaultValue = "verify",
        description =
            "how NotReady nodes are proven down before the out-of-service taint: verify (EC2 must"
                + " show the instance stopped, terminated, absent or unreachable; otherwise refuse)"
                + " or stop-instances (force-stop such instances and wait until stopped)"
                + " (default: ${DEFAULT-VALUE}).")
    String fence;

    @Option(
        names = "--pin",
        description =
            "keep the pods out of the failed zone in the template even when not required (rolls"
                + " every replica under RollingUpdate).")
    boolean pin;

    FenceMode fenceMode() {
      return FenceMode.of(fence);
    }

    FailoverRequest request(BackupCommand.Target target) {
      return new FailoverRequest(
          target.namespace,
          target.statefulSet,
          Optional.ofNullable(fromZone),
          toZones,
          maxDataLoss,
          acceptDataLoss,
          confirmNodesDown,
          fenceMode(),
          pin);
    }
  }

  /** How to apply: confirmation, dry run, waiting. Shared by failover and failback. */
  static final class ApplyFlags {
    @Option(
        names = {"-y", "--yes"},
        description = "apply without the interactive confirmation (required without a terminal).")
    boolean yes;

    @Option(
        names = "--dry-run",
        description = "print the plan (or the run that would be resumed) and change nothing.")
    boolean dryRun;

    @Option(
        names = "--wait-timeout",
        paramLabel = "DURATION",
        defaultValue = "15m",
        converter = DurationConverter.class,
        description = "how long to wait for every replica to be Ready (default: ${DEFAULT-VALUE}).")
    Duration waitTimeout;

    @Option(
        names = "--poll-interval",
        paramLabel = "DURATION",
        defaultValue = "2s",
        converter = DurationConverter.class,
        description =
            "how often to re-check pods, claims and nodes while waiting (default: ${DEFAULT-VALUE}).")
    Duration pollInterval;

    /** The run's options with this command's waiting flags. */
    FailoverOptions options() {
      if (pollInterval.isZero()) {
        throw ZoneguardException.usage("--poll-interval must be longer than 0 (e.g. 500ms, 2s)");
      }
      return FailoverOptions.defaults()
          .withReadyTimeout(waitTimeout)
          .withPollInterval(pollInterval);
    }

    /** Asks the operator to type the StatefulSet's name; true to go ahead. */
    boolean confirmed(ZoneguardCommand root, FailoverPlan plan) {
      if (yes) {
        return true;
      }
      java.io.Console console = System.console();
      if (console == null) {
        throw ZoneguardException.usage(
            "not a terminal: pass --yes to " + plan.kind() + " without the confirmation prompt");
      }
      root.out.flush();
      String answer =
          console.readLine(
              "Type the StatefulSet's name (%s) to %s it now: ", plan.statefulSet(), plan.kind());
      if (!plan.statefulSet().equals(answer == null ? null : answer.strip())) {
        root.err.println("zoneguard: aborted; nothing changed");
        return false;
      }
      return true;
    }
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
        "Refused when: a NotReady node of the failed zone has an EC2 instance that may run (a",
        "partition?) unless --confirm-nodes-down or --fence stop-instances; a target is the",
        "failed zone, unknown to EC2, not available or without",
        "Ready nodes; an affected PVC has no completed snapshot or is not on EBS; the newest",
        "snapshot is older than --max-data-loss (unless --accept-data-loss); no zone is down."
      })
  static final class Plan implements Callable<Integer> {
    @ParentCommand FailoverCommand parent;
    @Mixin CommonOptions common;
    @Mixin BackupCommand.Target target;
    @Mixin PlanFlags flags;

    @Override
    public Integer call() {
      try (Wiring w = new Wiring(common, parent.root.env)) {
        FailoverPlan p = w.failoverPlanService().plan(flags.request(target));
        return showPlan(parent.root, common, p);
      }
    }
  }

  /** Prints a plan; exit 3 with the reasons when it is refused. */
  static int showPlan(ZoneguardCommand root, CommonOptions common, FailoverPlan p) {
    if (common.output == OutputFormat.json) {
      Json.print(root.out, p);
    } else {
      render(root.out, p);
    }
    if (p.refused()) {
      root.err.println(
          "zoneguard: " + p.kind() + " refused as unsafe: " + String.join("; ", p.refusals()));
      return ExitCode.REFUSED_UNSAFE.code();
    }
    return 0;
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the failover plan, step by step, printing each step and PVC as it goes.",
        "",
        "Steps (in this order):${zoneguard.failover.steps}",
        "",
        "Resumable: the plan and every finished step are recorded in the StatefulSet's annotation",
        "zoneguard.io/failover. If zoneguard dies, re-run the same command: it resumes that",
        "failover (same plan, same failover id), finds what it created by tag and name, and never",
        "duplicates a volume. The annotation is also the lock: a second failover is refused.",
        "Old volumes and PVs are never deleted.",
        ""
      },
      footer = {
        "",
        "Examples:",
        "  zoneguard failover apply -n shop --statefulset mysql --dry-run",
        "  zoneguard failover apply -n shop --statefulset mysql --to-zone us-east-1c --yes",
        "  zoneguard failover apply -n shop --statefulset mysql --yes -o json > report.json",
        "",
        "Exit codes: 0 done, 1 a step failed (re-run to resume), 2 usage, 3 refused as unsafe",
        "(nothing changed)."
      })
  static final class Apply implements Callable<Integer> {
    @ParentCommand FailoverCommand parent;
    @Mixin CommonOptions common;
    @Mixin BackupCommand.Target target;
    @Mixin PlanFlags flags;
    @Mixin ApplyFlags apply;

    @Override
    public Integer call() {
      try (Wiring w = new Wiring(common, parent.root.env)) {
        FailoverOptions options =
            apply
                .options()
                .withConfirmNodesDown(flags.confirmNodesDown)
                .withFence(flags.fenceMode());
        FailoverService service = w.failoverService(parent.root.env);
        FailoverService.Start start = service.prepareFailover(flags.request(target), options);
        if (!start.resuming() && start.plan().refused()) {
          // nothing to fail over may mean: done by a run killed after its last step
          var done =
              service.finishedAlready(target.namespace, target.statefulSet, FailoverPlan.FAILOVER);
          if (done.isPresent()) {
            return reportFinished(parent.root, common, done.get());
          }
        }
        return runApply(parent.root, common, apply, service, start, options);
      }
    }
  }

  /**
   * The re-run of an {@code apply} whose run already finished (its process may have been killed
   * before it could say so): says so, prints the report, exit 0.
   */
  static int reportFinished(ZoneguardCommand root, CommonOptions common, FailoverRecord done) {
    root.err.printf(
        "%s %s already finished at %s; nothing left to do%n",
        done.kind(), done.id(), done.finishedAt());
    if (common.output == OutputFormat.json) {
      Json.print(root.out, done);
    } else {
      renderRecord(root.out, done);
    }
    return 0;
  }

  /** Shows the plan, confirms, runs it with progress on stderr, and prints the report. */
  static int runApply(
      ZoneguardCommand root,
      CommonOptions common,
      ApplyFlags apply,
      FailoverService service,
      FailoverService.Start start,
      FailoverOptions options) {
    boolean json = common.output == OutputFormat.json;
    if (start.resuming()) {
      FailoverRecord r = start.resume();
      root.err.printf(
          "resuming %s %s started %s by %s (steps done: %s); its plan is kept, flags given now"
              + " do not re-plan it%n",
          r.kind(),
          r.id(),
          r.startedAt(),
          r.holder(),
          r.steps().stream().map(FailoverRecord.StepRun::id).toList());
    }
    if (start.plan().refused() || apply.dryRun || !json) {
      int code = showPlan(root, common, start.plan());
      if (code != 0 || apply.dryRun) {
        return code;
      }
    }
    if (!apply.confirmed(root, start.plan())) {
      return ExitCode.FAILED.code();
    }
    FailoverRecord done = service.apply(start, options, new ConsoleProgress(root.err));
    if (json) {
      Json.print(root.out, done);
    } else {
      renderRecord(root.out, done);
    }
    return 0;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Shows the StatefulSet's latest failover or failback: its plan, the steps done with their",
        "times, new and old volume ids, data loss per PVC, who runs it and whether it finished.",
        "Read from the annotation zoneguard.io/failover. Read-only.",
        ""
      })
  static final class Status implements Callable<Integer> {
    @ParentCommand FailoverCommand parent;
    @Mixin CommonOptions common;
    @Mixin BackupCommand.Target target;

    @Override
    public Integer call() {
      try (Wiring w = new Wiring(common, parent.root.env)) {
        FailoverRecord r =
            w.failoverService(parent.root.env)
                .last(target.namespace, target.statefulSet)
                .orElseThrow(
                    () ->
                        ZoneguardException.notFound(
                            target.namespace
                                + "/"
                                + target.statefulSet
                                + " has no failover or failback recorded"));
        if (common.output == OutputFormat.json) {
          Json.print(parent.root.out, r);
        } else {
          renderRecord(parent.root.out, r);
        }
        return 0;
      }
    }
  }

  /** Progress lines on stderr, so stdout stays the plan and the report. */
  static final class ConsoleProgress implements Progress {
    private final PrintWriter err;

    ConsoleProgress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void step(int index, int total, String id, String description, boolean doneEarlier) {
      err.printf(
          "[%d/%d] %-18s %s%n", index, total, id, doneEarlier ? "done by an earlier run" : "...");
      err.flush();
    }

    @Override
    public void detail(String line) {
      err.println("        " + line);
      err.flush();
    }

    @Override
    public void stepDone(String id, String summary, Duration took) {
      err.printf("        %s: %s (%.1fs)%n", id, summary, took.toMillis() / 1000.0);
      err.flush();
    }
  }

  static void renderRecord(PrintWriter out, FailoverRecord r) {
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
    if (r.error() != null) {
      out.println("last error: " + r.error());
    }
  }

  static void render(PrintWriter out, FailoverPlan p) {
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
}
