package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.PvShape;
import io.zoneguard.domain.RunIds;
import java.util.List;
import java.util.Map;

/**
 * Builds, as pure functions (the Strimzi model/ way), the objects that re-home a PVC: a static EBS
 * CSI PV pre-bound to the StatefulSet's claim name and pinned to the new volume's zone, and the PVC
 * that asks for exactly that PV. The StatefulSet controller then finds its PVC by name and the pod
 * mounts the restored data (design.md section 1).
 */
public final class PvFactory {
  public static final String FAILOVER_ID_LABEL = Keys.TAG_FAILOVER_ID;

  private PvFactory() {}

  /** Drills ({@code dr-…} ids) label their objects as drill objects, failovers as failover's. */
  static String idLabel(String id) {
    return RunIds.isDrill(id) ? Keys.TAG_DRILL_ID : FAILOVER_ID_LABEL;
  }

  /** A deterministic PV name, so a re-run finds the PV an earlier run created. */
  public static String pvName(String failoverId, String pvc) {
    return FailoverRecord.pvName(failoverId, pvc);
  }

  /** A PV over {@code volumeId} presented the way the PV it replaces presented its volume. */
  public static PersistentVolume pv(
      String namespace,
      String failoverId,
      PlannedVolume v,
      String volumeId,
      List<String> modes,
      PvShape shape) {
    String fsType = shape.fsType() != null ? shape.fsType() : v.fsType();
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(pvName(failoverId, v.pvc()))
        .withLabels(Map.of(idLabel(failoverId), failoverId, Keys.ZONE_LABEL, v.targetZone()))
        .withAnnotations(annotations(v))
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", new Quantity(v.sizeGiB() + "Gi")))
        .withAccessModes(modes)
        .withStorageClassName(v.storageClass())
        // never let Kubernetes delete restored data
        .withPersistentVolumeReclaimPolicy("Retain")
        // a Block-mode claim only binds a Block-mode PV (the binder compares volumeMode)
        .withVolumeMode(shape.volumeMode())
        .withMountOptions(shape.mountOptions().isEmpty() ? null : shape.mountOptions())
        .withNewCsi()
        .withDriver(Keys.EBS_CSI_DRIVER)
        .withVolumeHandle(volumeId)
        // a Block volume has no filesystem; a Filesystem one keeps the old fsType (ext4 default)
        .withFsType(
            PvShape.FILESYSTEM.equals(shape.volumeMode())
                ? (fsType == null ? "ext4" : fsType)
                : null)
        .withVolumeAttributes(shape.volumeAttributes().isEmpty() ? null : shape.volumeAttributes())
        .endCsi()
        .withNewClaimRef()
        .withApiVersion("v1")
        .withKind("PersistentVolumeClaim")
        .withNamespace(namespace)
        .withName(v.pvc())
        .endClaimRef()
        .withNewNodeAffinity()
        .withNewRequired()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey(Keys.ZONE_LABEL)
        .withOperator("In")
        .withValues(v.targetZone())
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequired()
        .endNodeAffinity()
        .endSpec()
        .build();
  }

  private static Map<String, String> annotations(PlannedVolume v) {
    Map<String, String> a = new java.util.TreeMap<>();
    if (v.snapshotId() != null) {
      a.put("zoneguard.io/restored-from-snapshot", v.snapshotId());
    }
    if (v.oldVolumeId() != null) {
      a.put("zoneguard.io/replaces-volume", v.oldVolumeId());
    }
    return a;
  }

  public static PersistentVolumeClaim pvc(
      String namespace,
      String failoverId,
      PlannedVolume v,
      List<String> modes,
      Map<String, String> labels,
      String volumeMode) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(v.pvc())
        .withNamespace(namespace)
        .withLabels(labels)
        .addToLabels(idLabel(failoverId), failoverId)
        // what the StorageObjectInUseProtection admission plugin adds anyway: set it ourselves so
        // the claim is protected from its first moment, whichever admission plugins run
        .withFinalizers("kubernetes.io/pvc-protection")
        .endMetadata()
        .withNewSpec()
        .withAccessModes(modes)
        .withStorageClassName(v.storageClass())
        .withVolumeName(pvName(failoverId, v.pvc()))
        .withVolumeMode(volumeMode == null ? PvShape.FILESYSTEM : volumeMode)
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity(v.sizeGiB() + "Gi")))
        .endResources()
        .endSpec()
        .build();
  }
}
