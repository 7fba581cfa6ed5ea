package io.zoneguard.backup;

import io.zoneguard.aws.BackupStoreLayout;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.ObjectStore;
import io.zoneguard.port.ObjectStore.ObjectInfo;
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

/** Reads the backup sets of a StatefulSet from the object store. Read-only. */
public final class BackupCatalog {
  private final ObjectStore store;
  private final BackupStoreLayout layout;
  private final Clock clock;

  public BackupCatalog(ObjectStore store, BackupStoreLayout layout, Clock clock) {
    this.store = store;
    this.layout = layout;
    this.clock = clock;
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
