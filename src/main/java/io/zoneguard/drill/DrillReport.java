package io.zoneguard.drill;

import java.util.List;
import java.util.Map;

/**
 * What a DR drill proved: which backup set, the achieved RPO (age of the set when the drill
 * started) and RTO (time until everything was restored and verified), per volume and per table,
 * every failure and warning, and what was cleaned up.
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

  /** One table: rows and checksum expected (manifest) and found (scratch database). */
  public record TableCheck(
      String table,
      long expectedRows,
      Long rows,
      Long expectedChecksum,
      Long checksum,
      String status) {}
}
