package io.zoneguard.cli;

import io.zoneguard.backup.BackupRequest;
import io.zoneguard.backup.BackupService;
import io.zoneguard.backup.BackupSetSummary;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.ZoneguardException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = "Takes and inspects backup sets (dump in S3 + EBS snapshot per PVC).",
    subcommands = {BackupCommand.Run.class, BackupCommand.ListSets.class, BackupCommand.Show.class})
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

  /** -n and --statefulset, shared by the backup subcommands. */
  static final class Target {
    @Option(
        names = {"-n", "--namespace"},
        required = true,
        paramLabel = "NS",
        description = "namespace of the StatefulSet.")
    String namespace;

    @Option(
        names = "--statefulset",
        required = true,
        paramLabel = "NAME",
        description = "the StatefulSet.")
    String statefulSet;
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Takes one backup set now: mysqldump --single-transaction streamed through zstd into S3",
        "(multipart, SHA-256), an EBS snapshot of every PVC tagged zoneguard.io/*, and the",
        "manifest written last. A set without a complete manifest is never used.",
        ""
      },
      footer = {
        "",
        "Examples:",
        "  zoneguard backup run -n shop --statefulset mysql --db-password-secret mysql-auth/root-password",
        "  MYSQL_PWD=... zoneguard backup run -n shop --statefulset mysql --db-host 127.0.0.1 --database shop",
        "  zoneguard backup run -n shop --statefulset mysql --consistency ftwrl --from-replica 1"
      })
  static final class Run implements Callable<Integer> {
    @ParentCommand BackupCommand parent;
    @Mixin CommonOptions common;
    @Mixin Target target;
    @Mixin DatabaseOptions db;

    @Option(
        names = "--database",
        paramLabel = "DB",
        description = "database to dump; repeatable (default: every user database).")
    List<String> databases;

    @Option(
        names = "--from-replica",
        paramLabel = "ORDINAL",
        defaultValue = "0",
        description = "replica to dump from, e.g. a follower (default: ${DEFAULT-VALUE}).")
    int replica;

    @Option(
        names = "--consistency",
        paramLabel = "MODE",
        defaultValue = "crash",
        description =
            "snapshot consistency: ${COMPLETION-CANDIDATES}; ftwrl holds FLUSH TABLES WITH READ"
                + " LOCK only around CreateSnapshot (default: ${DEFAULT-VALUE}).")
    BackupRequest.Consistency consistency;

    @Option(
        names = "--snapshot-timeout",
        paramLabel = "DURATION",
        defaultValue = "2h",
        converter = DurationConverter.class,
        description = "how long to wait for snapshots, e.g. 90m or 2h (default: ${DEFAULT-VALUE}).")
    Duration snapshotTimeout;

    @Option(
        names = "--no-checksums",
        description = "skip CHECKSUM TABLE after the dump (a full scan of every table).")
    boolean noChecksums;

    @Option(
        names = "--via",
        paramLabel = "MODE",
        defaultValue = "tcp",
        description =
            "tcp: connect to --db-host and run mysqldump here; exec: run mysqldump inside the"
                + " replica's pod through the Kubernetes exec API (default: ${DEFAULT-VALUE}).")
    Via via;

    @Option(
        names = "--container",
        paramLabel = "NAME",
        description = "with --via exec: the database container (default: the pod's first).")
    String container;

    @Option(
        names = "--exec-password-env",
        paramLabel = "VAR",
        defaultValue = "MYSQL_ROOT_PASSWORD",
        description =
            "with --via exec: the container's environment variable holding the password; it is"
                + " read inside the pod and never leaves it (default: ${DEFAULT-VALUE}).")
    String passwordEnv;

    @Option(
        names = "--mysqldump",
        paramLabel = "PATH",
        defaultValue = "mysqldump",
        description = "mysqldump binary (default: ${DEFAULT-VALUE}).")
    String mysqldump;

    @Option(
        names = "--zstd-level",
        paramLabel = "N",
        defaultValue = "1",
        description = "zstd level 1-19 (default: ${DEFAULT-VALUE}).")
    int zstdLevel;

    @Override
    public Integer call() {
      if (replica < 0) {
        throw ZoneguardException.usage("--from-replica must be 0 or more");
      }
      if (zstdLevel < 1 || zstdLevel > 19) {
        throw ZoneguardException.usage("--zstd-level must be 1-19");
      }
      try (Wiring w = new Wiring(common, parent.root.env)) {
        // AWS clients take a moment to build: do it while the Kubernetes lookups run.
        var awsReady = java.util.concurrent.CompletableFuture.runAsync(w::aws);
        var sts =
            w.statefulSets()
                .get(target.namespace, target.statefulSet)
                .orElseThrow(
                    () ->
                        ZoneguardException.statefulSetNotFound(
                            target.namespace, target.statefulSet));
        if (replica >= sts.replicas()) {
          throw ZoneguardException.usage(
              "--from-replica "
                  + replica
                  + ": the StatefulSet has "
                  + sts.replicas()
                  + " replicas");
        }
        Wiring.DatabaseAccess access =
            via == Via.exec
                ? w.exec(target.namespace, sts.podName(replica), container, db.user, passwordEnv)
                : Wiring.tcp(
                    db.endpoint(
                        Wiring.replicaHost(sts, replica),
                        db.password(parent.root.env, w.secrets(), target.namespace)),
                    mysqldump);
        try {
          awsReady.join();
        } catch (java.util.concurrent.CompletionException e) {
          throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        BackupService service = w.backupService(access, zstdLevel);
        BackupManifest m =
            service.run(
                new BackupRequest(
                    target.namespace,
                    target.statefulSet,
                    replica,
                    databases,
                    consistency,
                    !noChecksums,
                    snapshotTimeout));
        if (common.output == OutputFormat.json) {
          Json.print(parent.root.out, m);
        } else {
          printManifest(parent.root.out, m);
        }
        return m.complete() ? 0 : 1;
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the backup sets of a StatefulSet, newest first, with completeness.")
  static final class ListSets implements Callable<Integer> {
    @ParentCommand BackupCommand parent;
    @Mixin CommonOptions common;
    @Mixin Target target;

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
    @Mixin Target target;

    @Parameters(paramLabel = "SET", description = "backup set id, e.g. 20261123T101500Z-1a2b3c")
    String setId;

    @Override
    public Integer call() {
      try (Wiring w = new Wiring(common, parent.root.env)) {
        BackupManifest m = w.backupStore().manifest(target.namespace, target.statefulSet, setId);
        if (common.output == OutputFormat.json) {
          Json.print(parent.root.out, m);
        } else {
          printManifest(parent.root.out, m);
        }
        return 0;
      }
    }
  }

  static void printManifest(PrintWriter out, BackupManifest m) {
    out.printf(
        "SET %s  %s/%s  %s  consistency=%s%n",
        m.setId(),
        m.namespace(),
        m.statefulSet(),
        m.complete() ? "COMPLETE" : "INCOMPLETE",
        m.consistency());
    out.printf("server   %s  binlog %s%n", m.server().version(), binlog(m.binlog()));
    out.printf(
        "dump     %s  %s (%s of SQL)  sha256 %s  in %.1f s%n",
        m.dump().key(),
        Human.bytes(m.dump().sizeBytes()),
        Human.bytes(m.dump().uncompressedBytes()),
        m.dump().sha256(),
        m.timings().dumpSeconds());
    Table rows = new Table("TABLE", "ROWS", "CHECKSUM");
    m.dump().tableRows().keySet().stream()
        .sorted()
        .forEach(k -> rows.row(k, m.dump().tableRows().get(k), m.dump().tableChecksums().get(k)));
    rows.print(out);
    Table snaps = new Table("PVC", "VOLUME", "ZONE", "SNAPSHOT", "STATE", "SIZE", "TYPE");
    for (BackupManifest.Snapshot s : m.snapshots()) {
      snaps.row(
          s.pvc(),
          s.volumeId(),
          s.zone(),
          s.snapshotId(),
          s.state(),
          s.sizeGiB() + "Gi",
          s.volumeType());
    }
    snaps.print(out);
    m.warnings().forEach(wn -> out.println("  ! " + wn));
  }

  private static String binlog(BackupManifest.Binlog b) {
    if (b == null || (b.file() == null && b.gtid() == null)) {
      return b == null || b.note() == null ? "-" : "(" + b.note() + ")";
    }
    return (b.file() == null ? "" : b.file() + ":" + b.position())
        + (b.gtid() == null ? "" : " gtid " + b.gtid());
  }
}
