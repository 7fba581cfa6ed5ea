package io.zoneguard.backup;

import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.ResourceTags;
import io.zoneguard.domain.ServerInfo;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.inventory.InventoryService;
import io.zoneguard.inventory.PvcStatus;
import io.zoneguard.inventory.StatefulSetStatus;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.DatabaseAdmin;
import io.zoneguard.port.DatabaseDumper;
import io.zoneguard.port.DatabaseDumper.DumpOptions;
import io.zoneguard.port.Events;
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
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one backup set of a StatefulSet in named phases: check (bad credentials or databases fail
 * before anything is written), dump (streamed into the set; the tables' checksums meanwhile),
 * snapshot (every EBS-backed PVC, with findable tags, waited for), DR copy (started, not waited
 * for), commit (the manifest, last).
 */
public final class BackupService {
  private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);

  private final Events events;
  private final BlockStorage storage;
  private final BackupStore sets;
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
      BackupStore sets,
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
    this.sets = sets;
    this.admin = admin;
    this.dumper = dumper;
    this.inventory = inventory;
    this.clock = clock;
    this.clusterName = clusterName;
    this.version = version;
    this.zstdLevel = zstdLevel;
    this.dr = dr;
  }

  /** One backup run's identity and the warnings its phases collect for the manifest. */
  private record Run(BackupRequest req, String setId, Instant start, List<String> warnings) {
    String namespace() {
      return req.namespace();
    }

    String statefulSet() {
      return req.statefulSet();
    }
  }

  /** What the check phase found: the server and the databases to dump. */
  private record Checked(ServerInfo server, List<String> databases) {}

  /** What the dump phase stored. */
  private record Dumped(
      BackupStore.DumpLocation at,
      DumpPipeline.Result result,
      String source,
      double seconds,
      BackupManifest.Binlog binlog,
      Map<String, Long> checksums) {}

  /** What the snapshot phase made, and whether every EBS-backed claim got a completed one. */
  private record Snapped(List<BackupManifest.Snapshot> snapshots, double seconds, boolean all) {}

  /**
   * check → dump → snapshot → DR copy → commit. Nothing is written before the check passed; the
   * manifest, written last, is the commit marker (a set without one is incomplete).
   */
  public BackupManifest run(BackupRequest req) {
    Instant start = clock.instant();
    Run run = new Run(req, SetIds.next(start), start, new ArrayList<>());
    // The volumes are needed only for the snapshots after the dump: read them meanwhile.
    CompletableFuture<StatefulSetStatus> volumes = readVolumes(req);
    Checked checked = check(run);
    failFast(volumes);
    Dumped dumped = dump(run, checked);
    StatefulSetStatus sts;
    try {
      sts = await(volumes);
    } catch (RuntimeException e) {
      sets.discardDump(dumped.at()); // no manifest can follow: leave nothing half-written behind
      throw e;
    }
    Snapped snapped = snapshot(run, sts);
    List<BackupManifest.DrCopy> drCopies = copyToDr(run, snapped.snapshots());
    return commit(run, checked, dumped, snapped, drCopies);
  }

  private CompletableFuture<StatefulSetStatus> readVolumes(BackupRequest req) {
    return async(
        "backup-inventory",
        () ->
            inventory
                .status(req.namespace(), Optional.of(req.statefulSet()))
                .statefulSets()
                .get(0));
  }

  /** Runs {@code work} on a daemon thread of its own (one per backup phase that overlaps). */
  private static <T> CompletableFuture<T> async(String name, Supplier<T> work) {
    return CompletableFuture.supplyAsync(
        work,
        runnable -> {
          Thread t = new Thread(runnable, name);
          t.setDaemon(true);
          t.start();
        });
  }

  /** Bad credentials, unknown databases and binary logging are found before anything is written. */
  private Checked check(Run run) {
    LOG.info("backup {}: checking the database server", run.setId());
    ServerInfo server = admin.serverInfo();
    List<String> databases = databasesToDump(run.req(), run.warnings());
    if (!server.binlogEnabled()) {
      run.warnings()
          .add(
              "binary logging is off: no binlog position recorded (point-in-time recovery"
                  + " impossible)");
    }
    return new Checked(server, databases);
  }

  /** mysqldump → zstd → the set's dump object, then the tables' checksums. */
  private Dumped dump(Run run, Checked checked) {
    BackupRequest req = run.req();
    ServerInfo server = checked.server();
    LOG.info(
        "backup {} of {}/{}: dumping {} from {}",
        run.setId(),
        run.namespace(),
        run.statefulSet(),
        checked.databases(),
        server.version());
    Instant dumpStart = clock.instant();
    BackupStore.DumpLocation at =
        new BackupStore.DumpLocation(
            run.namespace(),
            run.statefulSet(),
            run.setId(),
            req.statefulSet() + "-" + req.dumpReplica());
    DatabaseDumper.RunningDump running =
        dumper.start(
            new DumpOptions(checked.databases(), server.binlogPositionOption(), server.mariaDb()));
    Checksums checksums = new Checksums(req.checksums() ? checked.databases() : List.of());
    DumpPipeline.Result dump;
    try {
      dump =
          new DumpPipeline(in -> sets.putDump(at, in), zstdLevel, checksums::start)
              .run(running, Duration.ofMinutes(5));
    } catch (RuntimeException e) {
      checksums.abandon();
      events.record(
          run.namespace(),
          run.statefulSet(),
          true,
          "BackupFailed",
          "backup " + run.setId() + ": " + e.getMessage());
      throw e;
    }
    double dumpSeconds = seconds(dumpStart);
    LOG.info(
        "backup {}: dump uploaded, {} MiB of SQL as {} MiB zstd in {} s",
        run.setId(),
        dump.uncompressedBytes() >> 20,
        dump.object().size() >> 20,
        String.format("%.1f", dumpSeconds));
    if (server.binlogEnabled() && dump.binlogFile() == null && dump.gtid() == null) {
      run.warnings().add("binary logging is on but the dump recorded no position");
    }
    BackupManifest.Binlog binlog =
        new BackupManifest.Binlog(
            dump.binlogFile(),
            dump.binlogPosition(),
            dump.gtid(),
            server.binlogEnabled() ? null : "binary logging off");
    return new Dumped(at, dump, running.source(), dumpSeconds, binlog, checksums.await());
  }

  /**
   * CHECKSUM TABLE of every table of the dumped databases (keyed {@code db.table}), on a connection
   * of its own while the dump streams: its scan overlaps the dump instead of following the upload,
   * and is taken nearer the dump's snapshot. It starts only once the dump shows its first database:
   * mysqldump has then released the global read lock it may take at its start (MySQL with
   * --source-data), which waits for a running scan while every write waits for the lock.
   */
  private final class Checksums {
    private final List<String> databases;
    private CompletableFuture<Map<String, Long>> scan;

    Checksums(List<String> databases) {
      this.databases = databases;
    }

    synchronized void start() {
      if (scan == null) {
        scan =
            databases.isEmpty()
                ? CompletableFuture.completedFuture(Map.of())
                : async("backup-checksums", this::checksums);
      }
    }

    /** The checksums; started now if the dump never showed a database. */
    Map<String, Long> await() {
      start();
      return BackupService.await(running());
    }

    /** After a failed dump: starts no scan, and waits for a running one (none outlives its run). */
    void abandon() {
      synchronized (this) {
        if (scan == null) {
          scan = CompletableFuture.completedFuture(Map.of());
        }
      }
      running().exceptionally(x -> Map.of()).join();
    }

    private synchronized CompletableFuture<Map<String, Long>> running() {
      return scan;
    }

    private Map<String, Long> checksums() {
      Map<String, Long> out = new LinkedHashMap<>();
      for (String db : databases) {
        admin.tableChecksums(db).forEach((table, sum) -> out.put(db + "." + table, sum));
      }
      return out;
    }
  }

  /** Writes the manifest (the commit marker) and records the outcome as an Event. */
  private BackupManifest commit(
      Run run,
      Checked checked,
      Dumped dumped,
      Snapped snapped,
      List<BackupManifest.DrCopy> drCopies) {
    List<BackupManifest.Snapshot> snapshots = snapped.snapshots();
    boolean complete =
        snapped.all() && snapshots.stream().allMatch(s -> "completed".equals(s.state()));
    ServerInfo server = checked.server();
    DumpPipeline.Result dump = dumped.result();
    BackupManifest manifest =
        new BackupManifest(
            BackupManifest.FORMAT_VERSION,
            version,
            run.setId(),
            clusterName,
            run.namespace(),
            run.statefulSet(),
            run.start().toString(),
            clock.instant().toString(),
            complete,
            run.req().consistency().name(),
            new BackupManifest.Server(server.version(), server.mariaDb(), server.binlogEnabled()),
            dumped.binlog(),
            new BackupManifest.Dump(
                dump.object().key(),
                dump.object().size(),
                dump.object().sha256Hex(),
                dump.uncompressedBytes(),
                "zstd",
                dumped.source(),
                checked.databases(),
                dump.tableRows(),
                dumped.checksums()),
            snapshots,
            drCopies,
            new BackupManifest.Timings(dumped.seconds(), snapped.seconds(), seconds(run.start())),
            run.warnings());
    sets.commit(manifest);
    events.record(
        run.namespace(),
        run.statefulSet(),
        !complete,
        complete ? "BackupCompleted" : "BackupIncomplete",
        "backup set "
            + run.setId()
            + ": dump "
            + dump.object().size()
            + " bytes, "
            + snapshots.size()
            + " snapshot(s)"
            + (complete ? "" : ", INCOMPLETE: " + String.join("; ", run.warnings())));
    LOG.info("backup {}: manifest written, complete={}", run.setId(), complete);
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

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /**
   * Snapshots every EBS-backed claim (under a global read lock with {@code --consistency ftwrl})
   * and waits for the snapshots to complete.
   */
  private Snapped snapshot(Run run, StatefulSetStatus sts) {
    Instant snapStart = clock.instant();
    BackupRequest req = run.req();
    String setId = run.setId();
    List<String> warnings = run.warnings();
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
    boolean all =
        sts.pvcs().stream()
            .filter(PvcStatus::ebs)
            .allMatch(p -> out.stream().anyMatch(s -> s.pvc().equals(p.pvc())));
    return new Snapped(out, seconds(snapStart), all);
  }

  /**
   * Starts a copy of every completed snapshot in the DR region, tagged like the source. Copies run
   * on AWS's side for as long as they take; the set does not wait for them.
   */
  private List<BackupManifest.DrCopy> copyToDr(Run run, List<BackupManifest.Snapshot> snapshots) {
    BackupRequest req = run.req();
    String setId = run.setId();
    List<String> warnings = run.warnings();
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
