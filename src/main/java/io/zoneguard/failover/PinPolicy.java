package io.zoneguard.failover;

import io.zoneguard.domain.PinDecision;
import io.zoneguard.domain.TemplatePlacement;
import java.util.List;

/**
 * Pure: decides whether the failover must change the StatefulSet's pod template.
 *
 * <p>Why not always: any change of {@code spec.template} makes the StatefulSet controller roll
 * every replica ({@code stateful_set_control.go} {@code updateStatefulSet}: under RollingUpdate it
 * deletes the highest-ordinal pod whose revision differs, one at a time), so healthy replicas would
 * restart in the middle of an outage, and again on failback. Without zone constraints in the
 * template no pin is needed: a moved replica's pod follows its restored PV's node affinity
 * (scheduler VolumeBinding filter), and unmoved replicas stay where their data is.
 *
 * <p>When it is required: (1) the template's own zone constraints (nodeSelector, required node
 * affinity) do not admit a target zone, e.g. a template pinned to the lost zone
 * (one-StatefulSet-per-zone): the moved replica would stay Pending, so the lost zone is replaced by
 * the targets; (2) a zone {@code topologySpreadConstraint} with {@code DoNotSchedule}: the
 * PodTopologySpread plugin counts every zone whose nodes match the pod's node affinity
 * (nodeAffinityPolicy Honor; nodeTaintsPolicy Ignore keeps the fenced nodes counted), so the lost
 * zone stays a domain with zero pods and the skew check keeps the moved replica Pending unless the
 * template excludes that zone (NotIn).
 */
public final class PinPolicy {
  private PinPolicy() {}

  public static PinDecision decide(
      TemplatePlacement template,
      String failedZone,
      List<String> movedToZones,
      boolean pinRequested) {
    if (template == null) {
      return PinDecision.none("the StatefulSet's template could not be read");
    }
    List<String> refused =
        movedToZones.stream().distinct().filter(z -> !template.admits(z)).toList();
    String why;
    boolean required;
    if (!refused.isEmpty()) {
      required = true;
      why =
          "required: the template ("
              + template.describe()
              + ") does not admit target zone(s) "
              + refused
              + ", so moved replicas would stay Pending; "
              + failedZone
              + " is replaced by the target zones";
    } else if (template.zoneSpreadDoNotSchedule() && template.admits(failedZone)) {
      required = true;
      why =
          "required: zone topologySpread DoNotSchedule still counts "
              + failedZone
              + " as a domain (with no pod left there the skew keeps moved replicas Pending)"
              + " unless the template excludes it with NotIn";
    } else if (pinRequested) {
      required = false;
      why =
          "not required ("
              + template.describe()
              + "; each moved replica follows its new PV's zone), applied because --pin was given";
    } else {
      return new PinDecision(
          false,
          false,
          "not required: the template ("
              + template.describe()
              + ") admits the target zones and each moved replica follows its new PV's zone;"
              + " the template is left unchanged (pass --pin to keep pods out of "
              + failedZone
              + " anyway)",
          false);
    }
    boolean rolls = !"OnDelete".equals(template.updateStrategy());
    return new PinDecision(
        required, true, why + (rolls ? "" : " (OnDelete: only recreated pods pick it up)"), rolls);
  }
}
