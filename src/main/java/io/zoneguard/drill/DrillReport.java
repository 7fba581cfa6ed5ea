package io.zoneguard.drill;

import java.util.List;
import java.util.Map;

/**
 * What a DR drill proved: which backup set, the achieved RPO (age of the set when the drill
 * started; with a replay to the newest archived event, that event's age) and RTO (time until
 * everything was restored and verified), per volume and per table, the binlog replay (null without
 * one), every failure and warning, and what was cleaned up.
 */
public record DrillReport(
    String drillId,
    String namespace,
    String statefulSet,
    String setId,
    String setCreatedAt,
    String scratchNamespace,
    String startedAt,
    String finishedAt,
    long rpoSeconds,
    Double rtoSeconds,
    boolean passed,
    List<VolumeCheck> volumes,
    DumpCheck dump,
    List<TableCheck> tables,
    ReplayCheck replay,
    List<String> failures,
    List<String> warnings,
    boolean kept,
    List<String> cleanedUp) {

  public DrillReport {
    volumes = List.copyOf(volumes);
    tables = List.copyOf(tables);
    failures = List.copyOf(failures);
    warnings = List.copyOf(warnings);
    cleanedUp = List.copyOf(cleanedUp);
  }

  /**
   * One snapshot restored into a scratch volume with a pre-bound claim, and the phase its mount pod
   * reached ({@code Running} proves the volume attaches and its filesystem mounts).
   */
  public record VolumeCheck(
      String pvc,
      String snapshotId,
      String volumeId,
      String zone,
      String volumeState,
      String claimPhase,
      Double rtoSeconds,
      String mountPhase) {

    public VolumeCheck withMount(String phase) {
      return new VolumeCheck(
          pvc, snapshotId, volumeId, zone, volumeState, claimPhase, rtoSeconds, phase);
    }
  }

  /** The dump: SHA-256 checked, loaded into scratch databases. */
  public record DumpCheck(
      String key,
      boolean sha256Verified,
      long sqlBytes,
      double loadSeconds,
      Map<String, String> scratchDatabases) {}

  /**
   * The binlog replay after the dump: the target, the server and files replayed, the transaction
   * the archive says the replay must reach ({@code expectedGtid}/{@code expectedTime}; null when
   * none came after the set) and what the scratch server's replay session executed ({@code
   * executedSeq}, and {@code executedGtid} when that server logs binary logs itself).
   */
  public record ReplayCheck(
      String target,
      String fromGtid,
      long serverId,
      List<String> files,
      long sqlBytes,
      double seconds,
      String expectedGtid,
      String expectedTime,
      Long executedSeq,
      String executedGtid,
      String newestArchivedEvent,
      boolean reached) {

    public ReplayCheck {
      files = List.copyOf(files);
    }
  }

  /** One table: rows and checksum expected (manifest) and found (scratch database). */
  public record TableCheck(
      String table,
      long expectedRows,
      Long rows,
      Long expectedChecksum,
      Long checksum,
      String status) {}
}
