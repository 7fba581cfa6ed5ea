package io.zoneguard.testing;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Everything a failover or drill could change in production, as comparable text: the StatefulSet
 * (annotations and template), its namespace's claims, every PV, the nodes' cordon and taints, the
 * pods (by uid, so a recreated pod shows) and, with EC2, the volumes of the namespace.
 */
public final class ClusterState {
  private ClusterState() {}

  public static String of(KubernetesClient kube, String namespace) {
    StringBuilder b = new StringBuilder();
    StatefulSet sts = kube.apps().statefulSets().inNamespace(namespace).withName("mysql").get();
    b.append(sts.getMetadata().getAnnotations()).append(sts.getSpec()).append('\n');
    kube.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()
        .map(c -> c.getMetadata().getName() + "=" + c.getSpec() + " " + c.getMetadata())
        .sorted()
        .forEach(x -> b.append(x).append('\n'));
    kube.persistentVolumes().list().getItems().stream()
        .map(p -> p.getMetadata().getName() + " " + p.getSpec())
        .sorted()
        .forEach(x -> b.append(x).append('\n'));
    kube.nodes().list().getItems().stream()
        .map(n -> n.getMetadata().getName() + " " + n.getSpec())
        .sorted()
        .forEach(x -> b.append(x).append('\n'));
    Map<String, String> pods = new TreeMap<>();
    kube.pods()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(p -> pods.put(p.getMetadata().getName(), p.getMetadata().getUid()));
    b.append(pods).append('\n');
    return b.toString();
  }

  /** As {@link #of(KubernetesClient, String)} plus the EC2 volumes tagged for the namespace. */
  public static String of(KubernetesClient kube, Ec2Client ec2, String namespace) {
    StringBuilder b = new StringBuilder(of(kube, namespace));
    ec2
        .describeVolumes(
            r ->
                r.filters(
                    f -> f.name("tag:kubernetes.io/created-for/pvc/namespace").values(namespace)))
        .volumes()
        .stream()
        .map(v -> v.volumeId() + " " + v.availabilityZone() + " " + v.size() + " " + v.tags())
        .sorted()
        .forEach(x -> b.append(x).append('\n'));
    return b.toString();
  }
}
