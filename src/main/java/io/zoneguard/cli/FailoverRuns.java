package io.zoneguard.cli;

import io.zoneguard.cli.options.ApplyFlags;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.view.ConsoleProgress;
import io.zoneguard.cli.view.FailoverView;
import io.zoneguard.cli.view.Json;
import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.failover.FailoverOptions;
import io.zoneguard.failover.FailoverService;

/**
 * The flow both {@code failover} and {@code failback} run: show the plan (exit 3 when refused),
 * confirm, apply with progress on stderr, report the record (table or JSON).
 */
final class FailoverRuns {
  private FailoverRuns() {}

  /** Prints a plan; exit 3 with the reasons when it is refused. */
  static int showPlan(ZoneguardCommand root, CommonOptions common, FailoverPlan p) {
    if (common.output == OutputFormat.json) {
      Json.print(root.out, p);
    } else {
      FailoverView.plan(root.out, p);
    }
    if (p.refused()) {
      root.err.println(
          "zoneguard: " + p.kind() + " refused as unsafe: " + String.join("; ", p.refusals()));
      return ExitCode.REFUSED_UNSAFE.code();
    }
    return 0;
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
      FailoverView.record(root.out, done);
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
    if (!start.resuming()) {
      start =
          new FailoverService.Start(
              service.withHydration(start.plan(), options.hydration()), null, start.persisted());
    }
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
    if (!apply.confirmed(root.out, root.err, start.plan())) {
      return ExitCode.FAILED.code();
    }
    FailoverRecord done = service.apply(start, options, new ConsoleProgress(root.err));
    if (json) {
      Json.print(root.out, done);
    } else {
      FailoverView.record(root.out, done);
    }
    return 0;
  }
}
