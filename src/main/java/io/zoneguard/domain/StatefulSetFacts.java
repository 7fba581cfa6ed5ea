package io.zoneguard.domain;

import java.util.List;
import java.util.Map;

/** A StatefulSet: replicas, the names of its volumeClaimTemplates, labels and annotations. */
public record StatefulSetFacts(
    String namespace,
    String name,
    int replicas,
    int readyReplicas,
    String serviceName,
    List<String> claimTemplates,
    String podManagementPolicy,
    Map<String, String> labels,
    Map<String, String> annotations) {
  public StatefulSetFacts {
    claimTemplates = List.copyOf(claimTemplates);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /**
   * The PVC name the StatefulSet controller uses for one template and ordinal: {@code
   * <template>-<sts>-<ordinal>}.
   */
  public String claimName(String template, int ordinal) {
    return template + "-" + name + "-" + ordinal;
  }

  public String podName(int ordinal) {
    return name + "-" + ordinal;
  }
}
