package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zoneguard.domain.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pins a StatefulSet's pod template to zones, as a pure edit: every required node-selector term
 * (they are ORed) gets the zone requirement ANDed in, or one term is created; an earlier zone pin
 * is replaced, so pinning twice equals pinning once. The original affinity is saved once.
 */
final class ZonePin {
  private ZonePin() {}

  static StatefulSet apply(StatefulSet s, List<String> zones) {
    var template = s.getSpec().getTemplate();
    var pod = template.getSpec();
    Map<String, String> annotations =
        s.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(s.getMetadata().getAnnotations());
    annotations.putIfAbsent(
        Keys.ORIGINAL_AFFINITY_ANNOTATION,
        pod.getAffinity() == null ? "null" : Serialization.asJson(pod.getAffinity()));
    s.getMetadata().setAnnotations(annotations);

    Affinity affinity = pod.getAffinity() == null ? new Affinity() : pod.getAffinity();
    NodeAffinity nodeAffinity =
        affinity.getNodeAffinity() == null ? new NodeAffinity() : affinity.getNodeAffinity();
    NodeSelector required =
        nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution() == null
            ? new NodeSelector(new ArrayList<>())
            : nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
    List<NodeSelectorTerm> terms = new ArrayList<>(required.getNodeSelectorTerms());
    if (terms.isEmpty()) {
      terms.add(new NodeSelectorTerm(new ArrayList<>(), new ArrayList<>()));
    }
    NodeSelectorRequirement pin =
        new NodeSelectorRequirementBuilder()
            .withKey(Keys.ZONE_LABEL)
            .withOperator("In")
            .withValues(zones)
            .build();
    List<NodeSelectorTerm> pinned = new ArrayList<>();
    for (NodeSelectorTerm t : terms) {
      List<NodeSelectorRequirement> exprs =
          t.getMatchExpressions() == null
              ? new ArrayList<>()
              : new ArrayList<>(t.getMatchExpressions());
      exprs.removeIf(e -> Keys.ZONE_LABEL.equals(e.getKey()));
      exprs.add(pin);
      pinned.add(new NodeSelectorTerm(exprs, t.getMatchFields()));
    }
    required.setNodeSelectorTerms(pinned);
    nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
    affinity.setNodeAffinity(nodeAffinity);
    pod.setAffinity(affinity);
    return s;
  }
}
