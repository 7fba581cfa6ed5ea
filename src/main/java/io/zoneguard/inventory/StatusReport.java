package io.zoneguard.inventory;

import java.util.List;

/** What {@code zoneguard status} reports: zone health and the protected StatefulSets. */
public record StatusReport(
    String namespace,
    String region,
    String generatedAt,
    List<ZoneHealth> zones,
    List<StatefulSetStatus> statefulSets) {
  public StatusReport {
    zones = List.copyOf(zones);
    statefulSets = List.copyOf(statefulSets);
  }
}
