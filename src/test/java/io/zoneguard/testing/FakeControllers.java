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
 *   <li>PV binder, unkind parts ({@code pv_controller.go} {@code syncUnboundClaim}/{@code
 *       syncVolume}): a claim without {@code volumeName} binds to a PV pre-bound to its name
 *       ({@code FindMatchingVolume} returns pre-bound PVs even under delayed binding); with none,
 *       once its pod is Pending, an EMPTY volume is provisioned in a zone the pod may run in
 *       (WaitForFirstConsumer + the EBS CSI driver); a Bound PV whose claim UID is gone becomes
 *       Released;
 *   <li>StatefulSet controller ({@code stateful_pod_control.go} {@code
 *       createPersistentVolumeClaims}, {@code createMissingPersistentVolumeClaims}, PR #113270): a
 *       missing pod {@code <sts>-<i>} is recreated after its missing claim is created from the
 *       template, but never while its claim has a deletionTimestamp ("pvc is being deleted"); a
 *       Pending pod's missing claim is recreated too; readyReplicas is the number of Ready pods;
 *   <li>pvc-protection ({@code pvc_protection_controller.go} {@code podUsesPVC}): a deleted claim's
 *       {@code kubernetes.io/pvc-protection} finalizer goes only once no scheduled pod object
 *       (terminating or on a NotReady node included) references it;
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
  private static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
  private final java.util.Set<String> emptyProvisioned =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

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
      release();
      protectClaims();
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
      boolean bound = c.getStatus() != null && "Bound".equals(c.getStatus().getPhase());
      if (bound || c.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (name == null) {
        // FindMatchingVolume: a PV pre-bound to this claim, capacity and modes permitting
        name =
            pvs.values().stream()
                .filter(pv -> preBoundTo(pv, c))
                .map(pv -> pv.getMetadata().getName())
                .findFirst()
                .orElse(null);
        if (name == null) {
          provisionIfScheduled(c);
          continue;
        }
        String chosen = name;
        kube.resource(c).edit(x -> withVolumeName(x, chosen));
      }
      PersistentVolume pv = pvs.get(name);
      if (pv == null || !preBoundTo(pv, c)) {
        continue; // upstream: the claim stays Pending, "volume already bound to another claim"
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
      String uid = c.getMetadata().getUid();
      kube.persistentVolumes()
          .withName(name)
          .edit(
              x -> {
                x.getSpec().getClaimRef().setUid(uid);
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

  private static PersistentVolumeClaim withVolumeName(PersistentVolumeClaim c, String pv) {
    c.getSpec().setVolumeName(pv);
    return c;
  }

  /**
   * The PV binder's pre-bound check: claimRef names this claim, with no UID or this claim's UID,
   * and the PV is not Released; volumeMode equal (nil means Filesystem), access modes a superset.
   */
  private static boolean preBoundTo(PersistentVolume pv, PersistentVolumeClaim c) {
    var ref = pv.getSpec().getClaimRef();
    boolean released = pv.getStatus() != null && "Released".equals(pv.getStatus().getPhase());
    return ref != null
        && !released
        && c.getMetadata().getName().equals(ref.getName())
        && c.getMetadata().getNamespace().equals(ref.getNamespace())
        && (ref.getUid() == null || ref.getUid().equals(c.getMetadata().getUid()))
        && Objects.equals(mode(pv.getSpec().getVolumeMode()), mode(c.getSpec().getVolumeMode()))
        && pv.getSpec().getAccessModes().containsAll(c.getSpec().getAccessModes());
  }

  private static String mode(String m) {
    return m == null ? "Filesystem" : m;
  }

  /**
   * WaitForFirstConsumer: once the claim's pod is Pending, the scheduler picks a node the template
   * allows and the CSI driver provisions an empty volume there.
   */
  private void provisionIfScheduled(PersistentVolumeClaim c) {
    String claim = c.getMetadata().getName();
    if (!namespace.equals(c.getMetadata().getNamespace())) {
      return;
    }
    for (StatefulSet s : kube.apps().statefulSets().inNamespace(namespace).list().getItems()) {
      String prefix = "data-" + s.getMetadata().getName() + "-";
      if (!claim.startsWith(prefix)) {
        continue;
      }
      Pod pod =
          kube.pods().inNamespace(namespace).withName(claim.substring("data-".length())).get();
      if (pod == null || pod.getSpec().getNodeName() != null) {
        return;
      }
      List<String> zoneReqs = zoneRequirements(s);
      Node node =
          kube.nodes().list().getItems().stream()
              .filter(FakeControllers::ready)
              .filter(n -> !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
              .filter(
                  n -> {
                    String z = n.getMetadata().getLabels().get("topology.kubernetes.io/zone");
                    return zoneReqs.stream()
                        .noneMatch(r -> r.startsWith("NotIn ") && r.contains(z));
                  })
              .min(java.util.Comparator.comparing(n -> n.getMetadata().getName()))
              .orElse(null);
      if (node == null) {
        return;
      }
      String zone = node.getMetadata().getLabels().get("topology.kubernetes.io/zone");
      String size = c.getSpec().getResources().getRequests().get("storage").getAmount();
      String pv =
          world.provisionEmpty(claim, c.getMetadata().getUid(), zone, Integer.parseInt(size));
      emptyProvisioned.add(claim);
      kube.resource(c).edit(x -> withVolumeName(x, pv));
      return;
    }
  }

  /** A Bound PV whose claim (by UID) is gone becomes Released and never rebinds. */
  private void release() {
    for (PersistentVolume pv : kube.persistentVolumes().list().getItems()) {
      var ref = pv.getSpec().getClaimRef();
      boolean bound = pv.getStatus() != null && "Bound".equals(pv.getStatus().getPhase());
      if (!bound || ref == null || ref.getUid() == null) {
        continue;
      }
      PersistentVolumeClaim c =
          kube.persistentVolumeClaims()
              .inNamespace(ref.getNamespace())
              .withName(ref.getName())
              .get();
      if (c == null || !ref.getUid().equals(c.getMetadata().getUid())) {
        kube.persistentVolumes()
            .withName(pv.getMetadata().getName())
            .editStatus(
                x -> {
                  x.getStatus().setPhase("Released");
                  return x;
                });
      }
    }
  }

  /** pvc-protection: lift the finalizer of a deleted claim once no scheduled pod references it. */
  private void protectClaims() {
    // every namespace: drills delete their claims in their scratch namespaces
    List<Pod> pods = kube.pods().inAnyNamespace().list().getItems();
    for (PersistentVolumeClaim c :
        kube.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
      List<String> fin = c.getMetadata().getFinalizers();
      if (c.getMetadata().getDeletionTimestamp() == null
          || fin == null
          || !fin.contains(PVC_PROTECTION)) {
        continue;
      }
      String ns = c.getMetadata().getNamespace();
      String name = c.getMetadata().getName();
      boolean used =
          pods.stream()
              .filter(p -> ns.equals(p.getMetadata().getNamespace()))
              .filter(p -> p.getSpec().getNodeName() != null)
              .anyMatch(p -> claimsOf(p).contains(name));
      if (!used) {
        kube.persistentVolumeClaims()
            .inNamespace(ns)
            .withName(name)
            .edit(
                x -> {
                  x.getMetadata()
                      .setFinalizers(
                          x.getMetadata().getFinalizers().stream()
                              .filter(f -> !PVC_PROTECTION.equals(f))
                              .toList());
                  return x;
                });
      }
    }
  }

  private static List<String> claimsOf(Pod p) {
    return p.getSpec().getVolumes() == null
        ? List.of()
        : p.getSpec().getVolumes().stream()
            .filter(v -> v.getPersistentVolumeClaim() != null)
            .map(v -> v.getPersistentVolumeClaim().getClaimName())
            .toList();
  }

  /** Claims provisioned empty from the template (I1 is violated when a replica mounts one). */
  public java.util.Set<String> emptyProvisioned() {
    return java.util.Set.copyOf(emptyProvisioned);
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
      PersistentVolumeClaim pvc =
          kube.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
      if (pvc == null && (pod == null || pod.getSpec().getNodeName() == null)) {
        createClaimFromTemplate(s, claim);
      }
      if (pod == null) {
        if (pvc != null && pvc.getMetadata().getDeletionTimestamp() != null) {
          continue; // "pvc is being deleted": no pod until the claim is gone
        }
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

  private void createClaimFromTemplate(StatefulSet s, String claim) {
    var template = s.getSpec().getVolumeClaimTemplates().get(0);
    kube.resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(claim)
                .withNamespace(namespace)
                .withLabels(s.getSpec().getSelector().getMatchLabels())
                .withFinalizers(PVC_PROTECTION)
                .endMetadata()
                .withSpec(
                    new io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder(
                            template.getSpec())
                        .build())
                .build())
        .create();
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
