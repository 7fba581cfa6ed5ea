package io.zoneguard.cli;

import io.zoneguard.cli.options.ApplyFlags;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.HydrationOptions;
import io.zoneguard.cli.options.TargetOptions;
import io.zoneguard.domain.Hydration;
import io.zoneguard.failover.FailoverOptions;
import io.zoneguard.failover.FailoverService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "failback",
    mixinStandardHelpOptions = true,
    description = {
      "Returns a failed-over StatefulSet to its recovered zone (plan, apply).",
      "",
      "Once the original zone has recovered, the moved replicas are stopped, their volumes",
      "snapshotted while quiet (no data loss), restored into the original zone and re-bound",
      "under the same claim names, and the StatefulSet's original affinity is restored. Same",
      "resumable step machinery as failover.",
      ""
    },
    footer = {
      "",
      "The moved replicas are down from stop-pods until wait-ready (snapshot + volume creation);",
      "the other replicas keep running. Until release-claims the moved claims carry the",
      "zoneguard.io/hold finalizer, so the StatefulSet controller cannot recreate them empty.",
      "See runbooks/failback.md.",
      "",
      "Examples:",
      "  zoneguard failback plan  -n shop --statefulset mysql",
      "  zoneguard failback apply -n shop --statefulset mysql --yes"
    },
    subcommands = {FailbackCommand.Plan.class, FailbackCommand.Apply.class})
final class FailbackCommand implements Runnable {
  @ParentCommand ZoneguardCommand root;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "a subcommand is required: plan or apply");
  }

  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description = {
        "Shows what a failback would do; refused (exit 3) while the original zone is not",
        "healthy, or when a moved PVC is no longer where the failover left it. Read-only.",
        ""
      })
  static final class Plan implements Callable<Integer> {
    @ParentCommand FailbackCommand parent;
    @Mixin CommonOptions common;
    @Mixin TargetOptions target;
    @Mixin HydrationOptions hydration;

    @Override
    public Integer call() {
      Hydration h = hydration.hydration();
      try (Wiring w = new Wiring(common, parent.root.env)) {
        FailoverService service = w.failoverService(parent.root.env);
        var start =
            service.prepareFailback(
                target.namespace, target.statefulSet, FailoverOptions.defaults());
        return FailoverRuns.showPlan(parent.root, common, service.withHydration(start.plan(), h));
      }
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the failback plan step by step; resumable like 'failover apply'.",
        "",
        "Steps (in this order):${zoneguard.failback.steps}",
        ""
      })
  static final class Apply implements Callable<Integer> {
    @ParentCommand FailbackCommand parent;
    @Mixin CommonOptions common;
    @Mixin TargetOptions target;
    @Mixin ApplyFlags apply;

    @Override
    public Integer call() {
      // flags are checked before any call: a bad value changes nothing
      FailoverOptions options = apply.options();
      try (Wiring w = new Wiring(common, parent.root.env)) {
        FailoverService service = w.failoverService(parent.root.env);
        var done =
            service.finishedAlready(
                target.namespace, target.statefulSet, io.zoneguard.domain.FailoverPlan.FAILBACK);
        if (done.isPresent()) {
          return FailoverRuns.reportFinished(parent.root, common, done.get());
        }
        return FailoverRuns.runApply(
            parent.root,
            common,
            apply,
            service,
            service.prepareFailback(target.namespace, target.statefulSet, options),
            options);
      }
    }
  }
}
