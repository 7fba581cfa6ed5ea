package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.PvcRef;
import io.zoneguard.port.Claims;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Claims} on the Kubernetes API (one operator per kind, the Strimzi way): reads,
 * UID-preconditioned deletes, zoneguard's hold finalizer, creation. It only translates; which claim
 * may be deleted or held, and when, is decided by the failover steps.
 */
public final class Fabric8Claims implements Claims {
  private final KubernetesClient client;

  public Fabric8Claims(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public List<PvcFacts> list(String namespace) {
    return Kube.call(
            "list persistentvolumeclaims in " + namespace,
            () -> client.persistentVolumeClaims().inNamespace(namespace).list().getItems())
        .stream()
        .map(Fabric8Claims::toFacts)
        .toList();
  }

  /**
   * DELETE with {@code preconditions.uid}: the API server answers 409 when the name now belongs to
   * another claim (kubernetes {@code staging/src/k8s.io/apiserver/pkg/registry/generic/registry/
   * store.go} {@code Delete} checks {@code options.Preconditions} against the stored object), so a
   * claim the StatefulSet controller recreated between our read and our delete is never hit. The
   * name is read first as well: the answer is the same on a server that ignores preconditions.
   */
  @Override
  public Deletion delete(String namespace, String name, String uid) {
    String what = "delete pvc " + namespace + "/" + name;
    PersistentVolumeClaim now = get(namespace, name);
    if (now == null) {
      return Deletion.GONE;
    }
    if (uid == null || now.getMetadata() == null || !uid.equals(now.getMetadata().getUid())) {
      return Deletion.OTHER_UID;
    }
    int code =
        Kube.deleteIfUid(
            client,
            "/api/v1/namespaces/" + namespace + "/persistentvolumeclaims/" + name,
            uid,
            what);
    if (code == 404) {
      return Deletion.GONE;
    }
    if (code == 409) {
      return Deletion.OTHER_UID;
    }
    return Deletion.ACCEPTED;
  }

  /**
   * Adds or removes {@link Keys#HOLD_FINALIZER} with an update carrying the resourceVersion just
   * read (optimistic concurrency: a concurrent writer makes it fail and we read again).
   */
  @Override
  public boolean hold(String namespace, String name, String uid, boolean held) {
    String what = (held ? "hold" : "release") + " pvc " + namespace + "/" + name;
    for (int attempt = 0; ; attempt++) {
      PersistentVolumeClaim c = get(namespace, name);
      if (c == null
          || uid == null
          || c.getMetadata() == null
          || !uid.equals(c.getMetadata().getUid())) {
        return false;
      }
      List<String> finalizers =
          new ArrayList<>(
              c.getMetadata().getFinalizers() == null
                  ? List.of()
                  : c.getMetadata().getFinalizers());
      if (finalizers.contains(Keys.HOLD_FINALIZER) == held) {
        return true;
      }
      if (held) {
        finalizers.add(Keys.HOLD_FINALIZER);
      } else {
        finalizers.remove(Keys.HOLD_FINALIZER);
      }
      c.getMetadata().setFinalizers(finalizers);
      try {
        client.resource(c).update();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return false;
        }
        if (e.getCode() != 409 || attempt >= 4) {
          throw KubeErrors.translate(what, e);
        }
      }
    }
  }

  /** Creates the pre-bound claim; false when one of that name exists (left untouched). */
  @Override
  public boolean create(
      String namespace, String failoverId, PlannedVolume plan, String volumeMode) {
    PersistentVolumeClaim pvc =
        PvFactory.pvc(namespace, failoverId, plan, plan.accessModes(), Map.of(), volumeMode);
    if (get(namespace, plan.pvc()) != null) {
      return false;
    }
    try {
      client.resource(pvc).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false; // the StatefulSet controller was faster: the caller looks at its claim
      }
      throw KubeErrors.translate("create pvc " + namespace + "/" + plan.pvc(), e);
    }
  }

  private PersistentVolumeClaim get(String namespace, String name) {
    return Kube.call(
        "get pvc " + namespace + "/" + name,
        () -> client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
  }

  static PvcFacts toFacts(PersistentVolumeClaim c) {
    var meta = Kube.required(c.getMetadata(), "persistentvolumeclaim", "metadata");
    String where = "persistentvolumeclaim " + meta.getNamespace() + "/" + meta.getName();
    var spec = Kube.required(c.getSpec(), where, "spec");
    var status = c.getStatus();
    var storage =
        status != null && status.getCapacity() != null ? status.getCapacity().get("storage") : null;
    if (storage == null
        && spec.getResources() != null
        && spec.getResources().getRequests() != null) {
      storage = spec.getResources().getRequests().get("storage");
    }
    return new PvcFacts(
        new PvcRef(meta.getNamespace(), meta.getName()),
        status == null ? null : status.getPhase(),
        spec.getVolumeName(),
        spec.getStorageClassName(),
        storage == null ? null : storage.toString(),
        spec.getAccessModes(),
        meta.getFinalizers(),
        meta.getDeletionTimestamp() != null,
        meta.getUid(),
        spec.getVolumeMode(),
        Kube.instant(meta.getCreationTimestamp()));
  }
}
