package io.zoneguard.drill;

import io.zoneguard.backup.BackupStore;
import io.zoneguard.backup.RestoreService;
import io.zoneguard.backup.SetPins;
import io.zoneguard.binlog.PointInTimeRestore;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.KubeName;
import io.zoneguard.domain.Poller;
import io.zoneguard.domain.PvShape;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.ResourceTags;
import io.zoneguard.domain.RunIds;
import io.zoneguard.domain.TableStats;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.VolumeSpec;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.failover.Parallel;
import io.zoneguard.failover.Progress;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.BlockStorage.NewVolume;
import io.zoneguard.port.Claims;
import io.zoneguard.port.DatabaseAdmin;
import io.zoneguard.port.DatabaseLoader;
import io.zoneguard.port.Events;
import io.zoneguard.port.MountPods;
import io.zoneguard.port.Namespaces;
import io.zoneguard.port.PersistentVolumes;
import io.zoneguard.port.StatefulSets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Restores a backup set into scratch targets and proves it: every snapshot into a new volume
 * (tagged as drill) with a pre-bound PV/PVC in the scratch namespace {@code zoneguard-drill-<id>},
 * the dump into scratch databases on a scratch server; then checks the dump's SHA-256, volumes
 * available, claims Bound, per-table row counts and checksums against the manifest, and reports RPO
 * and RTO. Production objects are only read. Everything created is removed afterwards (also after a
 * failure) unless the caller keeps it; removal is idempotent and finds objects by the drill id, so
 * {@link #cleanup} can finish it later.
 */
public final class DrillService {
  /**
   * How long cleanup waits for the drill's volumes to detach: a detach takes seconds on AWS; the
   * attach-detach controller gives up on an unconfirmed unmount after 6 minutes.
   */
  static final Duration DETACH_TIMEOUT = Duration.ofMinutes(2);

  private final StatefulSets statefulSets;
  private final Namespaces namespaces;
  private final Claims claims;
  private final PersistentVolumes persistentVolumes;
  private final Events events;
  private final MountPods mounts;
  private final BlockStorage storage;
  private final BackupStore backups;
  private final SetPins pins;
  private final RestoreService restore;
  private final PointInTimeRestore pointInTime;
  private final String clusterName;
  private final Clock clock;
  // the drill waits for claims to bind and mount pods to run: 250 ms keeps RTO measured tightly
  private final Poller poller;

  public DrillService(
      StatefulSets statefulSets,
      Namespaces namespaces,
      Claims claims,
      PersistentVolumes persistentVolumes,
      Events events,
      MountPods mounts,
      BlockStorage storage,
      BackupStore backups,
      RestoreService restore,
      PointInTimeRestore pointInTime,
      String clusterName,
      Clock clock) {
    this.statefulSets = statefulSets;
    this.pins = new SetPins(statefulSets);
    this.namespaces = namespaces;
    this.claims = claims;
    this.persistentVolumes = persistentVolumes;
    this.events = events;
    this.mounts = mounts;
    this.storage = storage;
    this.backups = backups;
    this.restore = restore;
    this.pointInTime = pointInTime;
    this.clusterName = clusterName;
    this.clock = clock;
    this.poller = new Poller(clock, Duration.ofMillis(250));
  }

  /** Where the dump goes: a loader into the scratch server and an admin to verify and clean. */
  public record Scratch(DatabaseLoader loader, DatabaseAdmin admin) {}

  public DrillReport run(DrillRequest req, Scratch scratch, Progress progress) {
    statefulSets
        .get(req.namespace(), req.statefulSet())
        .orElseThrow(
            () -> ZoneguardException.statefulSetNotFound(req.namespace(), req.statefulSet()));
    // the RTO counts from here: fetching the binlog files is part of a restore to a point in time
    Instant start = clock.instant();
    // a replay's chain is proven (and downloaded) before anything is created: a gap refuses the
    // drill with nothing restored
    DrillReplay replayer = req.replayTo() == null ? null : DrillReplay.prepare(pointInTime, req);
    try {
      return run(req, scratch, progress, replayer, start);
    } finally {
      if (replayer != null) {
        replayer.close();
      }
    }
  }

  private DrillReport run(
      DrillRequest req, Scratch scratch, Progress progress, DrillReplay replayer, Instant start) {
    BackupManifest m = complete(replayer == null ? manifest(req) : replayer.set());
    int steps = replayer == null ? 4 : 5;
    String id = RunIds.next(RunIds.Kind.DRILL, start);
    String suffix = suffix(id);
    // retention must not delete the set while the drill reads its snapshots and dump
    pins.pin(req.namespace(), req.statefulSet(), id, List.of(m.setId()));
    String scratchNs = Keys.DRILL_NAMESPACE_PREFIX + id;
    List<String> failures = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<DrillReport.VolumeCheck> volumes = new ArrayList<>();
    List<DrillReport.TableCheck> tables = new ArrayList<>();
    DrillReport.DumpCheck dump = null;
    DrillReport.ReplayCheck replay = null;
    Double rto = null;
    List<String> cleaned = List.of();
    try {
      progress.step(1, steps, "volumes", "restore " + m.snapshots().size() + " snapshot(s)", false);
      namespaces.create(
          scratchNs, Map.of(Keys.TAG_DRILL_ID, id, "zoneguard.io/drill-of", req.statefulSet()));
      volumes.addAll(
          mount(
              req,
              scratchNs,
              restoreVolumes(req, m, id, scratchNs, start, progress, failures),
              progress,
              failures));
      progress.step(2, steps, "dump", "verify the dump's SHA-256 and load it", false);
      Map<String, String> renames = new LinkedHashMap<>();
      m.dump().databases().forEach(d -> renames.put(d, d + Keys.DRILL_DATABASE_MARKER + suffix));
      RestoreService.Result r = restore.restore(m, scratch.loader(), renames);
      dump =
          new DrillReport.DumpCheck(
              r.dumpKey(), true, r.sqlBytes(), r.loadSeconds(), Map.copyOf(renames));
      progress.detail(
          "dump " + r.dumpKey() + ": SHA-256 verified, loaded into " + renames.values());
      progress.step(3, steps, "verify", "row counts and checksums against the manifest", false);
      tables.addAll(verify(m, renames, scratch.admin(), req.strictChecksums(), failures, warnings));
      progress.detail(tables.size() + " table(s) checked");
      if (replayer != null) {
        progress.step(4, steps, "replay", replayer.describe(), false);
        replay = replayer.run(scratch.loader(), renames, clock);
        progress.detail(
            "executed through sequence "
                + replay.executedSeq()
                + "; the archive's last transaction before "
                + replay.target()
                + ": "
                + (replay.expectedGtid() == null ? "none after the set" : replay.expectedGtid()));
        if (!replay.reached()) {
          failures.add(DrillReplay.shortfall(replay));
        }
      }
      rto = seconds(start, clock.instant());
    } catch (RuntimeException e) {
      failures.add(Text.firstLine(e.getMessage()));
    } finally {
      if (!req.keep()) {
        progress.step(steps, steps, "cleanup", "remove everything this drill created", false);
        try {
          cleaned = cleanup(id, Optional.of(scratch.admin()));
        } catch (RuntimeException e) {
          failures.add(
              "cleanup incomplete ("
                  + Text.firstLine(e.getMessage())
                  + "): run 'zoneguard drill cleanup --id "
                  + id
                  + "'");
        }
      } else {
        progress.step(steps, steps, "cleanup", "skipped: kept for inspection (--keep)", false);
        progress.detail("remove it later with 'zoneguard drill cleanup --id " + id + "'");
      }
      try {
        pins.unpin(req.namespace(), req.statefulSet(), id);
      } catch (RuntimeException e) {
        warnings.add(
            "set "
                + m.setId()
                + " stays pinned in "
                + Keys.IN_USE_SETS_ANNOTATION
                + " ("
                + Text.firstLine(e.getMessage())
                + "): remove the entry ending in @"
                + id
                + " from that annotation");
      }
    }
    DrillReport report =
        new DrillReport(
            id,
            req.namespace(),
            req.statefulSet(),
            m.setId(),
            m.createdAt(),
            scratchNs,
            start.toString(),
            clock.instant().toString(),
            (replayer == null
                    ? Optional.<Long>empty()
                    : replayer.rpoSeconds(req.replayTo().isLatest(), start))
                .orElse(Duration.between(Instant.parse(m.createdAt()), start).toSeconds()),
            failures.isEmpty() ? rto : null,
            failures.isEmpty(),
            volumes,
            dump,
            tables,
            replay,
            failures,
            warnings,
            req.keep(),
            cleaned);
    events.record(
        req.namespace(),
        req.statefulSet(),
        !report.passed(),
        report.passed() ? "DrillPassed" : "DrillFailed",
        id
            + " of set "
            + m.setId()
            + (report.passed()
                ? ": restored and verified"
                    + (replay == null ? "" : ", binlogs replayed to " + replay.target())
                    + ", RPO "
                    + Text.age(report.rpoSeconds())
                    + ", RTO "
                    + Math.round(rto)
                    + "s"
                : ": " + String.join("; ", failures)));
    return report;
  }

  /**
   * Removes everything drill {@code id} created: claims, PVs, volumes (only tagged with this drill
   * id), its namespace and, when an admin is given, its scratch databases. Idempotent; returns what
   * it removed.
   */
  public List<String> cleanup(String id, Optional<DatabaseAdmin> admin) {
    if (!RunIds.valid(RunIds.Kind.DRILL, id)) {
      throw ZoneguardException.usage("'" + id + "' is not a drill id (dr-YYYYMMDD-HHMMSS-xxxx)");
    }
    List<String> removed = new ArrayList<>();
    String ns = Keys.DRILL_NAMESPACE_PREFIX + id;
    // mount pods first: a claim stays Terminating while a pod uses it (pvc-protection)
    for (String pod : mounts.list(ns)) {
      mounts.delete(ns, pod);
      removed.add("pod " + ns + "/" + pod);
    }
    for (PvcFacts c : claims.list(ns)) {
      // a Terminating claim was deleted by an earlier cleanup: Kubernetes' pvc-protection lets
      // it go once no pod uses it (zoneguard never lifts that finalizer)
      if (!c.terminating()
          && claims.delete(ns, c.ref().name(), c.uid()) == Claims.Deletion.ACCEPTED) {
        removed.add("pvc " + ns + "/" + c.ref().name());
      }
    }
    for (String pv : persistentVolumes.namesLabelled(Keys.TAG_DRILL_ID, id)) {
      persistentVolumes.deleteDrillPv(pv);
      removed.add("pv " + pv);
    }
    List<VolumeSpec> volumes = storage.findVolumes(Map.of(Keys.TAG_DRILL_ID, id));
    awaitDetached(volumes);
    for (VolumeSpec v : volumes) {
      if (!"deleting".equals(v.state()) && !"deleted".equals(v.state())) {
        storage.deleteDrillVolume(v.volumeId());
        removed.add("volume " + v.volumeId());
      }
    }
    if (namespaces.exists(ns)) {
      namespaces.deleteDrillNamespace(ns);
      removed.add("namespace " + ns);
    }
    admin.ifPresent(
        a -> {
          for (String db : a.drillDatabases(suffix(id))) {
            a.dropDrillDatabase(db);
            removed.add("database " + db);
          }
        });
    return removed;
  }

  /**
   * A volume a mount pod used stays attached until the attach-detach controller detaches it, some
   * seconds after the pod is gone; EC2 refuses to delete it until then (VolumeInUse). Wait for that
   * rather than fail the cleanup; a volume still attached after {@link #DETACH_TIMEOUT} (its node
   * unreachable, say) makes the delete below fail with EC2's reason.
   */
  private void awaitDetached(List<VolumeSpec> volumes) {
    List<String> inUse =
        volumes.stream().filter(v -> "in-use".equals(v.state())).map(VolumeSpec::volumeId).toList();
    if (!inUse.isEmpty()) {
      storage.awaitVolumes(inUse, DETACH_TIMEOUT);
    }
  }

  private BackupManifest manifest(DrillRequest req) {
    return backups.chosen(req.namespace(), req.statefulSet(), req.setId());
  }

  private static BackupManifest complete(BackupManifest m) {
    if (!m.complete()) {
      throw ZoneguardException.unsafe(
          "set " + m.setId() + " is incomplete: a drill of it proves nothing; pick a complete set");
    }
    return m;
  }

  private List<DrillReport.VolumeCheck> restoreVolumes(
      DrillRequest req,
      BackupManifest m,
      String id,
      String scratchNs,
      Instant start,
      Progress progress,
      List<String> failures) {
    List<String> available =
        storage.zones().stream().filter(ZoneState::available).map(z -> z.zone().name()).toList();
    if (available.isEmpty()) {
      throw ZoneguardException.failed("EC2 reports no available zone in this region", null);
    }
    Map<String, String> volumeOf = new ConcurrentHashMap<>();
    Map<String, PlannedVolume> planned = new ConcurrentHashMap<>();
    Map<String, String> zoneOf = new ConcurrentHashMap<>();
    List<BackupManifest.Snapshot> snaps = m.snapshots();
    // the drill restores as the failover would (same flags): FSR where enabled, else the rate
    Map<String, java.util.Set<String>> fsr =
        req.hydration().fastRestore()
            ? storage.fastRestoreZones(
                snaps.stream().map(BackupManifest.Snapshot::snapshotId).toList())
            : Map.of();
    Parallel.map(
        snaps,
        16,
        s -> {
          String zone = available.contains(s.zone()) ? s.zone() : available.get(0);
          Map<String, String> tags =
              ResourceTags.of(clusterName, req.namespace(), req.statefulSet(), s.pvc())
                  .zone(zone)
                  .drill(id);
          PlannedVolume pv = planned(s, zone, m.setId());
          VolumeSpec v =
              storage.createVolume(
                  NewVolume.restoring(pv, s.snapshotId(), tags)
                      .withInitializationRate(
                          req.hydration()
                              .rateFor(
                                  io.zoneguard.domain.Hydration.enabledIn(
                                      fsr, s.snapshotId(), zone))));
          planned.put(s.pvc(), pv);
          volumeOf.put(s.pvc(), v.volumeId());
          zoneOf.put(s.pvc(), zone);
          progress.detail(
              s.pvc() + ": " + v.volumeId() + " in " + zone + " from " + s.snapshotId());
          return null;
        });
    Map<String, String> states = new HashMap<>();
    for (VolumeSpec v : storage.awaitVolumes(volumeOf.values(), req.volumeTimeout())) {
      states.put(v.volumeId(), v.state());
    }
    Map<String, Double> volumeReady = new HashMap<>();
    for (BackupManifest.Snapshot s : snaps) {
      String vol = volumeOf.get(s.pvc());
      if (!"available".equals(states.get(vol))) {
        failures.add(s.pvc() + ": volume " + vol + " is " + states.get(vol) + ", not available");
        continue;
      }
      PlannedVolume pv = planned.get(s.pvc());
      if (!persistentVolumes.create(scratchNs, id, pv, vol, PvShape.filesystem(pv.fsType()))) {
        // a PV of this drill's name over another volume is refused (unsafe), as in failover
        persistentVolumes
            .get(FailoverRecord.pvName(id, pv.pvc()))
            .ifPresent(existing -> existing.requireOver(vol));
      }
      claims.create(scratchNs, id, pv, PvShape.FILESYSTEM);
      volumeReady.put(s.pvc(), seconds(start, clock.instant()));
    }
    // claims: pre-bound, so the binder binds them at once (no pod needed)
    Map<String, String> phase = new HashMap<>();
    Map<String, Double> bound = new HashMap<>();
    poller.until(
        req.bindTimeout(),
        () -> {
          for (PvcFacts c : claims.list(scratchNs)) {
            phase.put(c.ref().name(), c.phase());
            if ("Bound".equals(c.phase())) {
              bound.putIfAbsent(c.ref().name(), seconds(start, clock.instant()));
            }
          }
          return bound.size() >= volumeReady.size();
        });
    List<DrillReport.VolumeCheck> out = new ArrayList<>();
    for (BackupManifest.Snapshot s : snaps) {
      String p = phase.get(s.pvc());
      if (volumeReady.containsKey(s.pvc()) && !bound.containsKey(s.pvc())) {
        failures.add(
            s.pvc()
                + ": claim in "
                + scratchNs
                + " is "
                + p
                + ", not Bound within "
                + req.bindTimeout().toSeconds()
                + "s");
      }
      out.add(
          new DrillReport.VolumeCheck(
              s.pvc(),
              s.snapshotId(),
              volumeOf.get(s.pvc()),
              zoneOf.get(s.pvc()),
              states.get(volumeOf.get(s.pvc())),
              p,
              bound.get(s.pvc()),
              null));
      progress.detail(s.pvc() + ": claim " + p);
    }
    return out;
  }

  /**
   * Mounts every Bound claim in a pod {@code zg-mount-<pvc>} and waits until each is Running: a
   * Bound claim proves only that the API objects match, a Running pod that the volume attaches in
   * its zone and its filesystem mounts. The pods are deleted afterwards (a failed one is kept with
   * --keep, for {@code kubectl describe}).
   */
  private List<DrillReport.VolumeCheck> mount(
      DrillRequest req,
      String scratchNs,
      List<DrillReport.VolumeCheck> volumes,
      Progress progress,
      List<String> failures) {
    Map<String, String> podOf = new LinkedHashMap<>();
    for (DrillReport.VolumeCheck v : volumes) {
      if ("Bound".equals(v.claimPhase())) {
        String pod = mountPodName(v.pvc());
        mounts.start(scratchNs, pod, v.pvc(), req.mountImage(), req.mountTimeout().plusMinutes(5));
        podOf.put(v.pvc(), pod);
      }
    }
    Map<String, String> phase = new HashMap<>();
    poller.until(
        req.mountTimeout(),
        () -> {
          boolean settled = true;
          for (Map.Entry<String, String> e : podOf.entrySet()) {
            String p = mounts.phase(scratchNs, e.getValue()).orElse("gone");
            phase.put(e.getKey(), p);
            settled &= !"Pending".equals(p);
          }
          return settled;
        });
    List<DrillReport.VolumeCheck> out = new ArrayList<>();
    for (DrillReport.VolumeCheck v : volumes) {
      String pod = podOf.get(v.pvc());
      String p = pod == null ? "-" : phase.get(v.pvc());
      boolean running = "Running".equals(p);
      if (pod != null && !running) {
        failures.add(
            v.pvc()
                + ": mount pod "
                + scratchNs
                + "/"
                + pod
                + " is "
                + p
                + ", not Running within "
                + req.mountTimeout().toSeconds()
                + "s (the volume did not attach or mount; see its events)");
      }
      if (pod != null && (running || !req.keep())) {
        mounts.delete(scratchNs, pod);
      }
      if (pod != null) {
        progress.detail(v.pvc() + ": mounted by " + pod + ": " + p);
      }
      out.add(v.withMount(p));
    }
    return out;
  }

  /** {@code zg-mount-<pvc>}, shortened with a hash to the 253 characters a name may have. */
  static String mountPodName(String pvc) {
    return KubeName.subdomain("zg-mount-" + pvc);
  }

  /** The restore of one snapshot as a move into {@code zone} (what PvFactory builds from). */
  private static PlannedVolume planned(BackupManifest.Snapshot s, String zone, String setId) {
    return new PlannedVolume(
        s.pvc(),
        s.ordinal(),
        s.volumeId(),
        s.zone(),
        null,
        s.snapshotId(),
        null,
        0,
        zone,
        s.sizeGiB(),
        s.volumeType(),
        s.iops(),
        s.throughputMiBps(),
        s.encrypted(),
        s.kmsKeyId(),
        s.storageClass(),
        s.fsType(),
        List.of("ReadWriteOnce"),
        setId);
  }

  static List<DrillReport.TableCheck> verify(
      BackupManifest m,
      Map<String, String> renames,
      DatabaseAdmin admin,
      boolean strictChecksums,
      List<String> failures,
      List<String> warnings) {
    List<DrillReport.TableCheck> out = new ArrayList<>();
    boolean checksums = !m.dump().tableChecksums().isEmpty();
    for (String db : m.dump().databases()) {
      Map<String, TableStats> found = new HashMap<>();
      admin.tableStats(renames.get(db), checksums).forEach(t -> found.put(t.table(), t));
      for (Map.Entry<String, Long> e : m.dump().tableRows().entrySet()) {
        if (!e.getKey().startsWith(db + ".")) {
          continue;
        }
        String table = e.getKey().substring(db.length() + 1);
        TableStats t = found.get(table);
        Long expectedSum = m.dump().tableChecksums().get(e.getKey());
        String status;
        if (t == null) {
          status = "MISSING";
          failures.add(e.getKey() + ": missing after restore");
        } else if (t.rows() != e.getValue()) {
          status = "ROWS DIFFER";
          failures.add(
              e.getKey() + ": " + t.rows() + " rows restored, manifest says " + e.getValue());
        } else if (expectedSum != null && !expectedSum.equals(t.checksum())) {
          status = "CHECKSUM DIFFERS";
          String msg =
              e.getKey()
                  + ": CHECKSUM TABLE "
                  + t.checksum()
                  + " vs manifest "
                  + expectedSum
                  + " (the manifest's checksum is taken while the dump runs; writes since the"
                  + " dump began explain a drift)";
          (strictChecksums ? failures : warnings).add(msg);
        } else {
          status = "ok";
        }
        out.add(
            new DrillReport.TableCheck(
                e.getKey(),
                e.getValue(),
                t == null ? null : t.rows(),
                expectedSum,
                t == null ? null : t.checksum(),
                status));
      }
    }
    return out;
  }

  private static String suffix(String id) {
    return id.substring(3).replace("-", "");
  }

  private static double seconds(Instant a, Instant b) {
    return Duration.between(a, b).toMillis() / 1000.0;
  }
}
