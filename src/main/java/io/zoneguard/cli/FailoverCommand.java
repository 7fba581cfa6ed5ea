package io.zoneguard.cli;

import io.zoneguard.cli.options.ApplyFlags;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.HydrationOptions;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.options.PlanFlags;
import io.zoneguard.cli.options.TargetOptions;
import io.zoneguard.cli.view.FailoverView;
import io.zoneguard.cli.view.Json;
import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Hydration;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.failover.FailoverOptions;
import io.zoneguard.failover.FailoverService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    @Mixin TargetOptions target;
    @Mixin PlanFlags flags;
    @Mixin HydrationOptions hydration;

    @Override
    public Integer call() {
      Hydration h = hydration.hydration();
      try (Wiring w = new Wiring(common, parent.root.env)) {
        FailoverPlan p = w.failoverPlanService().plan(flags.request(target));
        return FailoverRuns.showPlan(
            parent.root, common, w.failoverPlanService().withHydration(p, h));
      }
    }
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
    @Mixin TargetOptions target;
    @Mixin PlanFlags flags;
    @Mixin ApplyFlags apply;

    @Override
    public Integer call() {
      // flags are checked before any call: a bad value changes nothing
      FailoverOptions options =
          apply.options().withConfirmNodesDown(flags.confirmNodesDown).withFence(flags.fenceMode());
      try (Wiring w = new Wiring(common, parent.root.env)) {
        FailoverService service = w.failoverService(parent.root.env);
        FailoverService.Start start = service.prepareFailover(flags.request(target), options);
        if (!start.resuming() && start.plan().refused()) {
          // nothing to fail over may mean: done by a run killed after its last step
          var done =
              service.finishedAlready(target.namespace, target.statefulSet, FailoverPlan.FAILOVER);
          if (done.isPresent()) {
            return FailoverRuns.reportFinished(parent.root, common, done.get());
          }
        }
        return FailoverRuns.runApply(parent.root, common, apply, service, start, options);
      }
    }
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
    @Mixin TargetOptions target;

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
          FailoverView.record(parent.root.out, r);
        }
        return 0;
      }
    }
  }
}
