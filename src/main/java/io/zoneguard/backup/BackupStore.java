package io.zoneguard.backup;

import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.ObjectStore;
import io.zoneguard.port.ObjectStore.ObjectInfo;
import io.zoneguard.port.ObjectStore.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The backup sets of every StatefulSet in the bucket, as Velero's {@code BackupStore} is for its
 * backups: the one owner of the key layout ({@link BackupStoreLayout}), the manifest codec, and of
 * listing, reading, writing and deleting sets. Services never build a key or parse a manifest
 * themselves; the bucket itself is the {@link ObjectStore} port.
 *
 * <p>A set is committed by its manifest, written last: a set without one is incomplete (a backup
 * still running, or one that died), and retention deletes the manifest first, so a half-deleted set
 * is never mistaken for a complete one.
 */
public final class BackupStore {
  private final ObjectStore store;
  private final BackupStoreLayout layout;
  private final Clock clock;

  public BackupStore(ObjectStore store, String prefix, String cluster, Clock clock) {
    this.store = store;
    this.layout = new BackupStoreLayout(prefix, cluster);
    this.clock = clock;
  }

  /** Where set {@code setId} keeps its dump of replica {@code pod}. */
  public record DumpLocation(String namespace, String statefulSet, String setId, String pod) {}

  /**
   * Streams a dump into its set until end of stream (multipart, bounded memory); either the whole
   * object becomes visible or nothing does.
   */
  public StoredObject putDump(DumpLocation at, InputStream data) {
    return store.put(layout.dumpKey(at.namespace(), at.statefulSet(), at.setId(), at.pod()), data);
  }

  /** Removes a dump whose set can no longer be committed, so nothing half-written stays. */
  public void discardDump(DumpLocation at) {
    store.delete(layout.dumpKey(at.namespace(), at.statefulSet(), at.setId(), at.pod()));
  }

  /** Writes the manifest: from now on the set exists for list, restore, failover and drills. */
  public void commit(BackupManifest m) {
    store.putBytes(
        layout.manifestKey(m.namespace(), m.statefulSet(), m.setId()),
        ManifestCodec.write(m),
        "application/json");
  }

  /** Opens the dump a manifest lists; the caller closes it. */
  public InputStream openDump(BackupManifest m) {
    return store
        .get(m.dump().key())
        .orElseThrow(
            () ->
                ZoneguardException.notFound(
                    "dump object "
                        + m.dump().key()
                        + " is missing although the manifest lists it"));
  }

  /**
   * The objects of a set, manifest first — the order in which {@link #deleteSet} removes them, so a
   * prune that dies half-way leaves an incomplete set, never a complete-looking one.
   */
  public List<String> objectsOf(String namespace, String statefulSet, String setId) {
    String manifestKey = layout.manifestKey(namespace, statefulSet, setId);
    return store.list(layout.setPrefix(namespace, statefulSet, setId)).stream()
        .map(ObjectInfo::key)
        .sorted((a, b) -> a.equals(manifestKey) ? -1 : b.equals(manifestKey) ? 1 : a.compareTo(b))
        .toList();
  }

  /** Deletes a set's objects (retention only); returns their keys. */
  public List<String> deleteSet(String namespace, String statefulSet, String setId) {
    List<String> objects = objectsOf(namespace, statefulSet, setId);
    objects.forEach(store::delete);
    return objects;
  }

  /**
   * Archives one segment of a binary log: its bytes, then its index (SHA-256, first/last event time
   * and GTID). The index is written last, so a crash between the two leaves data no listing counts,
   * and the archiver, resuming from the listing, writes the range again.
   */
  public StoredObject putBinlogSegment(
      String namespace, String statefulSet, BinlogSegment segment, byte[] data) {
    StoredObject stored =
        store.putBytes(
            layout.binlogDataKey(namespace, statefulSet, segment.range()),
            data,
            "application/octet-stream");
    store.putBytes(
        layout.binlogIndexKey(namespace, statefulSet, segment.range()),
        BinlogIndexCodec.write(segment),
        "application/json");
    return stored;
  }

  /** The archived segments of one server's binary logs, in file and offset order (keys only). */
  public List<BinlogSegment.Range> binlogRanges(
      String namespace, String statefulSet, long serverId) {
    return binlogRanges(namespace, statefulSet).stream()
        .filter(r -> r.serverId() == serverId)
        .toList();
  }

  /**
   * Every archived segment of the StatefulSet's servers with its index (one read per segment), by
   * server id, in file and offset order: what a point-in-time restore checks its chain against.
   */
  public Map<Long, List<BinlogSegment>> binlogSegments(String namespace, String statefulSet) {
    Map<Long, List<BinlogSegment>> out = new TreeMap<>();
    for (BinlogSegment.Range r : binlogRanges(namespace, statefulSet)) {
      out.computeIfAbsent(r.serverId(), k -> new ArrayList<>())
          .add(binlogSegment(namespace, statefulSet, r));
    }
    return out;
  }

