package io.zoneguard.domain;

import java.util.List;

/**
 * The zone constraints of a StatefulSet's pod template, as the scheduler reads them: the zone the
 * nodeSelector names (null: none), the zone requirements of each required node-affinity term (the
 * terms are ORed, the requirements within a term ANDed; a term without zone requirements admits
 * every zone), whether a zone topologySpreadConstraint has {@code whenUnsatisfiable:
 * DoNotSchedule}, and the update strategy ({@code RollingUpdate} or {@code OnDelete}).
 */
public record TemplatePlacement(
    String nodeSelectorZone,
    List<List<ZoneRequirement>> requiredTerms,
    boolean zoneSpreadDoNotSchedule,
    String updateStrategy) {

  public TemplatePlacement {
    requiredTerms =
        requiredTerms == null ? List.of() : requiredTerms.stream().map(List::copyOf).toList();
  }

  /** One {@code topology.kubernetes.io/zone In|NotIn [values]} requirement. */
  public record ZoneRequirement(String operator, List<String> values) {
    public ZoneRequirement {
      values = values == null ? List.of() : List.copyOf(values);
    }

    boolean admits(String zone) {
      return switch (operator) {
        case "In" -> values.contains(zone);
        case "NotIn" -> !values.contains(zone);
        case "Exists" -> true;
        default -> false; // DoesNotExist on the zone key: no zoned node matches
      };
    }
  }

  /** True when a pod of this template may be scheduled on a node of {@code zone}. */
  public boolean admits(String zone) {
    if (nodeSelectorZone != null && !nodeSelectorZone.equals(zone)) {
      return false;
    }
    return requiredTerms.isEmpty()
        || requiredTerms.stream().anyMatch(t -> t.stream().allMatch(r -> r.admits(zone)));
  }

  /** A human description of the zone constraints, for the plan. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    if (nodeSelectorZone != null) {
      b.append("nodeSelector zone=").append(nodeSelectorZone);
    }
    for (List<ZoneRequirement> t : requiredTerms) {
      for (ZoneRequirement r : t) {
        b.append(b.isEmpty() ? "" : ", ")
            .append("affinity zone ")
            .append(r.operator())
            .append(' ')
            .append(r.values());
      }
    }
    if (zoneSpreadDoNotSchedule) {
      b.append(b.isEmpty() ? "" : ", ").append("zone topologySpread DoNotSchedule");
    }
    return b.isEmpty() ? "no zone constraint" : b.toString();
  }
}
