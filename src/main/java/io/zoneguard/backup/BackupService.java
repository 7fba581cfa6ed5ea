package io.zoneguard.backup;

import io.zoneguard.aws.BackupStoreLayout;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.ResourceTags;
import io.zoneguard.domain.ServerInfo;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.domain.TableStats;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.inventory.InventoryService;
import io.zoneguard.inventory.PvcStatus;
import io.zoneguard.inventory.StatefulSetStatus;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.DatabaseAdmin;
import io.zoneguard.port.DatabaseDumper;
import io.zoneguard.port.DatabaseDumper.DumpOptions;
import io.zoneguard.port.Events;
import io.zoneguard.port.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one backup set of a StatefulSet: checks the database first (bad credentials fail before
 * anything is written), streams the dump to the object store, snapshots every EBS-backed PVC with
 * findable tags, waits for the snapshots, and writes the manifest last as the commit marker.
 */
public final class BackupService {
  private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);

  private final Events events;
  private final BlockStorage storage;
  private final ObjectStore store;
  private final BackupStoreLayout layout;
  private final DatabaseAdmin admin;
  private final DatabaseDumper dumper;
  private final InventoryService inventory;
  private final Clock clock;
  private final String clusterName;
  private final String version;
  private final int zstdLevel;
  private final java.util.Optional<DrTarget> dr;

  /** Where cross-region copies go: the DR region's block storage, and this region's name. */
  public record DrTarget(String region, BlockStorage storage, String sourceRegion) {}

  public BackupService(
      Events events,
      BlockStorage storage,
      ObjectStore store,
      BackupStoreLayout layout,
      DatabaseAdmin admin,
      DatabaseDumper dumper,
      InventoryService inventory,
      Clock clock,
      String clusterName,
      String version,
      int zstdLevel,
      Optional<DrTarget> dr) {
    this.events = events;
    this.storage = storage;
    this.store = store;
    this.layout = layout;
    this.admin = admin;
    this.dumper = dumper;
    this.inventory = inventory;
    this.clock = clock;
    this.clusterName = clusterName;
    this.version = version;
    this.zstdLevel = zstdLevel;
    this.dr = dr;
  }

  public BackupManifest run(BackupRequest req) {
    Instant start = clock.instant();
    String setId = SetIds.next(start);
    // The volumes are needed only for the snapshots after the dump: read them meanwhile.
    CompletableFuture<StatefulSetStatus> volumes =
        CompletableFuture.supplyAsync(
            () ->
                inventory
                    .status(req.namespace(), Optional.of(req.statefulSet()))
                    .statefulSets()
                    .get(0),
            runnable -> {
              Thread t = new Thread(runnable, "backup-inventory");
              t.setDaemon(true);
              t.start();
            });
    List<String> warnings = new ArrayList<>();

    LOG.info("backup {}: checking the database server", setId);
    ServerInfo server = admin.serverInfo();
    List<String> databases = databasesToDump(req, warnings);
    Map<String, Long> checksums = new LinkedHashMap<>();
    BackupManifest.Binlog binlog;
    if (!server.binlogEnabled()) {
      warnings.add(
          "binary logging is off: no binlog position recorded (point-in-time recovery impossible)");
    }

    LOG.info(
        "backup {} of {}/{}: dumping {} from {}",
        setId,
        req.namespace(),
        req.statefulSet(),
        databases,
        server.version());
    Instant dumpStart = clock.instant();
    failFast(volumes);
    String pod = req.statefulSet() + "-" + req.dumpReplica();
    String key = layout.dumpKey(req.namespace(), req.statefulSet(), setId, pod);
    DumpPipeline.Result dump;
    DatabaseDumper.RunningDump running =
        dumper.start(new DumpOptions(databases, server.binlogPositionOption(), server.mariaDb()));
    String source = running.source();
    try {
      dump = new DumpPipeline(store, zstdLevel).run(running, key, Duration.ofMinutes(5));
    } catch (RuntimeException e) {
      events.record(
          req.namespace(),
          req.statefulSet(),
          true,
          "BackupFailed",
          "backup " + setId + ": " + e.getMessage());
      throw e;
    }
    double dumpSeconds = seconds(dumpStart);
    LOG.info(
        "backup {}: dump uploaded, {} MiB of SQL as {} MiB zstd in {} s",
        setId,
        dump.uncompressedBytes() >> 20,
        dump.object().size() >> 20,
        String.format("%.1f", dumpSeconds));
    if (server.binlogEnabled() && dump.binlogFile() == null && dump.gtid() == null) {
      warnings.add("binary logging is on but the dump recorded no position");
    }
    binlog =
        new BackupManifest.Binlog(
            dump.binlogFile(),
            dump.binlogPosition(),
            dump.gtid(),
            server.binlogEnabled() ? null : "binary logging off");
    if (req.checksums()) {
      for (String db : databases) {
        for (TableStats t : admin.tableStats(db, true)) {
          checksums.put(db + "." + t.table(), t.checksum());
        }
      }
    }

    StatefulSetStatus sts;
    try {
      sts = await(volumes);
    } catch (RuntimeException e) {
      store.delete(key); // no manifest can follow: leave nothing half-written behind
      throw e;
    }
    Instant snapStart = clock.instant();
    List<BackupManifest.Snapshot> snapshots = snapshot(req, sts, setId, warnings);
    double snapSeconds = seconds(snapStart);
    List<BackupManifest.DrCopy> drCopies = copyToDr(req, setId, snapshots, warnings);
    boolean complete =
        snapshots.stream().allMatch(s -> "completed".equals(s.state()))
            && sts.pvcs().stream()
                .filter(PvcStatus::ebs)
                .allMatch(p -> snapshots.stream().anyMatch(s -> s.pvc().equals(p.pvc())));

    BackupManifest manifest =
        new BackupManifest(
            BackupManifest.FORMAT_VERSION,
            version,
            setId,
            clusterName,
            req.namespace(),
            req.statefulSet(),
            start.toString(),
            clock.instant().toString(),
            complete,
            req.consistency().name(),
            new BackupManifest.Server(server.version(), server.mariaDb(), server.binlogEnabled()),
            binlog,
            new BackupManifest.Dump(
                dump.object().key(),
                dump.object().size(),
                dump.object().sha256Hex(),
                dump.uncompressedBytes(),
                "zstd",
                source,
                databases,
                dump.tableRows(),
                checksums),
            snapshots,
            drCopies,
            new BackupManifest.Timings(dumpSeconds, snapSeconds, seconds(start)),
            warnings);
    store.putBytes(
        layout.manifestKey(req.namespace(), req.statefulSet(), setId),
        ManifestCodec.write(manifest),
        "application/json");
    events.record(
        req.namespace(),
        req.statefulSet(),
        !complete,
        complete ? "BackupCompleted" : "BackupIncomplete",
        "backup set "
            + setId
            + ": dump "
            + dump.object().size()
            + " bytes, "
            + snapshots.size()
            + " snapshot(s)"
            + (complete ? "" : ", INCOMPLETE: " + String.join("; ", warnings)));
    LOG.info("backup {}: manifest written, complete={}", setId, complete);
    return manifest;
  }

  /**
   * The databases to dump, checked to exist; warns about tables whose engine a single-transaction
   * dump cannot make consistent. Runs before anything is written, so bad input changes nothing.
   */
  private List<String> databasesToDump(BackupRequest req, List<String> warnings) {
    List<String> onServer = admin.databases();
    List<String> databases = req.databases().isEmpty() ? onServer : req.databases();
    if (databases.isEmpty()) {
      throw ZoneguardException.failed("the database server holds no user databases to dump", null);
    }
    List<String> missing = new ArrayList<>(req.databases());
    missing.removeAll(onServer);
    if (!missing.isEmpty()) {
      throw ZoneguardException.notFound("database(s) not found on the server: " + missing);
    }
    for (String db : databases) {
      for (Map.Entry<String, String> t : admin.tableEngines(db).entrySet()) {
        if (t.getValue() != null && !"InnoDB".equalsIgnoreCase(t.getValue())) {
          warnings.add(
              db
                  + "."
                  + t.getKey()
                  + " uses "
                  + t.getValue()
                  + ": not transactional, so the dump of it is not consistent without a lock");
        }
      }
    }
    return databases;
  }

  /** Before anything is written: a StatefulSet lookup that already failed stops the backup. */
  private static void failFast(CompletableFuture<StatefulSetStatus> volumes) {
    if (volumes.isCompletedExceptionally()) {
      await(volumes);
    }
  }

  private static StatefulSetStatus await(CompletableFuture<StatefulSetStatus> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private List<BackupManifest.Snapshot> snapshot(
      BackupRequest req, StatefulSetStatus sts, String setId, List<String> warnings) {
    List<PvcStatus> ebs = new ArrayList<>();
    for (PvcStatus p : sts.pvcs()) {
      if (!p.ebs()) {
        warnings.add(
            p.pvc()
                + ": "
                + (p.backing() == null ? "no volume" : p.backing())
                + " is not EBS: dump-only protection");
      } else if (p.volumeState() == null) {
        warnings.add(p.pvc() + ": EBS volume " + p.volumeId() + " not found: not snapshotted");
      } else {
        ebs.add(p);
      }
    }
    Map<String, SnapshotRef> started = new LinkedHashMap<>();
    Runnable create =
        () -> {
          for (PvcStatus p : ebs) {
            started.put(
                p.pvc(),
                storage.createSnapshot(
                    p.volumeId(),
                    "zoneguard " + setId + " " + req.namespace() + "/" + p.pvc(),
                    tags(req, setId, p.pvc(), p.ordinal(), p.zone())));
          }
        };
    if (req.consistency() == BackupRequest.Consistency.ftwrl && !ebs.isEmpty()) {
      admin.withGlobalReadLock(create);
    } else {
      create.run();
    }
    Map<String, SnapshotRef> done =
        storage
            .awaitSnapshots(
                started.values().stream().map(SnapshotRef::snapshotId).toList(),
                req.snapshotTimeout())
            .stream()
            .collect(Collectors.toMap(SnapshotRef::snapshotId, Function.identity()));
    List<BackupManifest.Snapshot> out = new ArrayList<>();
    for (PvcStatus p : ebs) {
      SnapshotRef s = started.get(p.pvc());
      SnapshotRef fin = done.getOrDefault(s.snapshotId(), s);
      if (!fin.completed()) {
        warnings.add(p.pvc() + ": snapshot " + s.snapshotId() + " ended " + fin.state());
      } else {
        LOG.info("backup {}: snapshot {} of {} completed", setId, s.snapshotId(), p.pvc());
      }
      out.add(
          new BackupManifest.Snapshot(
              p.pvc(),
              p.ordinal(),
              p.volumeId(),
              p.zone(),
              s.snapshotId(),
              fin.state(),
              p.sizeGiB(),
              p.volumeType(),
              p.iops(),
              p.throughputMiBps(),
              Boolean.TRUE.equals(p.encrypted()),
              fin.kmsKeyId(),
              p.storageClass(),
              p.fsType()));
    }
    return out;
  }

  /**
   * Starts a copy of every completed snapshot in the DR region, tagged like the source. Copies run
   * on AWS's side for as long as they take; the set does not wait for them.
   */
  private List<BackupManifest.DrCopy> copyToDr(
      BackupRequest req,
      String setId,
      List<BackupManifest.Snapshot> snapshots,
      List<String> warnings) {
    if (dr.isEmpty()) {
      return List.of();
    }
    DrTarget target = dr.get();
    List<BackupManifest.DrCopy> out = new ArrayList<>();
    for (BackupManifest.Snapshot s : snapshots) {
      if (!"completed".equals(s.state())) {
        continue;
      }
      try {
        Map<String, String> tags =
            new LinkedHashMap<>(tags(req, setId, s.pvc(), s.ordinal(), s.zone()));
        tags.put("zoneguard.io/source-snapshot", s.snapshotId());
        tags.put("zoneguard.io/source-region", target.sourceRegion());
        String id =
            target
                .storage()
                .copySnapshotFrom(
                    target.sourceRegion(),
                    s.snapshotId(),
                    "zoneguard DR copy of " + s.snapshotId() + " (" + setId + ")",
                    tags);
        out.add(new BackupManifest.DrCopy(s.pvc(), s.snapshotId(), target.region(), id));
        LOG.info("backup {}: copying {} to {} as {}", setId, s.snapshotId(), target.region(), id);
      } catch (ZoneguardException e) {
        // The local set is still good; the DR copy is a second line of defence.
        warnings.add(s.pvc() + ": DR copy to " + target.region() + " failed: " + e.getMessage());
      }
    }
    return out;
  }

  private Map<String, String> tags(
      BackupRequest req, String setId, String pvc, int ordinal, String zone) {
    return ResourceTags.of(clusterName, req.namespace(), req.statefulSet(), pvc)
        .ordinal(ordinal)
        .zone(zone)
        .backupSet(setId);
  }

  private double seconds(Instant since) {
    return Duration.between(since, clock.instant()).toMillis() / 1000.0;
  }
}