  /** Every server's archived segments of one StatefulSet, by server, file and offset. */
  private List<BinlogSegment.Range> binlogRanges(String namespace, String statefulSet) {
    List<BinlogSegment.Range> out = new ArrayList<>();
    for (ObjectInfo o : store.list(layout.binlogStatefulSetPrefix(namespace, statefulSet))) {
      BinlogSegment.Range r = layout.binlogRangeOf(namespace, statefulSet, o.key());
      if (r != null) {
        out.add(r);
      }
    }
    out.sort(
        Comparator.comparingLong(BinlogSegment.Range::serverId)
            .thenComparing(BinlogSegment.Range::file)
            .thenComparingLong(BinlogSegment.Range::from));
    return out;
  }

  /** What one server's binlog archive spans: its first and newest events, files and bytes. */
  public record BinlogWindow(
      long serverId,
      String firstEventTime,
      String lastEventTime,
      String lastGtid,
      int files,
      long bytes) {}

  /**
   * The archive of the StatefulSet's server with the newest archived event (two index reads per
   * server): how far back and up to when its data can be brought (with the sets).
   */
  public Optional<BinlogWindow> binlogWindow(String namespace, String statefulSet) {
    Map<Long, List<BinlogSegment.Range>> byServer = new TreeMap<>();
    for (BinlogSegment.Range r : binlogRanges(namespace, statefulSet)) {
      byServer.computeIfAbsent(r.serverId(), k -> new ArrayList<>()).add(r);
    }
    BinlogWindow best = null;
    for (Map.Entry<Long, List<BinlogSegment.Range>> e : byServer.entrySet()) {
      List<BinlogSegment.Range> rs = e.getValue();
      BinlogSegment first = binlogSegment(namespace, statefulSet, rs.get(0));
      BinlogSegment last = binlogSegment(namespace, statefulSet, rs.get(rs.size() - 1));
      if (last.lastEventTime() == null) {
        continue;
      }
      BinlogWindow w =
          new BinlogWindow(
              e.getKey(),
              first.firstEventTime(),
              last.lastEventTime(),
              newestGtid(namespace, statefulSet, rs, last),
              (int) rs.stream().map(BinlogSegment.Range::file).distinct().count(),
              rs.stream().mapToLong(r -> r.to() - r.from()).sum());
      if (best == null
          || java.time.Instant.parse(w.lastEventTime())
              .isAfter(java.time.Instant.parse(best.lastEventTime()))) {
        best = w;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The newest archived transaction's GTID: the last segment's, or, when that one holds none (a
   * file just opened by a rotation holds only its header events), the nearest earlier segment's.
   * Reads indexes backwards from {@code last} only as far as needed.
   */
  private String newestGtid(
      String namespace, String statefulSet, List<BinlogSegment.Range> rs, BinlogSegment last) {
    BinlogSegment s = last;
    for (int i = rs.size() - 2; s.lastGtid() == null && i >= 0; i--) {
      s = binlogSegment(namespace, statefulSet, rs.get(i));
    }
    return s.lastGtid();
  }

  /**
   * The archived binlog files of each server that hold only transactions up to {@code gtid} (the
   * oldest kept set's): replay from that set starts after them, so retention may delete them. Reads
   * one index per file, oldest first, up to the first file that holds a later transaction; a file
   * is only ever a candidate when a later file exists (it was closed).
   */
  public Map<Long, List<String>> binlogFilesBefore(
      String namespace, String statefulSet, String gtid) {
    io.zoneguard.domain.Gtid set = io.zoneguard.domain.Gtid.parse(gtid);
    Map<Long, Map<String, BinlogSegment.Range>> lastOfFile = new TreeMap<>();
    for (BinlogSegment.Range r : binlogRanges(namespace, statefulSet)) {
      lastOfFile.computeIfAbsent(r.serverId(), k -> new TreeMap<>()).put(r.file(), r);
    }
    Map<Long, List<String>> out = new TreeMap<>();
    lastOfFile.forEach(
        (server, files) -> {
          List<String> names = new ArrayList<>(files.keySet());
          List<String> before = new ArrayList<>();
          for (int i = 0; i < names.size() - 1; i++) {
            BinlogSegment last = binlogSegment(namespace, statefulSet, files.get(names.get(i)));
            if (!last.closed()
                || (last.lastGtid() != null
                    && io.zoneguard.domain.Gtid.parse(last.lastGtid()).after(set))) {
              break;
            }
            before.add(names.get(i));
          }
          if (!before.isEmpty()) {
            out.put(server, before);
          }
        });
    return out;
  }

  /** Deletes one archived binlog file (indexes first, so no listing counts a half-deleted file). */
  public List<String> deleteBinlogFile(
      String namespace, String statefulSet, long serverId, String file) {
    List<String> keys = new ArrayList<>();
    for (BinlogSegment.Range r : binlogRanges(namespace, statefulSet, serverId)) {
      if (r.file().equals(file)) {
        keys.add(layout.binlogIndexKey(namespace, statefulSet, r));
        keys.add(layout.binlogDataKey(namespace, statefulSet, r));
      }
    }
    keys.stream().filter(k -> k.endsWith(".json")).forEach(store::delete);
    keys.stream().filter(k -> k.endsWith(".bin")).forEach(store::delete);
    return keys;
  }

  /** A segment's index: SHA-256, event times and GTIDs. */
  public BinlogSegment binlogSegment(String namespace, String statefulSet, BinlogSegment.Range r) {
    String key = layout.binlogIndexKey(namespace, statefulSet, r);
    try (InputStream in =
        store
            .get(key)
            .orElseThrow(
                () -> ZoneguardException.notFound("binlog index " + key + " is missing"))) {
      return BinlogIndexCodec.read(in.readAllBytes(), key);
    } catch (java.io.IOException e) {
      throw ZoneguardException.failed("cannot read binlog index " + key, e);
    }
  }

  /** A segment's bytes. */
  public byte[] binlogData(String namespace, String statefulSet, BinlogSegment.Range r) {
    String key = layout.binlogDataKey(namespace, statefulSet, r);
    try (InputStream in =
        store
            .get(key)
            .orElseThrow(
                () -> ZoneguardException.notFound("binlog segment " + key + " is missing"))) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw ZoneguardException.failed("cannot read binlog segment " + key, e);
    }
  }

  /** Every set, newest first. */
  public List<BackupSetSummary> list(String namespace, String statefulSet) {
    Map<String, List<ObjectInfo>> bySet = new TreeMap<>(Comparator.reverseOrder());
    for (ObjectInfo o : store.list(layout.statefulSetPrefix(namespace, statefulSet))) {
      String id = layout.setIdOf(namespace, statefulSet, o.key());
      if (id != null && SetIds.valid(id)) {
        bySet.computeIfAbsent(id, k -> new ArrayList<>()).add(o);
      }
    }
    List<BackupSetSummary> out = new ArrayList<>();
    bySet.forEach(
        (id, objects) -> {
          String manifestKey = layout.manifestKey(namespace, statefulSet, id);
          boolean hasManifest = objects.stream().anyMatch(o -> o.key().equals(manifestKey));
          BackupManifest m = hasManifest ? read(manifestKey).orElse(null) : null;
          long size = objects.stream().mapToLong(ObjectInfo::size).sum();
          // The manifest's time has sub-second precision; the id only seconds.
          var started = m != null ? java.time.Instant.parse(m.createdAt()) : SetIds.startedAt(id);
          out.add(
              new BackupSetSummary(
                  id,
                  started.toString(),
                  Duration.between(started, clock.instant()).toSeconds(),
                  hasManifest,
                  m != null && m.complete(),
                  size,
                  m == null ? 0 : m.snapshots().size(),
                  m));
        });
    out.sort(
        Comparator.comparing((BackupSetSummary s) -> java.time.Instant.parse(s.startedAt()))
            .thenComparing(BackupSetSummary::setId)
            .reversed());
    return out;
  }

  public BackupManifest manifest(String namespace, String statefulSet, String setId) {
    if (!SetIds.valid(setId)) {
      throw ZoneguardException.usage(
          "'" + setId + "' is not a backup set id (expected e.g. 20261123T101500Z-1a2b3c)");
    }
    return read(layout.manifestKey(namespace, statefulSet, setId))
        .orElseThrow(
            () ->
                ZoneguardException.notFound(
                    "backup set "
                        + setId
                        + " of "
                        + namespace
                        + "/"
                        + statefulSet
                        + " has no manifest (it does not exist or never completed)"));
  }

  /**
   * The manifest of {@code setId}, or of the newest complete set when none is given: what restore
   * and drills start from. No complete set is a not-found error that says how to take one.
   */
  public BackupManifest chosen(String namespace, String statefulSet, Optional<String> setId) {
    if (setId.isPresent()) {
      return manifest(namespace, statefulSet, setId.get());
    }
    return newestComplete(namespace, statefulSet)
        .orElseThrow(
            () ->
                ZoneguardException.notFound(
                    "no complete backup set for "
                        + namespace
                        + "/"
                        + statefulSet
                        + ": take one with 'zoneguard backup run'"));
  }

  /** The newest set whose manifest says complete; what restore, failover and drills use. */
  public Optional<BackupManifest> newestComplete(String namespace, String statefulSet) {
    return list(namespace, statefulSet).stream()
        .filter(BackupSetSummary::complete)
        .map(BackupSetSummary::manifest)
        .findFirst();
  }

  private Optional<BackupManifest> read(String key) {
    return store
        .get(key)
        .map(
            in -> {
              try (InputStream s = in) {
                return ManifestCodec.read(s.readAllBytes(), key);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }
}
