package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zoneguard.port.Events;
import java.time.Instant;

/** {@link Events} through fabric8: core/v1 Events whose involvedObject is the StatefulSet. */
public final class Fabric8Events implements Events {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(Fabric8Events.class);
  private final KubernetesClient client;

  public Fabric8Events(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void record(
      String namespace, String statefulSet, boolean warning, String reason, String message) {
    try {
      var sts = client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get();
      if (sts == null) {
        return;
      }
      String now = Instant.now().toString();
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(statefulSet + ".zoneguard.")
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("apps/v1")
                  .withKind("StatefulSet")
                  .withName(statefulSet)
                  .withNamespace(namespace)
                  .withUid(sts.getMetadata() == null ? null : sts.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(warning ? "Warning" : "Normal")
                  .withReason(reason)
                  .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("zoneguard")
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // Events are for people reading kubectl describe; a missing one must not fail a failover
      LOG.warn(
          "could not record event {} on {}/{}: {}", reason, namespace, statefulSet, e.getMessage());
    }
  }
}
