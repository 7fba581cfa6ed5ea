package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.port.Pods;
import java.util.List;
import java.util.Objects;

/** {@link Pods} through fabric8. */
public final class Fabric8Pods implements Pods {
  private final KubernetesClient client;

  public Fabric8Pods(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public List<PodFacts> list(String namespace) {
    return Kube.call(
            "list pods in " + namespace,
            () -> client.pods().inNamespace(namespace).list().getItems())
        .stream()
        .map(Fabric8Pods::toFacts)
        .toList();
  }

  @Override
  public void delete(String namespace, String pod) {
    // a plain DELETE: graceful, never gracePeriodSeconds=0 (a forced delete may leave two copies)
    Kube.call(
        "delete pod " + namespace + "/" + pod,
        () -> client.pods().inNamespace(namespace).withName(pod).delete());
  }

  static PodFacts toFacts(Pod p) {
    var meta = Kube.required(p.getMetadata(), "pod", "metadata");
    boolean ready =
        p.getStatus() != null
            && p.getStatus().getConditions() != null
            && p.getStatus().getConditions().stream()
                .anyMatch(
                    c -> c != null && "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    var spec = p.getSpec();
    List<String> claims =
        spec == null || spec.getVolumes() == null
            ? List.of()
            : spec.getVolumes().stream()
                .filter(Objects::nonNull)
                .map(Volume::getPersistentVolumeClaim)
                .filter(Objects::nonNull)
                .map(c -> c.getClaimName())
                .filter(Objects::nonNull)
                .toList();
    return new PodFacts(
        meta.getNamespace(),
        meta.getName(),
        spec == null ? null : spec.getNodeName(),
        p.getStatus() == null ? null : p.getStatus().getPhase(),
        ready,
        meta.getDeletionTimestamp() != null,
        claims,
        Kube.instant(meta.getCreationTimestamp()));
  }
}
