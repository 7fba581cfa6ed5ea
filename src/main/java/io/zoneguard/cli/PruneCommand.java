package io.zoneguard.cli;

import io.zoneguard.backup.PruneService;
import io.zoneguard.backup.RetentionPolicy;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.DurationConverter;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.options.TargetOptions;
import io.zoneguard.cli.view.Json;
import io.zoneguard.cli.view.Table;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes backup sets that the GFS retention policy no longer keeps.",
      "",
      "Deletes backup sets (dump objects and EBS snapshots) that the GFS retention policy no",
      "longer keeps. Never deletes the newest complete set, sets listed in the StatefulSet's",
      "zoneguard.io/sets-in-use annotation, or incomplete sets younger than --incomplete-grace.",
      "Run with --dry-run first.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  zoneguard prune -n shop --statefulset mysql --dry-run",
      "  zoneguard prune -n shop --statefulset mysql --keep-daily 14 --keep-monthly 12"
    })
final class PruneCommand implements Callable<Integer> {
  @ParentCommand ZoneguardCommand root;
  @Mixin CommonOptions common;
  @Mixin TargetOptions target;

  @Option(
      names = "--keep-hourly",
      paramLabel = "N",
      defaultValue = "24",
      description = "default: ${DEFAULT-VALUE}.")
  int hourly;

  @Option(
      names = "--keep-daily",
      paramLabel = "N",
      defaultValue = "7",
      description = "default: ${DEFAULT-VALUE}.")
  int daily;

  @Option(
      names = "--keep-weekly",
      paramLabel = "N",
      defaultValue = "4",
      description = "default: ${DEFAULT-VALUE}.")
  int weekly;

  @Option(
      names = "--keep-monthly",
      paramLabel = "N",
      defaultValue = "6",
      description = "default: ${DEFAULT-VALUE}.")
  int monthly;

  @Option(
      names = "--incomplete-grace",
      paramLabel = "DURATION",
      defaultValue = "6h",
      converter = DurationConverter.class,
      description = "keep sets without a complete manifest this long (default: ${DEFAULT-VALUE}).")
  Duration grace;

  @Option(names = "--dry-run", description = "list what would be deleted; delete nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    RetentionPolicy policy;
    try {
      policy = new RetentionPolicy(hourly, daily, weekly, monthly, grace);
    } catch (IllegalArgumentException e) {
      throw io.zoneguard.domain.ZoneguardException.usage(e.getMessage());
    }
    try (Wiring w = new Wiring(common, root.env)) {
      PruneService.Result r =
          w.pruneService().prune(target.namespace, target.statefulSet, policy, dryRun);
      if (common.output == OutputFormat.json) {
        Json.print(root.out, r);
        return 0;
      }
      Table t = new Table("SET", "ACTION", "WHY / WHAT");
      r.kept().forEach(id -> t.row(id, "keep", r.keptBecause().get(id)));
      r.deleted()
          .forEach(
              d ->
                  t.row(
                      d.setId(),
                      dryRun ? "would delete" : "deleted",
                      d.objects().size() + " object(s), " + d.snapshots().size() + " snapshot(s)"));
      r.binlogFilesDeleted()
          .forEach(
              f ->
                  t.row(
                      "binlog " + f,
                      dryRun ? "would delete" : "deleted",
                      "older than the oldest kept set's GTID"));
      t.print(root.out);
      return 0;
    }
  }
}
