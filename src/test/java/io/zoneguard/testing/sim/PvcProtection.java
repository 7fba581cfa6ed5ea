package io.zoneguard.testing.sim;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * The pvc-protection controller ({@code
 * pkg/controller/volume/pvcprotection/pvc_protection_controller.go} {@code processPVC}, {@code
 * podUsesPVC}) with the admission plugin StorageObjectInUseProtection: every claim carries {@code
 * kubernetes.io/pvc-protection}; a deleted claim loses it only when no scheduled pod object
 * (nodeName set) references it in {@code spec.volumes} — terminating pods, finished pods and pods
 * on NotReady nodes included.
 */
final class PvcProtection implements Sim.Controller {
  private final Sim sim;

  PvcProtection(Sim sim) {
    this.sim = sim;
  }

  @Override
  public String name() {
    return "PVCP";
  }

  @Override
  public void reconcile() {
    List<Pod> pods = sim.kube.pods().inAnyNamespace().list().getItems();
    for (PersistentVolumeClaim c :
        sim.kube.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
      var r =
          sim.kube
              .persistentVolumeClaims()
              .inNamespace(c.getMetadata().getNamespace())
              .withName(c.getMetadata().getName());
      if (!K.terminating(c)) {
        if (!K.hasFinalizer(c, K.PVC_PROTECTION)) {
          r.edit(
              x -> {
                List<String> f =
                    x.getMetadata().getFinalizers() == null
                        ? new ArrayList<>()
                        : new ArrayList<>(x.getMetadata().getFinalizers());
                f.add(K.PVC_PROTECTION);
                x.getMetadata().setFinalizers(f);
                return x;
              });
        }
        continue;
      }
      if (!K.hasFinalizer(c, K.PVC_PROTECTION) || used(c, pods)) {
        continue;
      }
      String uid = c.getMetadata().getUid();
      r.edit(
          x -> {
            if (!uid.equals(x.getMetadata().getUid())) {
              throw new IllegalStateException("claim replaced");
            }
            x.getMetadata().getFinalizers().remove(K.PVC_PROTECTION);
            return x;
          });
      sim.note(name(), "removed pvc-protection from " + K.key(c) + ": no scheduled pod uses it");
    }
  }

  /** {@code podUsesPVC}: a scheduled pod in the claim's namespace lists it in spec.volumes. */
  static boolean used(PersistentVolumeClaim c, List<Pod> pods) {
    return pods.stream()
        .anyMatch(
            p ->
                p.getMetadata().getNamespace().equals(c.getMetadata().getNamespace())
                    && p.getSpec().getNodeName() != null
                    && K.claimNames(p).contains(c.getMetadata().getName()));
  }
}
