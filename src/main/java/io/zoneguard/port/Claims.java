package io.zoneguard.port;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.PvcFacts;
import java.util.List;

/**
 * PersistentVolumeClaims: read, create pre-bound, delete by UID, hold. Which claim may be deleted
 * or held, and when, is decided by the failover steps.
 */
public interface Claims {

  List<PvcFacts> list(String namespace);

  /** What a UID-preconditioned claim delete found. */
  enum Deletion {
    /** The claim with that UID is deleted or Terminating (finalizers still hold it). */
    ACCEPTED,
    /** No claim of that name exists. */
    GONE,
    /** The name now belongs to another claim (recreated from the template): it was not touched. */
    OTHER_UID
  }

  /**
   * Deletes the claim {@code name} only if its UID is still {@code uid} ({@code
   * DeleteOptions.preconditions.uid}), so a claim the StatefulSet controller recreated meanwhile is
   * never deleted by mistake. Finalizers are left to their owners: Kubernetes' pvc-protection
   * controller lifts its own once no scheduled pod references the claim.
   */
  Deletion delete(String namespace, String name, String uid);

  /**
   * Adds ({@code held}) or removes zoneguard's {@link io.zoneguard.domain.Keys#HOLD_FINALIZER} on
   * the claim with this UID, with optimistic concurrency. Returns false when no claim of that name
   * and UID exists (nothing changed).
   */
  boolean hold(String namespace, String name, String uid, boolean held);

  /**
   * Creates the claim {@code plan.pvc} naming the PV of {@link PersistentVolumes#create}, in {@code
   * volumeMode}. Returns false when a claim of that name already exists (left as it is: the caller
   * decides what it means).
   */
  boolean create(String namespace, String failoverId, PlannedVolume plan, String volumeMode);
}
