package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.TemplatePlacement;
import io.zoneguard.domain.TemplatePlacement.ZoneRequirement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Pure edits of a StatefulSet's zone constraints (Strimzi's model/ style): reads them as {@link
 * TemplatePlacement}, re-pins them away from a lost zone, and restores the originals.
 *
 * <p>Re-pin, per required node-selector term (terms are ORed, so each must exclude the lost zone):
 * a term that allows only some zones ({@code In}, or a nodeSelector zone) gets {@code In [(its
 * zones - lost) + targets]}; any other term gets {@code NotIn [its NotIn zones + lost]}. The zone
 * key leaves the nodeSelector (a nodeSelector holds one value; the term now says which zones). The
 * original affinity and nodeSelector are saved once in annotations, and every re-pin starts from
 * them, so pinning twice equals pinning once; {@link #restore} puts them back.
 */
final class ZonePin {
  private ZonePin() {}

  static TemplatePlacement placement(StatefulSet s) {
    var spec = s.getSpec();
    var pod = spec.getTemplate() == null ? null : spec.getTemplate().getSpec();
    String strategy =
        spec.getUpdateStrategy() == null || spec.getUpdateStrategy().getType() == null
            ? "RollingUpdate"
            : spec.getUpdateStrategy().getType();
    if (pod == null) {
      return new TemplatePlacement(null, List.of(), false, strategy);
    }
    String selectorZone = null;
    if (pod.getNodeSelector() != null) {
      for (String key : Keys.PV_ZONE_KEYS) {
        selectorZone = selectorZone != null ? selectorZone : pod.getNodeSelector().get(key);
      }
    }
    List<List<ZoneRequirement>> terms = new ArrayList<>();
    for (NodeSelectorTerm t : requiredTerms(pod.getAffinity())) {
      terms.add(
          matchExpressions(t).stream()
              .filter(e -> Keys.PV_ZONE_KEYS.contains(e.getKey()))
              .map(e -> new ZoneRequirement(e.getOperator(), e.getValues()))
              .toList());
    }
    boolean spread = false;
    if (pod.getTopologySpreadConstraints() != null) {
      for (TopologySpreadConstraint c : pod.getTopologySpreadConstraints()) {
        spread |=
            Keys.PV_ZONE_KEYS.contains(c.getTopologyKey())
                && "DoNotSchedule".equals(c.getWhenUnsatisfiable());
      }
    }
    return new TemplatePlacement(selectorZone, terms, spread, strategy);
  }

  static StatefulSet restore(StatefulSet s) {
    Map<String, String> annotations = s.getMetadata().getAnnotations();
    if (annotations == null || !annotations.containsKey(Keys.ORIGINAL_AFFINITY_ANNOTATION)) {
      return s;
    }
    Map<String, String> rest = new HashMap<>(annotations);
    var pod = s.getSpec().getTemplate().getSpec();
    String affinity = rest.remove(Keys.ORIGINAL_AFFINITY_ANNOTATION);
    pod.setAffinity(
        "null".equals(affinity) ? null : Serialization.unmarshal(affinity, Affinity.class));
    String selector = rest.remove(Keys.ORIGINAL_NODE_SELECTOR_ANNOTATION);
    if (selector != null) {
      // an empty map, as fabric8 reads an absent nodeSelector (the API omits both alike)
      pod.setNodeSelector("null".equals(selector) ? new LinkedHashMap<>() : selectorOf(selector));
    }
    s.getMetadata().setAnnotations(rest);
    return s;
  }

  static boolean pinned(StatefulSet s) {
    return s.getMetadata().getAnnotations() != null
        && s.getMetadata().getAnnotations().containsKey(Keys.ORIGINAL_AFFINITY_ANNOTATION);
  }

  static StatefulSet repin(StatefulSet s, String lost, List<String> targets) {
    var pod = s.getSpec().getTemplate().getSpec();
    Map<String, String> annotations =
        s.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(s.getMetadata().getAnnotations());
    annotations.putIfAbsent(
        Keys.ORIGINAL_AFFINITY_ANNOTATION,
        pod.getAffinity() == null ? "null" : Serialization.asJson(pod.getAffinity()));
    annotations.putIfAbsent(
        Keys.ORIGINAL_NODE_SELECTOR_ANNOTATION,
        // fabric8 reads an absent nodeSelector as {}: both mean none
        pod.getNodeSelector() == null || pod.getNodeSelector().isEmpty()
            ? "null"
            : Serialization.asJson(pod.getNodeSelector()));
    s.getMetadata().setAnnotations(annotations);
    // start from the originals: a second re-pin gives the same template as the first
    String savedAffinity = annotations.get(Keys.ORIGINAL_AFFINITY_ANNOTATION);
    Affinity affinity =
        "null".equals(savedAffinity)
            ? new Affinity()
            : Serialization.unmarshal(savedAffinity, Affinity.class);
    String savedSelector = annotations.get(Keys.ORIGINAL_NODE_SELECTOR_ANNOTATION);
    Map<String, String> selector =
        "null".equals(savedSelector) ? new LinkedHashMap<>() : selectorOf(savedSelector);
    String selectorZone = null;
    for (String key : Keys.PV_ZONE_KEYS) {
      String z = selector.remove(key);
      selectorZone = selectorZone != null ? selectorZone : z;
    }
    pod.setNodeSelector(selector.isEmpty() ? null : selector);

    List<NodeSelectorTerm> terms = new ArrayList<>(requiredTerms(affinity));
    if (terms.isEmpty()) {
      terms.add(new NodeSelectorTerm(new ArrayList<>(), new ArrayList<>()));
    }
    List<NodeSelectorTerm> pinned = new ArrayList<>();
    for (NodeSelectorTerm t : terms) {
      List<NodeSelectorRequirement> exprs = new ArrayList<>(matchExpressions(t));
      TreeSet<String> in = null;
      TreeSet<String> notIn = new TreeSet<>();
      if (selectorZone != null) {
        in = new TreeSet<>(List.of(selectorZone));
      }
      for (NodeSelectorRequirement e : exprs) {
        if (!Keys.PV_ZONE_KEYS.contains(e.getKey()) || e.getValues() == null) {
          continue;
        }
        if ("In".equals(e.getOperator())) {
          if (in == null) {
            in = new TreeSet<>(e.getValues());
          } else {
            in.retainAll(e.getValues());
          }
        } else if ("NotIn".equals(e.getOperator())) {
          notIn.addAll(e.getValues());
        }
      }
      exprs.removeIf(
          e ->
              Keys.PV_ZONE_KEYS.contains(e.getKey())
                  && ("In".equals(e.getOperator()) || "NotIn".equals(e.getOperator())));
      if (in != null) {
        in.removeAll(notIn);
        in.remove(lost);
        in.addAll(targets);
        exprs.add(requirement("In", List.copyOf(in)));
      } else {
        notIn.add(lost);
        notIn.removeAll(targets);
        exprs.add(requirement("NotIn", List.copyOf(notIn)));
      }
      pinned.add(new NodeSelectorTerm(exprs, t.getMatchFields()));
    }
    NodeAffinity nodeAffinity =
        affinity.getNodeAffinity() == null ? new NodeAffinity() : affinity.getNodeAffinity();
    nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector(pinned));
    affinity.setNodeAffinity(nodeAffinity);
    pod.setAffinity(affinity);
    return s;
  }

  private static NodeSelectorRequirement requirement(String operator, List<String> zones) {
    return new NodeSelectorRequirementBuilder()
        .withKey(Keys.ZONE_LABEL)
        .withOperator(operator)
        .withValues(zones)
        .build();
  }

  private static List<NodeSelectorTerm> requiredTerms(Affinity a) {
    if (a == null
        || a.getNodeAffinity() == null
        || a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null
        || a.getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
            == null) {
      return List.of();
    }
    return a.getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
  }

  private static List<NodeSelectorRequirement> matchExpressions(NodeSelectorTerm t) {
    return t.getMatchExpressions() == null ? List.of() : t.getMatchExpressions();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> selectorOf(String json) {
    return new LinkedHashMap<String, String>(Serialization.unmarshal(json, Map.class));
  }
}
