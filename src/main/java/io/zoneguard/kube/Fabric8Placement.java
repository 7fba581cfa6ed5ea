package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zoneguard.domain.TemplatePlacement;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.Placement;
import java.util.List;
import java.util.Optional;

/** {@link Placement} on a StatefulSet's pod template through fabric8 (edits by {@link ZonePin}). */
public final class Fabric8Placement implements Placement {
  private final KubernetesClient client;

  public Fabric8Placement(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<TemplatePlacement> placement(String namespace, String statefulSet) {
    return Optional.ofNullable(get(namespace, statefulSet)).map(ZonePin::placement);
  }

  @Override
  public void repin(
      String namespace, String statefulSet, String lostZone, List<String> targetZones) {
    edit(
        "pin statefulset " + namespace + "/" + statefulSet,
        namespace,
        statefulSet,
        s -> ZonePin.repin(s, lostZone, targetZones));
  }

  @Override
  public boolean restore(String namespace, String statefulSet) {
    StatefulSet s = get(namespace, statefulSet);
    if (s == null) {
      throw ZoneguardException.statefulSetNotFound(namespace, statefulSet);
    }
    if (!ZonePin.pinned(s)) {
      return false;
    }
    edit(
        "restore the placement of statefulset " + namespace + "/" + statefulSet,
        namespace,
        statefulSet,
        ZonePin::restore);
    return true;
  }

  private void edit(
      String operation,
      String namespace,
      String statefulSet,
      java.util.function.UnaryOperator<StatefulSet> change) {
    try {
      client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).edit(change);
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(operation, e);
    }
  }

  private StatefulSet get(String namespace, String statefulSet) {
    try {
      return client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get();
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate("get statefulset " + namespace + "/" + statefulSet, e);
    }
  }
}
