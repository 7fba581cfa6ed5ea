package io.zoneguard.testing.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The default scheduler's filters that matter for a StatefulSet with EBS volumes ({@code
 * pkg/scheduler/framework/plugins}):
 *
 * <ul>
 *   <li>NodeUnschedulable, TaintToleration (NoSchedule and NoExecute taints), and Ready nodes only;
 *   <li>NodeAffinity: nodeSelector and required node affinity;
 *   <li>VolumeBinding: every claim must exist and not be terminating ("persistentvolumeclaim is
 *       being deleted"); a Bound claim's PV node affinity must allow the node; an unbound claim of
 *       a WaitForFirstConsumer class binds to a matching PV (pre-bound to it) the node allows, else
 *       the scheduler writes {@code volume.kubernetes.io/selected-node} and waits for provisioning
 *       (PreBind waits until the claim is Bound; the pod is bound to its node after that);
 *   <li>PodTopologySpread: zone constraints with {@code DoNotSchedule}; domains are the zones of
 *       nodes that pass the pod's node affinity (nodeAffinityPolicy Honor, the default) whatever
 *       their taints (nodeTaintsPolicy Ignore, the default); terminating pods are not counted
 *       ({@code podtopologyspread/common.go}); a zone without a Ready node still counts when one of
 *       its nodes matches;
 *   <li>scoring: the zone with fewest pods of the same selector first (the system default soft
 *       spread), ties broken by the seeded random source;
 *   <li>the cache: a pod waiting in PreBind for provisioning counts on the node it was assumed on
 *       ({@code schedule_one.go} {@code assume}), so Parallel pods created together spread too.
 * </ul>
 */
final class Scheduler implements Sim.Controller {
  private final Sim sim;

  Scheduler(Sim sim) {
    this.sim = sim;
  }

  @Override
  public String name() {
    return "SCHED";
  }

  @Override
  public void reconcile() {
    List<Node> nodes = sim.kube.nodes().list().getItems();
    nodes.sort(Comparator.comparing(n -> n.getMetadata().getName()));
    List<Pod> pods = new ArrayList<>(sim.kube.pods().inAnyNamespace().list().getItems());
    Map<String, StorageClass> classes =
        sim.kube.storage().v1().storageClasses().list().getItems().stream()
            .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
    // The scheduler's cache: a pod waiting in PreBind for its claims' provisioning is assumed on
    // the node it was given (schedule_one.go scheduleOne: sched.assume before the binding cycle),
    // so the next pods' spread scoring and filtering count it there.
    List<Pod> view = new ArrayList<>();
    pods.forEach(q -> view.add(assumed(q)));
    for (int i = 0; i < pods.size(); i++) {
      Pod p = pods.get(i);
      if (p.getSpec().getNodeName() != null || K.terminating(p)) {
        continue;
      }
      String node = schedule(p, nodes, view, classes);
      if (node == null) {
        view.set(i, assumed(p));
      }
      if (node != null) {
        String ns = p.getMetadata().getNamespace();
        Pod bound =
            sim.kube
                .pods()
                .inNamespace(ns)
                .withName(p.getMetadata().getName())
                .edit(
                    x -> {
                      if (!p.getMetadata().getUid().equals(x.getMetadata().getUid())) {
                        throw new IllegalStateException("pod replaced while scheduling");
                      }
                      x.getSpec().setNodeName(node);
                      return x;
                    });
        pods.set(i, bound);
        view.set(i, bound);
        sim.note(name(), "bound pod " + K.key(p) + " to " + node);
      }
    }
  }

  /**
   * The pod as the scheduler's cache holds it: bound, or assumed on the node its claims were given
   * ({@code volume.kubernetes.io/selected-node}) while it waits for their provisioning.
   */
  private Pod assumed(Pod q) {
    if (q.getSpec().getNodeName() != null || K.terminating(q)) {
      return q;
    }
    for (String name : K.claimNames(q)) {
      PersistentVolumeClaim c =
          sim.kube
              .persistentVolumeClaims()
              .inNamespace(q.getMetadata().getNamespace())
              .withName(name)
              .get();
      String selected = c == null ? null : K.annotations(c).get(K.SELECTED_NODE);
      if (selected != null && !"Bound".equals(phase(c))) {
        Pod copy = new io.fabric8.kubernetes.api.model.PodBuilder(q).build();
        copy.getSpec().setNodeName(selected);
        return copy;
      }
    }
    return q;
  }

  private String schedule(
      Pod p, List<Node> nodes, List<Pod> pods, Map<String, StorageClass> classes) {
    String ns = p.getMetadata().getNamespace();
    List<PersistentVolumeClaim> claims = new ArrayList<>();
    for (String name : K.claimNames(p)) {
      PersistentVolumeClaim c =
          sim.kube.persistentVolumeClaims().inNamespace(ns).withName(name).get();
      if (c == null || K.terminating(c)) {
        return null; // not found / being deleted: unschedulable
      }
      claims.add(c);
    }
    List<Node> feasible = new ArrayList<>();
    for (Node n : nodes) {
      if (fits(p, n, nodes, pods) && volumesFit(claims, n, classes)) {
        feasible.add(n);
      }
    }
    if (feasible.isEmpty()) {
      return null;
    }
    // a claim waiting for provisioning keeps the node it was given (PreBind waits for it)
    for (PersistentVolumeClaim c : claims) {
      String selected = K.annotations(c).get(K.SELECTED_NODE);
      if (selected != null && !"Bound".equals(phase(c))) {
        return null;
      }
    }
    Map<String, Long> perZone = spreadCounts(p, pods, feasible);
    long min =
        feasible.stream().mapToLong(n -> perZone.getOrDefault(K.zone(n), 0L)).min().orElse(0);
    List<Node> best =
        feasible.stream().filter(n -> perZone.getOrDefault(K.zone(n), 0L) == min).toList();
    Node chosen = best.get(sim.random().nextInt(best.size()));
    // WaitForFirstConsumer claims that are not bound yet: bind to a pre-bound PV or provision
    List<PersistentVolumeClaim> toProvision = new ArrayList<>();
    for (PersistentVolumeClaim c : claims) {
      if (!"Bound".equals(phase(c))) {
        toProvision.add(c);
      }
    }
    if (toProvision.isEmpty()) {
      return chosen.getMetadata().getName();
    }
    for (PersistentVolumeClaim c : toProvision) {
      if (matchingPv(c, chosen) != null) {
        continue; // the PV binder binds it (FindMatchingVolume returns pre-bound PVs)
      }
      sim.kube
          .persistentVolumeClaims()
          .inNamespace(ns)
          .withName(c.getMetadata().getName())
          .edit(
              x -> {
                Map<String, String> a =
                    x.getMetadata().getAnnotations() == null
                        ? new HashMap<>()
                        : new HashMap<>(x.getMetadata().getAnnotations());
                a.put(K.SELECTED_NODE, chosen.getMetadata().getName());
                x.getMetadata().setAnnotations(a);
                return x;
              });
      sim.note(
          name(), "selected node " + chosen.getMetadata().getName() + " for claim " + K.key(c));
    }
    return null; // bound to the node once its claims are Bound (PreBind)
  }

  private boolean fits(Pod p, Node n, List<Node> nodes, List<Pod> pods) {
    if (!K.ready(n) || Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
      return false;
    }
    for (Taint t : K.taints(n)) {
      if (("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
          && !K.tolerates(p.getSpec().getTolerations(), t)) {
        return false;
      }
    }
    if (!K.nodeMatchesPod(p, n)) {
      return false;
    }
    return spreadAllows(p, n, nodes, pods);
  }

  /** PodTopologySpread filter for zone constraints with DoNotSchedule. */
  private boolean spreadAllows(Pod p, Node n, List<Node> nodes, List<Pod> pods) {
    List<TopologySpreadConstraint> cs = p.getSpec().getTopologySpreadConstraints();
    if (cs == null) {
      return true;
    }
    for (TopologySpreadConstraint c : cs) {
      if (!"DoNotSchedule".equals(c.getWhenUnsatisfiable())) {
        continue;
      }
      String key = c.getTopologyKey();
      boolean honorAffinity = !"Ignore".equals(c.getNodeAffinityPolicy());
      boolean honorTaints = "Honor".equals(c.getNodeTaintsPolicy());
      Set<String> domains = new TreeSet<>();
      Map<String, String> nodeDomain = new HashMap<>();
      for (Node m : nodes) {
        String d = K.labels(m).get(key);
        if (d == null) {
          continue;
        }
        if (honorAffinity && !K.nodeMatchesPod(p, m)) {
          continue;
        }
        if (honorTaints
            && K.taints(m).stream()
                .anyMatch(
                    t ->
                        ("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                            && !K.tolerates(p.getSpec().getTolerations(), t))) {
          continue;
        }
        domains.add(d);
        nodeDomain.put(m.getMetadata().getName(), d);
      }
      String own = K.labels(n).get(key);
      if (own == null || !domains.contains(own)) {
        return false;
      }
      Map<String, Long> count = new HashMap<>();
      domains.forEach(d -> count.put(d, 0L));
      for (Pod q : pods) {
        if (q.getSpec().getNodeName() == null
            || K.terminating(q)
            || !Objects.equals(q.getMetadata().getNamespace(), p.getMetadata().getNamespace())
            || !K.selects(c.getLabelSelector(), K.labels(q))) {
          continue;
        }
        String d = nodeDomain.get(q.getSpec().getNodeName());
        if (d != null) {
          count.merge(d, 1L, Long::sum);
        }
      }
      long min = count.values().stream().mapToLong(Long::longValue).min().orElse(0);
      if (count.get(own) + 1 - min > c.getMaxSkew()) {
        return false;
      }
    }
    return true;
  }

  private Map<String, Long> spreadCounts(Pod p, List<Pod> pods, List<Node> nodes) {
    Map<String, String> zoneOf = new HashMap<>();
    for (Node n : sim.kube.nodes().list().getItems()) {
      zoneOf.put(n.getMetadata().getName(), K.zone(n));
    }
    Map<String, String> own = K.labels(p);
    Map<String, Long> out = new HashMap<>();
    for (Pod q : pods) {
      if (q.getSpec().getNodeName() == null
          || K.terminating(q)
          || Objects.equals(q.getMetadata().getUid(), p.getMetadata().getUid())
          || !Objects.equals(q.getMetadata().getNamespace(), p.getMetadata().getNamespace())
          || !Objects.equals(K.labels(q).get("app"), own.get("app"))) {
        continue;
      }
      String z = zoneOf.get(q.getSpec().getNodeName());
      if (z != null) {
        out.merge(z, 1L, Long::sum);
      }
    }
    return out;
  }

  private boolean volumesFit(
      List<PersistentVolumeClaim> claims, Node n, Map<String, StorageClass> classes) {
    for (PersistentVolumeClaim c : claims) {
      if ("Bound".equals(phase(c))) {
        PersistentVolume pv =
            sim.kube.persistentVolumes().withName(c.getSpec().getVolumeName()).get();
        if (pv == null || !K.pvAllows(pv, n)) {
          return false;
        }
        continue;
      }
      StorageClass sc = classes.get(c.getSpec().getStorageClassName());
      boolean delayed = sc != null && "WaitForFirstConsumer".equals(sc.getVolumeBindingMode());
      if (!delayed) {
        return false; // Immediate: the PV binder must bind it first
      }
      String volumeName = c.getSpec().getVolumeName();
      if (volumeName != null && !volumeName.isEmpty()) {
        PersistentVolume pv = sim.kube.persistentVolumes().withName(volumeName).get();
        if (pv == null || !K.pvAllows(pv, n)) {
          return false;
        }
        continue;
      }
      PersistentVolume pre = matchingPv(c, null);
      if (pre != null && !K.pvAllows(pre, n)) {
        return false; // a PV pre-bound to this claim decides the zone
      }
      String selected = K.annotations(c).get(K.SELECTED_NODE);
      if (pre == null && selected != null && !selected.equals(n.getMetadata().getName())) {
        return false;
      }
    }
    return true;
  }

  /** A PV pre-bound to the claim that satisfies it (and that the node allows, if given). */
  private PersistentVolume matchingPv(PersistentVolumeClaim c, Node n) {
    return sim.kube.persistentVolumes().list().getItems().stream()
        .filter(pv -> !K.terminating(pv))
        .filter(pv -> PvController.namesClaim(pv, c) && PvController.satisfies(pv, c))
        .filter(pv -> n == null || K.pvAllows(pv, n))
        .findFirst()
        .orElse(null);
  }

  private static String phase(PersistentVolumeClaim c) {
    return c.getStatus() == null ? null : c.getStatus().getPhase();
  }
}
