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
    PinDecision pin) {

  public FailoverPlan {
    notes = notes == null ? List.of() : List.copyOf(notes);
    targetZones = List.copyOf(targetZones);
    volumes = List.copyOf(volumes);
    unaffectedPvcs = List.copyOf(unaffectedPvcs);
    steps = List.copyOf(steps);
    refusals = List.copyOf(refusals);
    // null in records written before fencing and the pin policy were planned
    fencing = fencing == null ? List.of() : List.copyOf(fencing);
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
        null);
  }

  /** This plan with the fencing and pin decisions, and the refusals they add. */
  public FailoverPlan withSafety(
      List<FenceDecision> fencing, PinDecision pin, List<String> moreRefusals) {
    List<String> all = new java.util.ArrayList<>(refusals);
    all.addAll(moreRefusals);
    return copy(all, notes, fencing, pin);
  }

  /** This plan with one more note for the operator. */
  public FailoverPlan withNote(String note) {
    List<String> all = new java.util.ArrayList<>(notes);
    all.add(note);
    return copy(refusals, all, fencing, pin);
  }

  private FailoverPlan copy(
      List<String> refusals, List<String> notes, List<FenceDecision> fencing, PinDecision pin) {
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
        pin);
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

  /** One idempotent step with a stable id, so a re-run can say which are done. */
  public record Step(String id, String description) {}
}
