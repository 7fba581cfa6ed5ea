package io.zoneguard.domain;

import java.util.List;
import java.util.Map;

/**
 * The record of one backup set, written last: its presence with {@code complete = true} is what
 * makes a set usable for restore, failover and drills.
 */
public record BackupManifest(
    int formatVersion,
    String zoneguardVersion,
    String setId,
    String cluster,
    String namespace,
    String statefulSet,
    String createdAt,
    String completedAt,
    boolean complete,
    String consistency,
    Server server,
    Binlog binlog,
    Dump dump,
    List<Snapshot> snapshots,
    List<DrCopy> drCopies,
    Timings timings,
    List<String> warnings) {

  public static final int FORMAT_VERSION = 1;

  public BackupManifest {
    snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    drCopies = drCopies == null ? List.of() : List.copyOf(drCopies);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  public record Server(String version, boolean mariaDb, boolean binlogEnabled) {}

  /** Binlog file/position and GTID state at the dump's snapshot; null fields when binlog is off. */
  public record Binlog(String file, Long position, String gtid, String note) {}

  /**
   * The dump object: key, compressed size and SHA-256 (of the object as stored), uncompressed size,
   * what was dumped and, per {@code database.table}, the rows the dump holds.
   */
  public record Dump(
      String key,
      long sizeBytes,
      String sha256,
      long uncompressedBytes,
      String compression,
      String source,
      List<String> databases,
      Map<String, Long> tableRows,
      Map<String, Long> tableChecksums) {
    public Dump {
      databases = List.copyOf(databases);
      tableRows = tableRows == null ? Map.of() : Map.copyOf(tableRows);
      tableChecksums = tableChecksums == null ? Map.of() : Map.copyOf(tableChecksums);
    }
  }

  /** One PVC's snapshot with what is needed to recreate the volume elsewhere. */
  public record Snapshot(
      String pvc,
      int ordinal,
      String volumeId,
      String zone,
      String snapshotId,
      String state,
      int sizeGiB,
      String volumeType,
      Integer iops,
      Integer throughputMiBps,
      boolean encrypted,
      String kmsKeyId,
      String storageClass,
      String fsType) {}

  /** A cross-region copy of one snapshot, started after the set's snapshots completed. */
  public record DrCopy(String pvc, String sourceSnapshotId, String region, String snapshotId) {}

  public record Timings(double dumpSeconds, double snapshotSeconds, double totalSeconds) {}
}
