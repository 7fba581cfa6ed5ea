package io.zoneguard.testing.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Small predicates over Kubernetes objects that several simulated controllers share. */
final class K {
  static final String ZONE = "topology.kubernetes.io/zone";
  static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
  static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  /**
   * The CRUD mock deletes a pod at once; the API server keeps it, with a deletionTimestamp, until
   * the kubelet confirms its containers stopped (graceful deletion, {@code
   * pkg/registry/core/pod/strategy.go} CheckGracefulDelete). This finalizer stands in for that
   * wait.
   */
  static final String GRACEFUL = "sim.zoneguard.io/graceful-deletion";

  private K() {}

  static boolean terminating(HasMetadata o) {
    return o.getMetadata().getDeletionTimestamp() != null;
  }

  static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  static boolean ready(Node n) {
    return n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static boolean podReady(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** {@code isRunningAndReady} of stateful_set_utils.go: terminating pods included. */
  static boolean runningAndReady(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && podReady(p);
  }

  static String zone(Node n) {
    return labels(n).get(ZONE);
  }

  static Map<String, String> labels(HasMetadata o) {
    return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
  }

  static Map<String, String> annotations(HasMetadata o) {
    return o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations();
  }

  static List<String> claimNames(Pod p) {
    if (p.getSpec().getVolumes() == null) {
      return List.of();
    }
    return p.getSpec().getVolumes().stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .map(v -> v.getPersistentVolumeClaim().getClaimName())
        .toList();
  }

  static boolean hasFinalizer(HasMetadata o, String f) {
    return o.getMetadata().getFinalizers() != null && o.getMetadata().getFinalizers().contains(f);
  }

  static BigDecimal bytes(Quantity q) {
    return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
  }

  /** A matchExpressions requirement against a label set (component-helpers nodeaffinity). */
  static boolean matches(NodeSelectorRequirement r, Map<String, String> labels) {
    String v = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> v != null && values.contains(v);
      case "NotIn" -> v == null || !values.contains(v);
      case "Exists" -> v != null;
      case "DoesNotExist" -> v == null;
      default -> false;
    };
  }

  /** Terms are ORed, the expressions of a term ANDed; an empty term matches nothing. */
  static boolean matchesTerms(List<NodeSelectorTerm> terms, Map<String, String> labels) {
    return terms.stream()
        .anyMatch(
            t ->
                t.getMatchExpressions() != null
                    && !t.getMatchExpressions().isEmpty()
                    && t.getMatchExpressions().stream().allMatch(r -> matches(r, labels)));
  }

  /**
   * nodeSelector and required node affinity (scheduler plugin NodeAffinity, {@code
   * pkg/scheduler/framework/plugins/nodeaffinity} via {@code GetRequiredNodeAffinity}).
   */
  static boolean nodeMatchesPod(Pod p, Node n) {
    Map<String, String> labels = labels(n);
    Map<String, String> selector = p.getSpec().getNodeSelector();
    if (selector != null
        && selector.entrySet().stream()
            .anyMatch(e -> !Objects.equals(labels.get(e.getKey()), e.getValue()))) {
      return false;
    }
    var a = p.getSpec().getAffinity();
    if (a == null
        || a.getNodeAffinity() == null
        || a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    return matchesTerms(
        a.getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms(),
        labels);
  }

  /** A PV's required node affinity against a node (VolumeBinding/VolumeZone filter). */
  static boolean pvAllows(PersistentVolume pv, Node n) {
    var na = pv.getSpec().getNodeAffinity();
    if (na == null || na.getRequired() == null) {
      return true;
    }
    return matchesTerms(na.getRequired().getNodeSelectorTerms(), labels(n));
  }

  /** The zone a PV's node affinity names (first In value on a zone key), or null. */
  static String pvZone(PersistentVolume pv) {
    var na = pv.getSpec().getNodeAffinity();
    if (na == null || na.getRequired() == null) {
      return null;
    }
    for (NodeSelectorTerm t : na.getRequired().getNodeSelectorTerms()) {
      for (NodeSelectorRequirement r : t.getMatchExpressions()) {
        if (r.getKey().endsWith("/zone") && "In".equals(r.getOperator())) {
          return r.getValues().get(0);
        }
      }
    }
    return null;
  }

  /** {@code v1helper.TolerationsTolerateTaint}. */
  static boolean tolerates(List<Toleration> tolerations, Taint t) {
    if (tolerations == null) {
      return false;
    }
    return tolerations.stream()
        .anyMatch(
            tol ->
                (tol.getEffect() == null
                        || tol.getEffect().isEmpty()
                        || tol.getEffect().equals(t.getEffect()))
                    && (tol.getKey() == null || tol.getKey().isEmpty()
                        ? "Exists".equals(tol.getOperator())
                        : tol.getKey().equals(t.getKey())
                            && ("Exists".equals(tol.getOperator())
                                || Objects.equals(
                                    tol.getValue() == null ? "" : tol.getValue(),
                                    t.getValue() == null ? "" : t.getValue()))));
  }

  static List<Taint> taints(Node n) {
    return n.getSpec() == null || n.getSpec().getTaints() == null
        ? List.of()
        : n.getSpec().getTaints();
  }

  static boolean hasTaint(Node n, String key) {
    return taints(n).stream().anyMatch(t -> key.equals(t.getKey()));
  }

  /** {@code metav1.LabelSelectorAsSelector(...).Matches}. */
  static boolean selects(LabelSelector s, Map<String, String> labels) {
    if (s == null) {
      return false;
    }
    if (s.getMatchLabels() != null
        && s.getMatchLabels().entrySet().stream()
            .anyMatch(e -> !Objects.equals(labels.get(e.getKey()), e.getValue()))) {
      return false;
    }
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        NodeSelectorRequirement n =
            new NodeSelectorRequirement(r.getKey(), r.getOperator(), r.getValues());
        if (!matches(n, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  static <T> T copy(T o, Class<T> type) {
    return Serialization.unmarshal(Serialization.asJson(o), type);
  }
}
