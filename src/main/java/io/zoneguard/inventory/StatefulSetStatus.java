package io.zoneguard.inventory;

import java.util.List;

/** A StatefulSet with its PVCs. {@code protectedByLabel} says whether it carries the label. */
public record StatefulSetStatus(
    String namespace,
    String name,
    boolean protectedByLabel,
    int replicas,
    int readyReplicas,
    List<String> claimTemplates,
    List<PvcStatus> pvcs) {
  public StatefulSetStatus {
    claimTemplates = List.copyOf(claimTemplates);
    pvcs = List.copyOf(pvcs);
  }
}
