package io.zoneguard.port;

import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.domain.VolumeSpec;
import io.zoneguard.domain.ZoneState;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Block storage of one region (EBS): zones, volumes, snapshots. */
public interface BlockStorage {

  /** Every availability zone of the region with its state. */
  List<ZoneState> zones();

  /**
   * The volumes with these ids, keyed by id. Ids EC2 does not know are absent from the result
   * rather than an error, so one vanished volume does not hide the others.
   */
  Map<String, VolumeSpec> volumes(Collection<String> volumeIds);

  /** Starts a snapshot of the volume with these tags (applied atomically at creation). */
  SnapshotRef createSnapshot(String volumeId, String description, Map<String, String> tags);

  /**
   * Waits until every snapshot has left {@code pending}; returns their final state. Snapshots that
   * end in {@code error} are returned, not thrown, so the caller can record them.
   */
  List<SnapshotRef> awaitSnapshots(Collection<String> snapshotIds, Duration timeout);

  /** Snapshots owned by this account carrying all of these tags. */
  List<SnapshotRef> findSnapshots(Map<String, String> tags);

  /**
   * Deletes a snapshot. Only retention may call this, and never for the newest complete set.
   * Deleting a snapshot that is already gone succeeds.
   */
  void deleteSnapshot(String snapshotId);

  /**
   * Copies a snapshot of {@code sourceRegion} into this storage's region (cross-region DR copy),
   * with the given tags; returns the new snapshot id.
   */
  String copySnapshotFrom(
      String sourceRegion, String snapshotId, String description, Map<String, String> tags);

  /**
   * What a new volume from a snapshot should be; null size means the snapshot's, null
   * iops/throughput the type's default, null initialization rate EBS's default (lazy) loading of
   * the snapshot's blocks.
   */
  record NewVolume(
      String snapshotId,
      String zone,
      Integer sizeGiB,
      String volumeType,
      Integer iops,
      Integer throughputMiBps,
      boolean encrypted,
      String kmsKeyId,
      Map<String, String> tags,
      Integer initializationRateMiBps) {

    /** This volume initialized at {@code rateMiBps} (null: EBS's default, or FSR). */
    public NewVolume withInitializationRate(Integer rateMiBps) {
      return new NewVolume(
          snapshotId,
          zone,
          sizeGiB,
          volumeType,
          iops,
          throughputMiBps,
          encrypted,
          kmsKeyId,
          tags,
          rateMiBps);
    }

    /** A volume like the planned one (size, type, iops, throughput, encryption) from a snapshot. */
    public static NewVolume restoring(
        io.zoneguard.domain.FailoverPlan.PlannedVolume v,
        String snapshotId,
        Map<String, String> tags) {
      return new NewVolume(
          snapshotId,
          v.targetZone(),
          v.sizeGiB() > 0 ? v.sizeGiB() : null,
          v.volumeType(),
          v.iops(),
          v.throughputMiBps(),
          v.encrypted(),
          v.kmsKeyId(),
          tags,
          null);
    }
  }

  /** Creates a volume from a snapshot in a zone, tagged at creation (findable after a crash). */
  VolumeSpec createVolume(NewVolume spec);

  /**
   * The zones in which Fast Snapshot Restore is {@code enabled} for each of these snapshots (a
   * volume created there from it is fully initialized at once); snapshots without any are absent.
   * States {@code enabling}/{@code optimizing} do not count: volumes made then still load lazily.
   */
  Map<String, java.util.Set<String>> fastRestoreZones(Collection<String> snapshotIds);

  /**
   * Every FSR state EC2 reports for these snapshots: snapshot → zone → {@code enabling | optimizing
   * | enabled | disabling | disabled}. Pairs that never had FSR are absent.
   */
  Map<String, Map<String, String>> fastRestoreStates(Collection<String> snapshotIds);

  /**
   * Enables FSR for every snapshot in every zone given (billed per snapshot-zone hour from now on);
   * returns the pairs EC2 refused (unknown snapshot, quota, ...) rather than throwing for them.
   */
  List<io.zoneguard.domain.FastRestorePlan.Failure> enableFastRestore(
      Collection<String> snapshotIds, Collection<String> zones);

  /** Disables FSR for every snapshot in every zone given; returns the pairs EC2 refused. */
  List<io.zoneguard.domain.FastRestorePlan.Failure> disableFastRestore(
      Collection<String> snapshotIds, Collection<String> zones);

  /** Volumes carrying all of these tags: how a re-run finds what an earlier run created. */
  List<VolumeSpec> findVolumes(Map<String, String> tags);

  /**
   * Deletes a volume a DR drill created. Refused (unsafe) unless the volume carries the tag {@code
   * zoneguard.io/drill-id}: zoneguard never deletes any other volume. Deleting a volume that is
   * already gone succeeds.
   */
  void deleteDrillVolume(String volumeId);

  /** Waits until every volume is {@code available}; returns their final state. */
  List<VolumeSpec> awaitVolumes(Collection<String> volumeIds, Duration timeout);
}
