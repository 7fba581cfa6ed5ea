package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.Namespaces;
import java.util.Map;

/** {@link Namespaces} through fabric8. */
public final class Fabric8Namespaces implements Namespaces {
  private final KubernetesClient client;

  public Fabric8Namespaces(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public boolean exists(String namespace) {
    try {
      return client.namespaces().withName(namespace).get() != null;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        // Not allowed to read namespaces: cannot tell, so let the namespaced calls speak.
        return true;
      }
      throw KubeErrors.translate("get namespace " + namespace, e);
    }
  }

  @Override
  public void create(String name, Map<String, String> labels) {
    if (get(name) != null) {
      return;
    }
    Kube.call(
        "create namespace " + name,
        () ->
            client
                .resource(
                    new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create());
  }

  /**
   * The guard stays here, not in the drill: deleting a namespace deletes everything in it, so this
   * port offers no general namespace delete that a caller's slip could aim at a user's namespace.
   */
  @Override
  public void deleteDrillNamespace(String name) {
    var ns = get(name);
    if (ns == null) {
      return;
    }
    var labels = ns.getMetadata() == null ? null : ns.getMetadata().getLabels();
    if (!name.startsWith(Keys.DRILL_NAMESPACE_PREFIX)
        || labels == null
        || !labels.containsKey(Keys.TAG_DRILL_ID)) {
      throw ZoneguardException.unsafe(
          "refusing to delete namespace " + name + ": it is not a zoneguard drill namespace");
    }
    Kube.call("delete namespace " + name, () -> client.namespaces().withName(name).delete());
  }

  private io.fabric8.kubernetes.api.model.Namespace get(String name) {
    return Kube.call("get namespace " + name, () -> client.namespaces().withName(name).get());
  }
}
