package io.zoneguard.cli;

import io.zoneguard.backup.BackupSetSummary;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.options.TargetOptions;
import io.zoneguard.cli.view.BackupView;
import io.zoneguard.cli.view.Human;
import io.zoneguard.cli.view.Json;
import io.zoneguard.cli.view.Table;
import io.zoneguard.domain.BackupManifest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = "Takes and inspects backup sets (dump in S3 + EBS snapshot per PVC).",
    subcommands = {BackupRunCommand.class, BackupCommand.ListSets.class, BackupCommand.Show.class})
final class BackupCommand implements Runnable {
  @ParentCommand ZoneguardCommand root;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "a subcommand is required: run, list or show");
  }

  enum Via {
    tcp,
    exec
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the backup sets of a StatefulSet, newest first, with completeness.")
  static final class ListSets implements Callable<Integer> {
    @ParentCommand BackupCommand parent;
    @Mixin CommonOptions common;
    @Mixin TargetOptions target;

    @Override
    public Integer call() {
      try (Wiring w = new Wiring(common, parent.root.env)) {
        List<BackupSetSummary> sets = w.backupStore().list(target.namespace, target.statefulSet);
        if (common.output == OutputFormat.json) {
          Json.print(
              parent.root.out,
              sets.stream()
                  .map(
                      s ->
                          Map.of(
                              "setId", s.setId(),
                              "startedAt", s.startedAt(),
                              "ageSeconds", s.ageSeconds(),
                              "complete", s.complete(),
                              "hasManifest", s.hasManifest(),
                              "sizeBytes", s.sizeBytes(),
                              "snapshots", s.snapshots()))
                  .toList());
        } else {
          Table t = new Table("SET", "STATUS", "AGE", "SIZE", "SNAPSHOTS");
          for (BackupSetSummary s : sets) {
            t.row(
                s.setId(),
                s.complete() ? "complete" : s.hasManifest() ? "incomplete" : "no-manifest",
                io.zoneguard.domain.Text.age(s.ageSeconds()),
                Human.bytes(s.sizeBytes()),
                s.snapshots());
          }
          t.print(parent.root.out);
          if (sets.isEmpty()) {
            parent.root.out.println(
                "No backup sets for " + target.namespace + "/" + target.statefulSet + ".");
          }
          w.backupStore()
              .binlogWindow(target.namespace, target.statefulSet)
              .ifPresent(
                  b -> {
                    parent.root.out.printf(
                        "binlog archive (server %d): %s .. %s, %d file(s), %s%s;"
                            + " restore --to-time reaches instants up to its end%n",
                        b.serverId(),
                        b.firstEventTime(),
                        b.lastEventTime(),
                        b.files(),
                        Human.bytes(b.bytes()),
                        b.lastGtid() == null ? "" : ", last GTID " + b.lastGtid());
                    // a replay never crosses a gap: only a set after the last one reaches the end
                    b.gaps().forEach(g -> parent.root.out.println("  GAP " + g));
                    if (!b.gaps().isEmpty()) {
                      parent.root.out.printf(
                          "  recoverable without a gap: %s .. %s (from a set taken after %s)%n",
                          b.continuousFrom(), b.lastEventTime(), b.continuousFrom());
                    }
                  });
        }
        return 0;
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Shows one backup set's manifest.")
  static final class Show implements Callable<Integer> {
    @ParentCommand BackupCommand parent;
    @Mixin CommonOptions common;
    @Mixin TargetOptions target;

    @Parameters(paramLabel = "SET", description = "backup set id, e.g. 20261123T101500Z-1a2b3c")
    String setId;

    @Override
    public Integer call() {
      try (Wiring w = new Wiring(common, parent.root.env)) {
        BackupManifest m = w.backupStore().manifest(target.namespace, target.statefulSet, setId);
        if (common.output == OutputFormat.json) {
          Json.print(parent.root.out, m);
        } else {
          BackupView.manifest(parent.root.out, m);
        }
        return 0;
      }
    }
  }
}
