package io.zoneguard.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The controllers a real cluster runs and the fabric8 CRUD mock does not, played explicitly and
 * simply, every 100 ms, for one namespace:
 *
 * <ul>
 *   <li>PV binder: a PVC naming a PV ({@code volumeName}) whose claimRef is that PVC becomes Bound,
 *       and the PV too;
 *   <li>StatefulSet controller: a missing pod {@code <sts>-<i>} is recreated (it does not recreate
 *       missing PVCs: kubernetes#89910 for a pod that exists; the tests never need the other case);
 *       readyReplicas is the number of Ready pods;
 *   <li>scheduler and kubelet: a Pending pod whose claim is Bound (not Terminating) is placed on a
 *       Ready, schedulable node of its PV's zone that the StatefulSet's zone affinity allows, and
 *       becomes Running and Ready;
 *   <li>pod GC: a pod on a NotReady node carrying the out-of-service taint is deleted.
 * </ul>
 *
 * Not played: graceful termination delays, volume attach/detach, kubelet mounts.
 */
public final class FakeControllers implements AutoCloseable {
  private final KubernetesClient kube;
  private final EksWorld world;
  private final String namespace;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final AtomicReference<Throwable> lastError = new AtomicReference<>();

  public FakeControllers(KubernetesClient kube, EksWorld world) {
    this.kube = kube;
    this.world = world;
    this.namespace = world.namespace();
    loop.scheduleWithFixedDelay(this::tick, 0, 100, TimeUnit.MILLISECONDS);
  }

  /** The last error one of the loops hit (null when none): tests may assert on it. */
  public Throwable lastError() {
    return lastError.get();
  }

  private void tick() {
    try {
      bind();
      collectGarbage();
      runDrillMountPods();
      for (StatefulSet s : kube.apps().statefulSets().inNamespace(namespace).list().getItems()) {
        reconcile(s);
      }
    } catch (RuntimeException e) {
      // conflicts with the test's own writes: the next tick retries; say so once per kind
      Throwable before = lastError.getAndSet(e);
      if (before == null || !String.valueOf(before.getMessage()).equals(e.getMessage())) {
        System.err.println("FakeControllers: " + e);
      }
    }
  }

  private void bind() {
    Map<String, PersistentVolume> pvs =
        kube.persistentVolumes().list().getItems().stream()
            .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
    // every namespace: drills bind claims in their scratch namespaces
    for (PersistentVolumeClaim c :
        kube.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
      String name = c.getSpec().getVolumeName();
      PersistentVolume pv = name == null ? null : pvs.get(name);
      boolean bound = c.getStatus() != null && "Bound".equals(c.getStatus().getPhase());
      if (pv == null || bound || pv.getSpec().getClaimRef() == null) {
        continue;
      }
      if (!c.getMetadata().getName().equals(pv.getSpec().getClaimRef().getName())
          || !c.getMetadata().getNamespace().equals(pv.getSpec().getClaimRef().getNamespace())) {
        continue;
      }
      kube.persistentVolumeClaims()
          .inNamespace(c.getMetadata().getNamespace())
          .withName(c.getMetadata().getName())
          .editStatus(
              x -> {
                if (x.getStatus() == null) {
                  x.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus());
                }
                x.getStatus().setPhase("Bound");
                x.getStatus()
                    .setCapacity(Map.of("storage", pv.getSpec().getCapacity().get("storage")));
                return x;
              });
      kube.persistentVolumes()
          .withName(name)
          .editStatus(
              x -> {
                x.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeStatus());
                x.getStatus().setPhase("Bound");
                return x;
              });
    }
  }

  /**
   * Scheduler and kubelet for drill mount pods (label {@code zoneguard.io/role=drill-mount}): once
   * the pod's claim is Bound, it is placed on a Ready node of its PV's zone and Running (the volume
   * attached and mounted); while the claim is not Bound it stays Pending, as the scheduler keeps a
   * pod with an unbound immediate claim unschedulable.
   */
  private void runDrillMountPods() {
    for (Pod p :
        kube.pods()
            .inAnyNamespace()
            .withLabel("zoneguard.io/role", "drill-mount")
            .list()
            .getItems()) {
      if (p.getSpec().getNodeName() != null) {
        continue;
      }
      String ns = p.getMetadata().getNamespace();
      String claim = p.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName();
      PersistentVolumeClaim c = kube.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
      if (c == null || c.getStatus() == null || !"Bound".equals(c.getStatus().getPhase())) {
        continue;
      }
      String zone = zoneOf(kube.persistentVolumes().withName(c.getSpec().getVolumeName()).get());
      String node =
          kube.nodes().withLabel("topology.kubernetes.io/zone", zone).list().getItems().stream()
              .filter(FakeControllers::ready)
              .map(n -> n.getMetadata().getName())
              .sorted()
              .findFirst()
              .orElse(null);
      if (node == null) {
        continue;
      }
      kube.pods()
          .inNamespace(ns)
          .withName(p.getMetadata().getName())
          .edit(
              x -> {
                x.getSpec().setNodeName(node);
                return x;
              });
      kube.pods()
          .inNamespace(ns)
          .withName(p.getMetadata().getName())
          .editStatus(
              x -> {
                x.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
                x.getStatus().setPhase("Running");
                return x;
              });
    }
  }

  private void collectGarbage() {
    for (Node n : kube.nodes().list().getItems()) {
      boolean tainted =
          n.getSpec().getTaints() != null
              && n.getSpec().getTaints().stream()
                  .anyMatch(t -> "node.kubernetes.io/out-of-service".equals(t.getKey()));
      if (tainted && !ready(n)) {
        for (Pod p : kube.pods().inNamespace(namespace).list().getItems()) {
          if (n.getMetadata().getName().equals(p.getSpec().getNodeName())) {
            kube.resource(p).delete();
          }
        }
      }
    }
  }

  private void reconcile(StatefulSet s) {
    String sts = s.getMetadata().getName();
    int ready = 0;
    for (int i = 0; i < s.getSpec().getReplicas(); i++) {
      String claim = "data-" + sts + "-" + i;
      Pod pod = kube.pods().inNamespace(namespace).withName(sts + "-" + i).get();
      if (pod == null) {
        world.createPod(sts, i, null, claim, false);
        continue;
      }
      if (pod.getSpec().getNodeName() == null) {
        String node = place(s, claim);
        if (node != null) {
          kube.resource(pod).delete();
          world.createPod(sts, i, node, claim, true);
        }
        continue;
      }
      boolean podReady =
          pod.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (podReady) {
        ready++;
      }
    }
    int readyReplicas = ready;
    if (s.getStatus() == null || !Objects.equals(s.getStatus().getReadyReplicas(), ready)) {
      kube.apps()
          .statefulSets()
          .inNamespace(namespace)
          .withName(sts)
          .editStatus(
              x -> {
                x.getStatus().setReadyReplicas(readyReplicas);
                return x;
              });
    }
  }

  /** A node for a Pending pod, or null while it cannot be scheduled. */
  private String place(StatefulSet s, String claim) {
    PersistentVolumeClaim c =
        kube.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
    if (c == null
        || c.getMetadata().getDeletionTimestamp() != null
        || c.getStatus() == null
        || !"Bound".equals(c.getStatus().getPhase())) {
      return null;
    }
    PersistentVolume pv = kube.persistentVolumes().withName(c.getSpec().getVolumeName()).get();
    String zone = zoneOf(pv);
    if (zoneRequirements(s).stream().anyMatch(r -> r.startsWith("NotIn ") && r.contains(zone))
        || zoneRequirements(s).stream().anyMatch(r -> r.startsWith("In ") && !r.contains(zone))) {
      return null;
    }
    // the scheduler's NodeAffinity filter also applies the template's nodeSelector
    var selector = s.getSpec().getTemplate().getSpec().getNodeSelector();
    if (selector != null
        && selector.containsKey("topology.kubernetes.io/zone")
        && !zone.equals(selector.get("topology.kubernetes.io/zone"))) {
      return null;
    }
    return kube.nodes().withLabel("topology.kubernetes.io/zone", zone).list().getItems().stream()
        .filter(FakeControllers::ready)
        .filter(n -> !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
        .map(n -> n.getMetadata().getName())
        .sorted()
        .findFirst()
        .orElse(null);
  }

  /** The zone of a PV with one zone term, as PvFactory and the CSI driver write it. */
  public static String zoneOf(PersistentVolume pv) {
    return pv.getSpec()
        .getNodeAffinity()
        .getRequired()
        .getNodeSelectorTerms()
        .get(0)
        .getMatchExpressions()
        .get(0)
        .getValues()
        .get(0);
  }

  /** The StatefulSet template's required zone requirements, as {@code "NotIn [us-east-1b]"}. */
  public static List<String> zoneRequirements(StatefulSet s) {
    var affinity = s.getSpec().getTemplate().getSpec().getAffinity();
    if (affinity == null
        || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return List.of();
    }
    return affinity
        .getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms()
        .stream()
        .flatMap(t -> t.getMatchExpressions().stream())
        .filter(e -> "topology.kubernetes.io/zone".equals(e.getKey()))
        .map(e -> e.getOperator() + " " + e.getValues())
        .toList();
  }

  private static boolean ready(Node n) {
    return n.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
