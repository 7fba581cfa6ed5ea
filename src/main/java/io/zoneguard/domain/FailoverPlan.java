package io.zoneguard.domain;

import java.util.List;

/**
 * What a zone failover of one StatefulSet would do: the failed zone, which PVCs move where from
 * which snapshot (and how much data that loses), the ordered steps, the reasons it is refused, if
 * any, notes for the operator, and, for a failover, which of the failed zone's nodes fencing may
 * taint (from EC2 facts) and whether the pod template is pinned. A plan with refusals must not be
 * applied.
 */
public record FailoverPlan(
    String kind,
    String namespace,
    String statefulSet,
    String failedZone,
    String failedZoneSource,
    List<String> targetZones,
    List<PlannedVolume> volumes,
    List<String> unaffectedPvcs,
    List<Step> steps,
    List<String> refusals,
    List<String> notes,
    List<FenceDecision> fencing,
    PinDecision pin,
    List<Recovery> recovery) {

  public FailoverPlan {
    notes = notes == null ? List.of() : List.copyOf(notes);
    targetZones = List.copyOf(targetZones);
    volumes = List.copyOf(volumes);
    unaffectedPvcs = List.copyOf(unaffectedPvcs);
    steps = List.copyOf(steps);
    refusals = List.copyOf(refusals);
    // null in records written before fencing and the pin policy were planned
    fencing = fencing == null ? List.of() : List.copyOf(fencing);
    // null in records written before plans said how far past the snapshot a replica can get
    recovery = recovery == null ? List.of() : List.copyOf(recovery);
  }

  /** A plan without notes, fencing or pin decisions. */
  public FailoverPlan(
      String kind,
      String namespace,
      String statefulSet,
      String failedZone,
      String failedZoneSource,
      List<String> targetZones,
      List<PlannedVolume> volumes,
      List<String> unaffectedPvcs,
      List<Step> steps,
      List<String> refusals) {
    this(
        kind,
        namespace,
        statefulSet,
        failedZone,
        failedZoneSource,
        targetZones,
        volumes,
        unaffectedPvcs,
        steps,
        refusals,
        List.of());
  }

  /** A plan with notes but without fencing or pin decisions (failback). */
  public FailoverPlan(
      String kind,
      String namespace,
      String statefulSet,
      String failedZone,
      String failedZoneSource,
      List<String> targetZones,
      List<PlannedVolume> volumes,
      List<String> unaffectedPvcs,
      List<Step> steps,
      List<String> refusals,
      List<String> notes) {
    this(
        kind,
        namespace,
        statefulSet,
        failedZone,
        failedZoneSource,
        targetZones,
        volumes,
        unaffectedPvcs,
        steps,
        refusals,
        notes,
        List.of(),
        null,
        List.of());
  }

  /** This plan with the fencing and pin decisions, and the refusals they add. */
  public FailoverPlan withSafety(
      List<FenceDecision> fencing, PinDecision pin, List<String> moreRefusals) {
    List<String> all = new java.util.ArrayList<>(refusals);
    all.addAll(moreRefusals);
    return copy(all, notes, fencing, pin, recovery);
  }

  /** This plan with one more note for the operator. */
  public FailoverPlan withNote(String note) {
    List<String> all = new java.util.ArrayList<>(notes);
    all.add(note);
    return copy(refusals, all, fencing, pin, recovery);
  }

  /** This plan with how far past its snapshot each moved replica can be brought. */
  public FailoverPlan withRecovery(List<Recovery> points) {
    return copy(refusals, notes, fencing, pin, points);
  }

  private FailoverPlan copy(
      List<String> refusals,
      List<String> notes,
      List<FenceDecision> fencing,
      PinDecision pin,
      List<Recovery> recovery) {
    return new FailoverPlan(
        kind,
        namespace,
        statefulSet,
        failedZone,
        failedZoneSource,
        targetZones,
        volumes,
        unaffectedPvcs,
        steps,
        refusals,
        notes,
        fencing,
        pin,
        recovery);
  }

  public static final String FAILOVER = "failover";
  public static final String FAILBACK = "failback";

  public boolean refused() {
    return !refusals.isEmpty();
  }

  /** One PVC to re-home: from its old volume to a new one made from a snapshot in the target. */
  public record PlannedVolume(
      String pvc,
      int ordinal,
      String oldVolumeId,
      String oldZone,
      String oldPv,
      String snapshotId,
      String snapshotTime,
      long dataLossSeconds,
      String targetZone,
      int sizeGiB,
      String volumeType,
      Integer iops,
      Integer throughputMiBps,
      boolean encrypted,
      String kmsKeyId,
      String storageClass,
      String fsType,
      List<String> accessModes,
      String backupSet) {
    public PlannedVolume {
      accessModes = accessModes == null ? List.of() : List.copyOf(accessModes);
    }

    /** The same move with another source snapshot (failback takes it during the run). */
    public PlannedVolume withSnapshot(String id, String time) {
      return new PlannedVolume(
          pvc,
          ordinal,
          oldVolumeId,
          oldZone,
          oldPv,
          id,
          time,
          dataLossSeconds,
          targetZone,
          sizeGiB,
          volumeType,
          iops,
          throughputMiBps,
          encrypted,
          kmsKeyId,
          storageClass,
          fsType,
          accessModes,
          backupSet);
    }
  }

  /**
   * How far past its snapshot a moved replica can be brought, per PVC: the snapshot's data loss
   * and, when the StatefulSet's binlog is archived, the archive's newest event and GTID, the data
   * loss left after replaying the archive into the restored replica ({@code binlog catch-up}, the
   * command given), or why the archive cannot (it starts after the snapshot). Archive fields are
   * null without an archive. Losses are seconds before the plan was made.
   */
  public record Recovery(
      String pvc,
      String pod,
      String snapshotTime,
      long snapshotDataLossSeconds,
      Long archiveServerId,
      String archiveNewestEvent,
      String archiveNewestGtid,
      Long dataLossAfterCatchUpSeconds,
      String catchUp,
      String why) {}

  /** One idempotent step with a stable id, so a re-run can say which are done. */
  public record Step(String id, String description) {}
}
