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
 * Keeps a StatefulSet's pods out of zones, as a pure edit: every required node-selector term (they
 * are ORed) gets {@code zone NotIn [...]} ANDed in, or one term is created; an earlier zone pin is
 * replaced, so pinning twice equals pinning once. NotIn rather than In: each replica still follows
 * its own PV's zone, so replicas that never moved keep running where their data is. The original
 * affinity is saved once, and {@link #restore} puts it back.
 */
final class ZonePin {
  private ZonePin() {}

  static StatefulSet restore(StatefulSet s) {
    Map<String, String> annotations = s.getMetadata().getAnnotations();
    if (annotations == null || !annotations.containsKey(Keys.ORIGINAL_AFFINITY_ANNOTATION)) {
      return s;
    }
    Map<String, String> rest = new HashMap<>(annotations);
    String saved = rest.remove(Keys.ORIGINAL_AFFINITY_ANNOTATION);
    s.getSpec()
        .getTemplate()
        .getSpec()
        .setAffinity("null".equals(saved) ? null : Serialization.unmarshal(saved, Affinity.class));
    s.getMetadata().setAnnotations(rest);
    return s;
  }

  static StatefulSet avoid(StatefulSet s, List<String> zones) {
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
            .withOperator("NotIn")
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
