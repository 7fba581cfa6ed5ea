package io.zoneguard.domain;

import java.time.Instant;
import java.util.List;

/**
 * A PersistentVolumeClaim as zoneguard needs to see it. The UID tells one claim from another of the
 * same name (the StatefulSet controller recreates claims by name); {@code createdAt} lets a step
 * tell a pod started on this claim from one that predates it.
 */
public record PvcFacts(
    PvcRef ref,
    String phase,
    String volumeName,
    String storageClass,
    String capacity,
    List<String> accessModes,
    List<String> finalizers,
    boolean terminating,
    String uid,
    String volumeMode,
    Instant createdAt) {
  public PvcFacts {
    accessModes = accessModes == null ? List.of() : List.copyOf(accessModes);
    finalizers = finalizers == null ? List.of() : List.copyOf(finalizers);
    volumeMode = volumeMode == null ? PvShape.FILESYSTEM : volumeMode;
  }

  public PvcFacts(
      PvcRef ref,
      String phase,
      String volumeName,
      String storageClass,
      String capacity,
      List<String> accessModes,
      List<String> finalizers,
      boolean terminating) {
    this(
        ref,
        phase,
        volumeName,
        storageClass,
        capacity,
        accessModes,
        finalizers,
        terminating,
        null,
        null,
        null);
  }

  /** True while no volume is named: a template claim the binder has not bound yet. */
  public boolean unbound() {
    return volumeName == null || volumeName.isEmpty();
  }
}
