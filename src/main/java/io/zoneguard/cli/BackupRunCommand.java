package io.zoneguard.cli;

import io.zoneguard.backup.BackupRequest;
import io.zoneguard.backup.BackupService;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.cli.options.DatabaseOptions;
import io.zoneguard.cli.options.DurationConverter;
import io.zoneguard.cli.options.OutputFormat;
import io.zoneguard.cli.options.TargetOptions;
import io.zoneguard.cli.view.BackupView;
import io.zoneguard.cli.view.Json;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.ZoneguardException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code zoneguard backup run}: one backup set now. */
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
      "  zoneguard backup run -n shop --statefulset mysql --consistency ftwrl --from-replica 1",
      "  zoneguard backup run -n shop --statefulset mysql --fast-restore-zones us-east-1a,us-east-1c"
    })
final class BackupRunCommand implements Callable<Integer> {
  @ParentCommand BackupCommand parent;
  @Mixin CommonOptions common;
  @Mixin TargetOptions target;
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
      description = "skip CHECKSUM TABLE (a full scan of every table, run beside the dump).")
  boolean noChecksums;

  @Option(
      names = "--via",
      paramLabel = "MODE",
      defaultValue = "tcp",
      description =
          "tcp: connect to --db-host and run mysqldump here; exec: run mysqldump inside the"
              + " replica's pod through the Kubernetes exec API (default: ${DEFAULT-VALUE}).")
  BackupCommand.Via via;

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

  @Option(
      names = "--fast-restore-zones",
      paramLabel = "ZONE",
      split = ",",
      description =
          "after a complete set: enable EBS Fast Snapshot Restore on its snapshots in these zones"
              + " and disable it on this StatefulSet's older zoneguard snapshots (billed per"
              + " snapshot per zone per hour, ~0.75 USD; at most 5 FSR snapshots per region by"
              + " default); none: disable it on all of them. A failure warns, the backup still"
              + " succeeds.")
  List<String> fastRestoreZones;

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
                      ZoneguardException.statefulSetNotFound(target.namespace, target.statefulSet));
      if (replica >= sts.replicas()) {
        throw ZoneguardException.usage(
            "--from-replica " + replica + ": the StatefulSet has " + sts.replicas() + " replicas");
      }
      Wiring.DatabaseAccess access =
          via == BackupCommand.Via.exec
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
      // "none": FSR off on all of the StatefulSet's zoneguard snapshots
      List<String> fsrZones =
          fastRestoreZones == null || fastRestoreZones.equals(List.of("none"))
              ? List.of()
              : fastRestoreZones;
      if (!fsrZones.isEmpty()) {
        w.fastRestoreRotation().requireZones(fsrZones, "--fast-restore-zones");
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
      if (fastRestoreZones != null) {
        if (m.complete()) {
          var fsr = w.fastRestoreRotation().rotate(m, fsrZones);
          parent.root.err.println((fsr.ok() ? "" : "warning: ") + fsr.summary());
        } else {
          parent.root.err.println(
              "warning: Fast Snapshot Restore left where it was: set "
                  + m.setId()
                  + " is incomplete");
        }
      }
      if (common.output == OutputFormat.json) {
        Json.print(parent.root.out, m);
      } else {
        BackupView.manifest(parent.root.out, m);
      }
      return m.complete() ? 0 : 1;
    }
  }
}
