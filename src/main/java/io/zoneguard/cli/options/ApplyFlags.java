package io.zoneguard.cli.options;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.failover.FailoverOptions;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How to apply: confirmation, dry run, waiting, volume initialization. Shared by failover and
 * failback.
 */
public final class ApplyFlags {
  @Mixin public HydrationOptions hydration;

  @Option(
      names = {"-y", "--yes"},
      description = "apply without the interactive confirmation (required without a terminal).")
  public boolean yes;

  @Option(
      names = "--dry-run",
      description = "print the plan (or the run that would be resumed) and change nothing.")
  public boolean dryRun;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      defaultValue = "15m",
      converter = DurationConverter.class,
      description = "how long to wait for every replica to be Ready (default: ${DEFAULT-VALUE}).")
  public Duration waitTimeout;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description =
          "how often to re-check pods, claims and nodes while waiting (default: ${DEFAULT-VALUE}).")
  public Duration pollInterval;

  /** The run's options with this command's waiting and initialization flags. */
  public FailoverOptions options() {
    if (pollInterval.isZero()) {
      throw ZoneguardException.usage("--poll-interval must be longer than 0 (e.g. 500ms, 2s)");
    }
    return FailoverOptions.defaults()
        .withReadyTimeout(waitTimeout)
        .withPollInterval(pollInterval)
        .withHydration(hydration.hydration());
  }

  /** Asks the operator to type the StatefulSet's name; true to go ahead. */
  public boolean confirmed(PrintWriter out, PrintWriter err, FailoverPlan plan) {
    if (yes) {
      return true;
    }
    java.io.Console console = System.console();
    if (console == null) {
      throw ZoneguardException.usage(
          "not a terminal: pass --yes to " + plan.kind() + " without the confirmation prompt");
    }
    out.flush();
    String answer =
        console.readLine(
            "Type the StatefulSet's name (%s) to %s it now: ", plan.statefulSet(), plan.kind());
    if (!plan.statefulSet().equals(answer == null ? null : answer.strip())) {
      err.println("zoneguard: aborted; nothing changed");
      return false;
    }
    return true;
  }
}
