package io.zoneguard.cli;

import io.zoneguard.binlog.BinlogArchiveService;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.DatabaseOptions;
import io.zoneguard.cli.options.DurationConverter;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.options.TargetOptions;
import io.zoneguard.cli.view.Json;
import io.zoneguard.domain.ZoneguardException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "binlog",
    mixinStandardHelpOptions = true,
    description = {
      "Continuous binary log archiving: RPO in seconds instead of the backup interval (archive),",
      "and replaying what a restored server lacks (catch-up).",
      ""
    },
    subcommands = {BinlogCommand.Archive.class, BinlogCatchUpCommand.class})
final class BinlogCommand implements Runnable {
  @ParentCommand ZoneguardCommand root;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "a subcommand is required: archive, catch-up");
  }

  @Command(
      name = "archive",
      mixinStandardHelpOptions = true,
      description = {
        "Streams a server's binary logs into the backup bucket until stopped.",
        "",
        "Connects to --db-host as a replication client (mariadb-binlog --read-from-remote-server",
        "--raw --stop-never; the account needs REPLICATION SLAVE and REPLICATION CLIENT), spools",
        "the files in --spool and every --interval uploads the new whole events of each file as",
        "one segment under <prefix>/<cluster>/_binlog/<ns>/<sts>/<server-id>/, with an index",
        "object (SHA-256, first/last event time and GTID). A closed file's last segment is marked",
        "closed. Killed and started again (anywhere), it continues where the bucket's archive",
        "ends: no gap, no duplicate. A file purged from the server before it was archived is",
        "reported as a GAP and archiving goes on with the next one.",
        ""
      },
      footer = {
        "",
        "Examples:",
        "  MYSQL_PWD=... zoneguard binlog archive -n shop --statefulset mysql \\",
        "      --db-host mysql-1.mysql.shop.svc --db-user archiver",
        "  zoneguard binlog archive -n shop --statefulset mysql --db-host 10.0.0.7 \\",
        "      --interval 5s --stop-after 1h -o json",
        "",
        "Exit codes: 0 stopped after --stop-after, 1 failed (re-run to resume), 2 usage, 3 refused",
        "(binary logging off, or the server's logs do not continue the archive)."
      })
  static final class Archive implements Callable<Integer> {
    @ParentCommand BinlogCommand parent;
    @Mixin CommonOptions common;
    @Mixin TargetOptions target;
    @Mixin DatabaseOptions db;

    @Option(
        names = "--interval",
        paramLabel = "DURATION",
        defaultValue = "10s",
        converter = DurationConverter.class,
        description =
            "how often to upload what the stream wrote: the archive's lag behind the server"
                + " (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
        names = "--stop-after",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description =
            "stop (after a last upload) once this has passed (default: run until killed).")
    Duration stopAfter;

    @Option(
        names = "--spool",
        paramLabel = "DIR",
        description = "where the stream writes the files (default: a new temporary directory).")
    Path spool;

    @Option(
        names = "--replica-server-id",
        paramLabel = "ID",
        defaultValue = "4207",
        description =
            "server id the stream announces; must differ from every replica's"
                + " (default: ${DEFAULT-VALUE}).")
    long replicaServerId;

    @Option(
        names = "--mariadb-binlog",
        paramLabel = "PATH",
        defaultValue = "mariadb-binlog",
        description = "mariadb-binlog (or mysqlbinlog) binary (default: ${DEFAULT-VALUE}).")
    String binary;

    @Override
    public Integer call() throws IOException {
      if (interval.isZero() || interval.isNegative()) {
        throw ZoneguardException.usage("--interval must be longer than 0 (e.g. 10s)");
      }
      if (replicaServerId < 1 || replicaServerId > 4294967295L) {
        throw ZoneguardException.usage("--replica-server-id must be 1-4294967295");
      }
      try (Wiring w = new Wiring(common, parent.root.env)) {
        var endpoint =
            db.target(
                "the server whose binary logs are archived",
                parent.root.env,
                w::secrets,
                target.namespace);
        Path dir =
            spool != null ? Files.createDirectories(spool) : Files.createTempDirectory("zg-binlog");
        BinlogArchiveService.Report r;
        try {
          r = archive(w, endpoint, dir);
        } finally {
          if (spool == null) {
            BinlogArchiveService.discardSpool(dir);
          }
        }
        if (common.output == OutputFormat.json) {
          Json.print(parent.root.out, r);
        } else {
          parent.root.out.printf(
              "server %d: %d segments, %d bytes archived; last event %s%s%s%n",
              r.serverId(),
              r.segments(),
              r.bytes(),
              r.lastEventTime() == null ? "-" : r.lastEventTime(),
              r.lastGtid() == null ? "" : ", gtid " + r.lastGtid(),
              r.gaps().isEmpty() ? "" : "; GAPS: " + String.join("; ", r.gaps()));
        }
        return 0;
      }
    }

    private BinlogArchiveService.Report archive(
        Wiring w, io.zoneguard.domain.DatabaseEndpoint endpoint, Path dir) {
      return w.binlogArchiveService()
          .run(
              target.namespace,
              target.statefulSet,
              Wiring.binlogSource(endpoint, binary, replicaServerId),
              dir,
              interval,
              stopAfter == null ? Duration.ofDays(36500) : stopAfter,
              () -> false,
              parent.root.err::println);
    }
  }
}
