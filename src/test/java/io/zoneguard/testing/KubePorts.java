package io.zoneguard.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.kube.Fabric8Claims;
import io.zoneguard.kube.Fabric8Events;
import io.zoneguard.kube.Fabric8Namespaces;
import io.zoneguard.kube.Fabric8Nodes;
import io.zoneguard.kube.Fabric8PersistentVolumes;
import io.zoneguard.kube.Fabric8Pods;
import io.zoneguard.kube.Fabric8Secrets;
import io.zoneguard.kube.Fabric8StatefulSets;
import io.zoneguard.port.Cluster;

/** Every Kubernetes role port over one client, as the CLI's wiring builds them, for ITs. */
public final class KubePorts {
  private KubePorts() {}

  public static Cluster of(KubernetesClient client) {
    return new Cluster(
        new Fabric8Namespaces(client),
        new Fabric8StatefulSets(client),
        new Fabric8Claims(client),
        new Fabric8PersistentVolumes(client),
        new Fabric8Nodes(client),
        new Fabric8Pods(client),
        new Fabric8Events(client),
        new Fabric8Secrets(client));
  }
}
