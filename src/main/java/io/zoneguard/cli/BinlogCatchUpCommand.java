package io.zoneguard.cli;

import io.zoneguard.binlog.CatchUp;
import io.zoneguard.binlog.RecoveryTarget;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.DatabaseOptions;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.options.TargetOptions;
import io.zoneguard.cli.view.CatchUpView;
import io.zoneguard.cli.view.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "catch-up",
    mixinStandardHelpOptions = true,
    description = {
      "Replays the archived transactions a server lacks, from its own GTID position.",
      "",
      "For a replica restored from a snapshot (failover), or one that stopped replicating: reads",
      "the server's position (per GTID domain the newer of gtid_slave_pos and gtid_binlog_pos),",
      "proves the archive complete from there and that the position is in it (a server ahead of",
      "the archive or with another history is refused, exit 3, nothing written), then replays",
      "only the missing transactions through a client connection to the server (mariadb-binlog",
      "--start-position=<its GTID> | mysql, every database), up to the newest archived one,",
      "--to-time (events before it) or --to-gtid (inclusive). Afterwards the server's position",
      "must equal the last transaction replayed. Running it again applies nothing.",
      "",
      "Refused (exit 3) while a replication thread runs on the server (SHOW ALL SLAVES STATUS):",
      "STOP ALL SLAVES first. On a replica (or without binary logging) gtid_slave_pos is set to",
      "the new position, so replication started later with master_use_gtid=slave_pos continues",
      "after it. The account needs SUPER or BINLOG REPLAY (the replay sets the events' server_id",
      "and GTID), REPLICA MONITOR, REPLICATION SLAVE ADMIN (gtid_slave_pos) and, as replicas",
      "usually run read_only=ON, READ ONLY ADMIN (SUPER alone no longer writes to a read-only",
      "server since MariaDB 10.11).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  zoneguard binlog catch-up -n shop --statefulset mysql \\",
      "      --db-host mysql-1.mysql.shop.svc --db-password-secret mysql-auth/root-password",
      "  zoneguard binlog catch-up -n shop --statefulset mysql --db-host 10.0.0.7 --dry-run",
      "  zoneguard binlog catch-up -n shop --statefulset mysql --db-host 10.0.0.7 \\",
      "      --to-time 2026-11-24T10:15:00Z -o json",
      "",
      "Exit codes: 0 caught up (or nothing to apply), 1 failed (check the server, then re-run),",
      "2 usage, 3 refused (replicating, position not in the archive, gap, target not archived)."
    })
final class BinlogCatchUpCommand implements Callable<Integer> {
  @ParentCommand BinlogCommand parent;
  @Mixin CommonOptions common;
  @Mixin TargetOptions target;
  @Mixin DatabaseOptions db;

  @Option(
      names = "--to-time",
      paramLabel = "ISO-8601",
      description = "replay only events before this instant, e.g. 2026-11-24T10:15:00Z.")
  String toTime;

  @Option(
      names = "--to-gtid",
      paramLabel = "GTID",
      description = "replay up to and including this transaction (domain-server-sequence).")
  String toGtid;

  @Option(
      names = "--dry-run",
      description =
          "show what would be replayed (reads the server and the archive, writes nothing).")
  boolean dryRun;

  @Option(
      names = "--replication-stopped",
      description =
          "only when the account cannot read SHOW ALL SLAVES STATUS: you vouch that no"
              + " replication thread runs on the server.")
  boolean replicationStopped;

  @Option(
      names = "--mysql",
      paramLabel = "PATH",
      defaultValue = "mysql",
      description = "mysql client binary (default: ${DEFAULT-VALUE}).")
  String mysql;

  @Option(
      names = "--mariadb-binlog",
      paramLabel = "PATH",
      defaultValue = "mariadb-binlog",
      description = "the binlog decoder (default: ${DEFAULT-VALUE}).")
  String binlogDecoder;

  @Override
  public Integer call() throws IOException {
    RecoveryTarget at = RecoveryTarget.fromFlags(toTime, toGtid);
    try (Wiring w = new Wiring(common, parent.root.env)) {
      var endpoint =
          db.target(
              "catch-up never guesses which server to write into",
              parent.root.env,
              w::secrets,
              target.namespace);
      Path work = Files.createTempDirectory("zg-catch-up");
      CatchUp.Report r;
      try {
        r =
            w.catchUp(binlogDecoder)
                .run(
                    new CatchUp.Request(
                        target.namespace, target.statefulSet, at, dryRun, replicationStopped),
                    Wiring.serverPosition(endpoint),
                    Wiring.loader(mysql, endpoint),
                    work);
      } finally {
        io.zoneguard.domain.ScratchDir.delete(work);
      }
      if (common.output == OutputFormat.json) {
        Json.print(parent.root.out, r);
      } else {
        CatchUpView.report(parent.root.out, r);
      }
      return 0;
    }
  }
}
