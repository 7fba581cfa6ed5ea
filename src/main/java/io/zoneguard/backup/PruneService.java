package io.zoneguard.backup;

import io.zoneguard.backup.RetentionPolicy.Decision;
import io.zoneguard.backup.RetentionPolicy.SetInfo;
import io.zoneguard.domain.InUseSets;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.Events;
import io.zoneguard.port.StatefulSets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link RetentionPolicy} to one StatefulSet's sets. The only code in zoneguard that
 * deletes snapshots. Per set it deletes the manifest first, so an interrupted prune leaves an
 * incomplete set (never used) rather than a "complete" one with pieces missing.
 */
public final class PruneService {
  private static final Logger LOG = LoggerFactory.getLogger(PruneService.class);

  private final StatefulSets statefulSets;
  private final Events events;
  private final BlockStorage storage;
  private final BackupStore store;
  private final Clock clock;
  private final String clusterName;
  private final java.util.Optional<BlockStorage> drStorage;

  /** What prune did or, with dry-run, would do. */
  public record Result(
      boolean dryRun,
      List<String> kept,
      Map<String, String> keptBecause,
      List<DeletedSet> deleted,
      List<String> binlogFilesDeleted) {}

  public record DeletedSet(String setId, List<String> objects, List<String> snapshots) {}

  public PruneService(
      StatefulSets statefulSets,
      Events events,
      BlockStorage storage,
      BackupStore store,
      Clock clock,
      String clusterName,
      java.util.Optional<BlockStorage> drStorage) {
    this.statefulSets = statefulSets;
    this.events = events;
    this.storage = storage;
    this.store = store;
    this.clock = clock;
    this.clusterName = clusterName;
    this.drStorage = drStorage;
  }

  public Result prune(
      String namespace, String statefulSet, RetentionPolicy policy, boolean dryRun) {
    StatefulSetFacts sts =
        statefulSets
            .get(namespace, statefulSet)
            .orElseThrow(() -> ZoneguardException.statefulSetNotFound(namespace, statefulSet));
    Set<String> inUse =
        InUseSets.parse(sts.annotations().get(Keys.IN_USE_SETS_ANNOTATION)).setIds();
    List<BackupSetSummary> listed = store.list(namespace, statefulSet);
    List<SetInfo> sets =
        listed.stream()
            .map(s -> new SetInfo(s.setId(), java.time.Instant.parse(s.startedAt()), s.complete()))
            .toList();
    Decision d = policy.decide(sets, inUse, clock.instant());

    List<DeletedSet> deleted = new ArrayList<>();
    for (String setId : d.delete()) {
      List<String> objects =
          dryRun
              ? store.objectsOf(namespace, statefulSet, setId)
              : store.deleteSet(namespace, statefulSet, setId);
      Map<String, String> setTags =
          Map.of(
              Keys.TAG_CLUSTER, clusterName,
              Keys.TAG_NAMESPACE, namespace,
              Keys.TAG_STATEFULSET, statefulSet,
              Keys.TAG_BACKUP_SET, setId);
      List<String> local =
          storage.findSnapshots(setTags).stream().map(SnapshotRef::snapshotId).toList();
      List<String> remote =
          drStorage
              .map(dr -> dr.findSnapshots(setTags).stream().map(SnapshotRef::snapshotId).toList())
              .orElse(List.of());
      List<String> snapshots = new ArrayList<>(local);
      snapshots.addAll(remote);
      if (!dryRun) {
        local.forEach(storage::deleteSnapshot);
        drStorage.ifPresent(dr -> remote.forEach(dr::deleteSnapshot));
        LOG.info(
            "pruned set {} of {}/{}: {} object(s), {} snapshot(s)",
            setId,
            namespace,
            statefulSet,
            objects.size(),
            snapshots.size());
      }
      deleted.add(new DeletedSet(setId, objects, snapshots));
    }
    if (!dryRun && !deleted.isEmpty()) {
      events.record(
          namespace,
          statefulSet,
          false,
          "BackupsPruned",
          "pruned " + deleted.size() + " backup set(s), kept " + d.keep().size());
    }
    return new Result(
        dryRun,
        d.keep(),
        d.reasons(),
        deleted,
        pruneBinlogs(namespace, statefulSet, listed, d.keep(), dryRun));
  }

  /**
   * Binlog retention: keeps exactly the archived files a replay from the oldest kept complete set
   * needs (those after its GTID) and deletes the older ones. Nothing is deleted when that set
   * recorded no GTID (binary logging off then): without it nothing proves a file unneeded.
   */
  private List<String> pruneBinlogs(
      String namespace,
      String statefulSet,
      List<BackupSetSummary> listed,
      List<String> kept,
      boolean dryRun) {
    // the listing is newest first and already holds each set's manifest
    java.util.Optional<io.zoneguard.domain.BackupManifest> oldest =
        listed.stream()
            .filter(s -> s.complete() && kept.contains(s.setId()))
            .map(BackupSetSummary::manifest)
            .reduce((newer, older) -> older);
    if (oldest.isEmpty() || oldest.get().binlog() == null || oldest.get().binlog().gtid() == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    store
        .binlogFilesBefore(namespace, statefulSet, oldest.get().binlog().gtid())
        .forEach(
            (server, files) ->
                files.forEach(
                    f -> {
                      if (!dryRun) {
                        store.deleteBinlogFile(namespace, statefulSet, server, f);
                      }
                      out.add(server + "/" + f);
                    }));
    if (!dryRun && !out.isEmpty()) {
      LOG.info(
          "pruned {} binlog file(s) of {}/{} older than set {}",
          out.size(),
          namespace,
          statefulSet,
          oldest.get().setId());
    }
    return out;
  }
}
