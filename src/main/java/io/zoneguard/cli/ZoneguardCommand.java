package io.zoneguard.cli;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.ZoneguardException;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code zoneguard} command: subcommands only. Exit codes are mapped here and nowhere else. */
@Command(
    name = "zoneguard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Protects MySQL/MariaDB StatefulSets on EKS against the loss of an availability zone:",
      "scheduled dumps and EBS snapshots, zone failover of PVCs, and restore drills.",
      ""
    },
    subcommands = {
      StatusCommand.class,
      BackupCommand.class,
      BinlogCommand.class,
      RestoreCommand.class,
      PruneCommand.class,
      FailoverCommand.class,
      FailbackCommand.class,
      DrillCommand.class,
      ServeCommand.class,
      ConfigCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 failed, 2 usage or configuration error, 3 refused as unsafe.",
      "Run 'zoneguard COMMAND --help' for a command's options and examples."
    })
public final class ZoneguardCommand implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ZoneguardCommand.class);

  final Map<String, String> env;
  final PrintWriter out;
  final PrintWriter err;

  ZoneguardCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "a command is required (see 'zoneguard --help')");
  }

  static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    // the step lists in 'failover apply --help' and 'failback apply --help' come from StepId
    // (picocli interpolates ${...} in descriptions from system properties)
    System.setProperty(
        "zoneguard.failover.steps",
        io.zoneguard.failover.steps.StepId.help(io.zoneguard.failover.steps.StepId.FAILOVER));
    System.setProperty(
        "zoneguard.failback.steps",
        io.zoneguard.failover.steps.StepId.help(io.zoneguard.failover.steps.StepId.FAILBACK));
    CommandLine cl = new CommandLine(new ZoneguardCommand(env, out, err));
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // descriptions are written as lines of up to 100 columns; do not re-wrap them at 80
    cl.setUsageHelpWidth(100);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println(
              "zoneguard: "
                  + ex.getMessage()
                  + " (see '"
                  + ex.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help')");
          return ExitCode.USAGE.code();
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          if (ex instanceof ZoneguardException ze) {
            LOG.debug("command failed", ze);
            err.println("zoneguard: " + ze.getMessage());
            return ze.exitCode().code();
          }
          LOG.error("unexpected failure", ex);
          err.println("zoneguard: unexpected error: " + ex);
          return ExitCode.FAILED.code();
        });
    return cl.execute(args);
  }
}
