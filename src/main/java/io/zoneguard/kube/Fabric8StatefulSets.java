package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.StatefulSets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link StatefulSets} through fabric8. */
public final class Fabric8StatefulSets implements StatefulSets {
  private final KubernetesClient client;

  public Fabric8StatefulSets(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<StatefulSetFacts> get(String namespace, String name) {
    return Optional.ofNullable(read(namespace, name)).map(Fabric8StatefulSets::toFacts);
  }

  @Override
  public List<StatefulSetFacts> list(String namespace) {
    return Kube.call(
            "list statefulsets in " + namespace,
            () -> client.apps().statefulSets().inNamespace(namespace).list().getItems())
        .stream()
        .map(Fabric8StatefulSets::toFacts)
        .toList();
  }

  @Override
  public boolean replaceAnnotation(
      String namespace, String statefulSet, String key, String expected, String value) {
    StatefulSet s = read(namespace, statefulSet);
    if (s == null) {
      throw ZoneguardException.statefulSetNotFound(namespace, statefulSet);
    }
    var meta =
        Kube.required(s.getMetadata(), "statefulset " + namespace + "/" + statefulSet, "metadata");
    Map<String, String> annotations =
        meta.getAnnotations() == null ? new HashMap<>() : new HashMap<>(meta.getAnnotations());
    if (!Objects.equals(annotations.get(key), expected)) {
      return false;
    }
    if (value == null) {
      annotations.remove(key);
    } else {
      annotations.put(key, value);
    }
    meta.setAnnotations(annotations);
    try {
      // update() sends the resourceVersion read above: a concurrent writer makes it fail (409)
      client.resource(s).update();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw KubeErrors.translate("annotate statefulset " + namespace + "/" + statefulSet, e);
    }
  }

  private StatefulSet read(String namespace, String name) {
    return Kube.call(
        "get statefulset " + namespace + "/" + name,
        () -> client.apps().statefulSets().inNamespace(namespace).withName(name).get());
  }

  static StatefulSetFacts toFacts(StatefulSet s) {
    var meta = Kube.required(s.getMetadata(), "statefulset", "metadata");
    var spec =
        Kube.required(
            s.getSpec(), "statefulset " + meta.getNamespace() + "/" + meta.getName(), "spec");
    List<String> templates =
        spec.getVolumeClaimTemplates() == null
            ? List.of()
            : spec.getVolumeClaimTemplates().stream()
                .map(t -> t.getMetadata() == null ? null : t.getMetadata().getName())
                .filter(Objects::nonNull)
                .toList();
    return new StatefulSetFacts(
        meta.getNamespace(),
        meta.getName(),
        spec.getReplicas() == null ? 1 : spec.getReplicas(),
        s.getStatus() == null || s.getStatus().getReadyReplicas() == null
            ? 0
            : s.getStatus().getReadyReplicas(),
        spec.getServiceName(),
        templates,
        spec.getPodManagementPolicy() == null ? "OrderedReady" : spec.getPodManagementPolicy(),
        meta.getLabels(),
        meta.getAnnotations());
  }
}
