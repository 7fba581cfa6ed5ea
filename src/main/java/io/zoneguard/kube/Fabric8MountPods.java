package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.MountPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link MountPods} through fabric8: one pod per restored claim, in drill namespaces only. */
public final class Fabric8MountPods implements MountPods {
  /** Label on every mount pod, so cleanup finds them (and nothing else). */
  static final String ROLE_LABEL = "zoneguard.io/role";

  static final String ROLE = "drill-mount";

  private final KubernetesClient client;

  public Fabric8MountPods(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void start(String namespace, String pod, String claim, String image, Duration lifetime) {
    requireDrill(namespace, "create pod " + pod);
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withName(pod)
            .withNamespace(namespace)
            .withLabels(Map.of(ROLE_LABEL, ROLE, "app.kubernetes.io/managed-by", "zoneguard"))
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            // ends itself if zoneguard dies before deleting it; the namespace goes with cleanup
            .withActiveDeadlineSeconds(Math.max(60, lifetime.toSeconds()))
            .withTerminationGracePeriodSeconds(0L)
            .withAutomountServiceAccountToken(false)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(65534L)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .addNewContainer()
            .withName("mount")
            .withImage(image)
            .withCommand("sleep", Long.toString(Math.max(60, lifetime.toSeconds())))
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .withNewResources()
            .withRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi")))
            .withLimits(Map.of("memory", new Quantity("32Mi")))
            .endResources()
            .addNewVolumeMount()
            .withName("data")
            .withMountPath("/data")
            .endVolumeMount()
            .endContainer()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName(claim)
            .endPersistentVolumeClaim()
            .endVolume()
            .endSpec()
            .build();
    try {
      client.pods().inNamespace(namespace).resource(p).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw KubeErrors.translate("create pod " + namespace + "/" + pod, e);
      }
    }
  }

  @Override
  public Optional<String> phase(String namespace, String pod) {
    Pod p = call("get pod " + namespace + "/" + pod, () -> pods(namespace).withName(pod).get());
    return Optional.ofNullable(p)
        .map(
            x ->
                x.getStatus() == null || x.getStatus().getPhase() == null
                    ? "Pending"
                    : x.getStatus().getPhase());
  }

  @Override
  public List<String> list(String namespace) {
    return call(
            "list pods in " + namespace,
            () -> pods(namespace).withLabel(ROLE_LABEL, ROLE).list().getItems())
        .stream()
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  @Override
  public void delete(String namespace, String pod) {
    requireDrill(namespace, "delete pod " + pod);
    call("delete pod " + namespace + "/" + pod, () -> pods(namespace).withName(pod).delete());
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          Pod,
          io.fabric8.kubernetes.api.model.PodList,
          io.fabric8.kubernetes.client.dsl.PodResource>
      pods(String namespace) {
    return client.pods().inNamespace(namespace);
  }

  /** Mount pods live only in drill namespaces: anything else is a bug, refused as unsafe. */
  private static void requireDrill(String namespace, String what) {
    if (!namespace.startsWith(Keys.DRILL_NAMESPACE_PREFIX)) {
      throw ZoneguardException.unsafe(
          "refusing to " + what + " in " + namespace + ": not a zoneguard drill namespace");
    }
  }

  private static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(operation, e);
    }
  }
}
