package io.zoneguard.cli;

import io.zoneguard.backup.RestoreService;
import io.zoneguard.binlog.PointInTimeRestore;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.DatabaseOptions;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.options.RestoreSourceOptions;
import io.zoneguard.cli.options.TargetOptions;
import io.zoneguard.cli.view.Human;
import io.zoneguard.cli.view.Json;
import io.zoneguard.domain.BackupManifest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restores a backup set's dump into a database server (SHA-256 checked first).",
      "",
      "Streams a backup set's dump into a database server, after verifying its SHA-256 against",
      "the manifest (a corrupted dump restores nothing). --rename loads a database under another",
      "name, e.g. into a scratch copy beside production.",
      "",
      "--to-time T / --to-gtid G (point in time): the newest complete set before T (or G), then",
      "the binary logs archived by 'zoneguard binlog archive' (or serve's binlog.enabled) from the",
      "set's GTID",
      "up to T (events before T) or G (inclusive). The chain is checked first: a gap, an archive",
      "that does not reach the target, or a set without a GTID position is refused (exit 3) and",
      "nothing is written.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  zoneguard restore -n shop --statefulset mysql --db-host 10.0.0.5 --db-password-file pw",
      "  zoneguard restore -n shop --statefulset mysql --set 20261123T101500Z-1a2b3c \\",
      "      --db-host 127.0.0.1 --rename shop=shop_check",
      "  zoneguard restore -n shop --statefulset mysql --to-time 2026-11-24T10:15:00Z \\",
      "      --db-host scratch.dr.svc --rename shop=shop_at_1015"
    })
final class RestoreCommand implements Callable<Integer> {
  @ParentCommand ZoneguardCommand root;
  @Mixin CommonOptions common;
  @Mixin TargetOptions target;
  @Mixin DatabaseOptions db;
  @Mixin RestoreSourceOptions source;

  @Option(
      names = "--rename",
      paramLabel = "FROM=TO",
      description = "load database FROM as TO; repeatable.")
  Map<String, String> renames = new LinkedHashMap<>();

  @Option(
      names = "--to-time",
      paramLabel = "ISO-8601",
      description = "restore the state just before this instant, e.g. 2026-11-24T10:15:00Z.")
  String toTime;

  @Option(
      names = "--to-gtid",
      paramLabel = "GTID",
      description =
          "restore up to and including this transaction (domain-server-sequence, e.g. 0-1-4711).")
  String toGtid;

  @Option(
      names = "--mariadb-binlog",
      paramLabel = "PATH",
      defaultValue = "mariadb-binlog",
      description = "with --to-time: the binlog decoder (default: ${DEFAULT-VALUE}).")
  String binlogDecoder;

  @Override
  public Integer call() throws java.io.IOException {
    io.zoneguard.binlog.RecoveryTarget at =
        io.zoneguard.binlog.RecoveryTarget.fromFlags(toTime, toGtid);
    try (Wiring w = new Wiring(common, root.env)) {
      var endpoint =
          db.target(
              "restore never guesses which server to write into",
              root.env,
              w::secrets,
              target.namespace);
      if (at != null) {
        return pointInTime(w, at, endpoint);
      }
      BackupManifest m = w.backupStore().chosen(target.namespace, target.statefulSet, source.set());
      RestoreService.Result r =
          w.restoreService().restore(m, Wiring.loader(source.mysql, endpoint), renames);
      if (common.output == OutputFormat.json) {
        Json.print(root.out, r);
      } else {
        root.out.printf(
            "restored set %s into %s: %s of SQL, SHA-256 verified in %.1f s, loaded in %.1f s%n",
            r.setId(), r.target(), Human.bytes(r.sqlBytes()), r.verifySeconds(), r.loadSeconds());
        r.renames().forEach((a, b) -> root.out.println("  database " + a + " -> " + b));
      }
      return 0;
    }
  }

  private int pointInTime(
      Wiring w,
      io.zoneguard.binlog.RecoveryTarget at,
      io.zoneguard.domain.DatabaseEndpoint endpoint)
      throws java.io.IOException {
    java.nio.file.Path work = java.nio.file.Files.createTempDirectory("zg-pitr");
    PointInTimeRestore.Result r;
    try {
      r =
          w.pointInTimeRestore(binlogDecoder)
              .restore(
                  target.namespace,
                  target.statefulSet,
                  source.set(),
                  at,
                  Wiring.loader(source.mysql, endpoint),
                  renames,
                  work);
    } finally {
      // the downloaded binlog files: up to max_binlog_size each, nothing to keep
      io.zoneguard.domain.ScratchDir.delete(work);
    }
    String executed = r.executedGtid() != null ? r.executedGtid() : "sequence " + r.executedSeq();
    if (common.output == OutputFormat.json) {
      Json.print(root.out, r);
    } else {
      root.out.printf(
          "restored set %s into %s and replayed %s of binary logs (%s, server %d) up to %s%n",
          r.dump().setId(),
          r.dump().target(),
          Human.bytes(r.binlogBytes()),
          String.join(", ", r.binlogFiles()),
          r.serverId(),
          r.toTime());
      r.dump().renames().forEach((a, b) -> root.out.println("  database " + a + " -> " + b));
      if (r.reached()) {
        root.out.println(
            r.expectedGtid() == null
                ? "  nothing archived after the set before the target: the set is that point"
                : "  reached "
                    + r.expectedGtid()
                    + ", the archive's last transaction before the target (verified)");
      }
    }
    if (!r.reached()) {
      // the dump is loaded, but the database is not at the point asked for: say so and fail
      root.err.println(
          "zoneguard: the replay executed through "
              + executed
              + " but the archive's last transaction before "
              + r.toTime()
              + " is "
              + (r.expectedGtid() == null ? "none after the set" : r.expectedGtid())
              + ": "
              + r.dump().target()
              + " is not at that point; check the decoder (--mariadb-binlog) and retry");
      return io.zoneguard.domain.ExitCode.FAILED.code();
    }
    return 0;
  }
}
