package io.zoneguard.testing.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/**
 * The kubelets of all nodes plus the attach/detach controller, with real EC2 calls on moto:
 *
 * <ul>
 *   <li>a kubelet acts only while its node's EC2 instance runs and it reaches the API server (not
 *       partitioned): on a dead or cut-off node nothing happens, so a pod there never finishes
 *       terminating, and on a partitioned node its containers keep running;
 *   <li>start ({@code kubelet.go} syncPod, WaitForAttachAndMount): every claim Bound, every volume
 *       attached to this node's instance ({@code AttachVolume}; a volume attached elsewhere is a
 *       Multi-Attach error: wait), then the containers run, Running and Ready;
 *   <li>graceful termination ({@code killPod} with the grace period): the pod stays Ready and its
 *       containers keep writing for {@link Sim#GRACE_TICKS} rounds, then they stop and the kubelet
 *       deletes the pod object (grace 0);
 *   <li>containers whose pod object is gone are killed when the kubelet can act; a stopped instance
 *       kills every container on it;
 *   <li>detach ({@code pkg/controller/volume/attachdetach} reconciler): a volume no pod object on
 *       the node uses is detached once the node's containers no longer use it; on a node whose
 *       kubelet cannot confirm that, only with the out-of-service taint (KEP-2268), otherwise after
 *       maxWaitForUnmountDuration (6 min: never within a scenario); and not at once, but {@link
 *       Sim#DETACH_ROUNDS} rounds after the volume became free (unmount, the reconciler's next
 *       pass, EBS's {@code detaching}), so a snapshot taken too early sees it {@code in-use}.
 * </ul>
 */
final class Kubelet implements Sim.Controller {
  private final Sim sim;
  private final Map<String, Integer> seenDeleting = new HashMap<>();
  private final Map<String, Integer> seenScheduled = new HashMap<>();

  /** Rounds each volume has been free to detach, for {@link Sim#DETACH_ROUNDS}. */
  private final Map<String, Integer> freeFor = new HashMap<>();

  /** Volume to instance, for every attachment this controller made and has not detached yet. */
  private final Map<String, String> attachedTo = new HashMap<>();

  Kubelet(Sim sim) {
    this.sim = sim;
  }

  @Override
  public String name() {
    return "KUBLT";
  }

  @Override
  public void reconcile() {
    Map<String, Node> nodes = new HashMap<>();
    sim.kube.nodes().list().getItems().forEach(n -> nodes.put(n.getMetadata().getName(), n));
    // a stopped or terminated instance, or a hung OS: its processes are gone
    sim.running
        .values()
        .removeIf(
            c -> {
              Node n = nodes.get(c.node());
              boolean dead = n == null || !sim.instanceRunning(n) || sim.hung.contains(c.node());
              if (dead) {
                sim.note(name(), "containers of " + c.pod() + " died with node " + c.node());
              }
              return dead;
            });
    List<Pod> pods = sim.kube.pods().inAnyNamespace().list().getItems();
    Set<String> podUids = new HashSet<>();
    for (Pod p : pods) {
      podUids.add(p.getMetadata().getUid());
      if (!K.terminating(p) && !K.hasFinalizer(p, K.GRACEFUL)) {
        addGracefulFinalizer(p); // API server semantics for every pod, zoneguard's included
      }
      String nodeName = p.getSpec().getNodeName();
      if (nodeName == null && K.terminating(p)) {
        // API server semantics for a delete by a controller of the simulation: an unscheduled pod
        // has no kubelet to confirm, so it goes at once (pkg/registry/core/pod/strategy.go
        // CheckGracefulDelete: "if the pod is not scheduled, delete immediately")
        sim.note(name(), "unscheduled pod " + K.key(p) + " deleted at once");
        sim.forceRemove(p.getMetadata().getNamespace(), p.getMetadata().getName());
        continue;
      }
      Node n = nodeName == null ? null : nodes.get(nodeName);
      if (n == null || !sim.kubeletUp(n)) {
        continue;
      }
      if (K.terminating(p)) {
        terminate(p);
      } else {
        start(p, n);
      }
    }
    // housekeeping: containers whose pod object is gone, on nodes whose kubelet can act
    sim.running
        .values()
        .removeIf(
            c -> {
              Node n = nodes.get(c.node());
              boolean orphan = !podUids.contains(c.uid()) && n != null && sim.kubeletUp(n);
              if (orphan) {
                sim.note(name(), "killed orphaned containers of " + c.pod() + " on " + c.node());
              }
              return orphan;
            });
    detach(nodes, pods);
  }

  private void addGracefulFinalizer(Pod p) {
    sim.kube
        .pods()
        .inNamespace(p.getMetadata().getNamespace())
        .withName(p.getMetadata().getName())
        .edit(
            x -> {
              List<String> f =
                  x.getMetadata().getFinalizers() == null
                      ? new ArrayList<>()
                      : new ArrayList<>(x.getMetadata().getFinalizers());
              if (!f.contains(K.GRACEFUL)) {
                f.add(K.GRACEFUL);
              }
              x.getMetadata().setFinalizers(f);
              return x;
            });
  }

  private void terminate(Pod p) {
    String uid = p.getMetadata().getUid();
    int since = seenDeleting.computeIfAbsent(uid, u -> sim.tick());
    if (sim.tick() - since < Sim.GRACE_TICKS) {
      return; // mysqld shutting down: still Ready, still writing
    }
    Sim.Container c = sim.running.get(K.key(p));
    if (c != null && c.uid().equals(uid)) {
      sim.running.remove(K.key(p));
    }
    sim.note(name(), "pod " + K.key(p) + " terminated on " + p.getSpec().getNodeName());
    sim.forceRemove(p.getMetadata().getNamespace(), p.getMetadata().getName());
    seenDeleting.remove(uid);
  }

  private void start(Pod p, Node n) {
    String key = K.key(p);
    String uid = p.getMetadata().getUid();
    Sim.Container c = sim.running.get(key);
    if (c != null && c.uid().equals(uid)) {
      return;
    }
    if (c != null) {
      // two pods of one identity would run at once: only possible after a force delete
      sim.note(
          name(),
          "SPLIT BRAIN: "
              + key
              + " starts on "
              + n.getMetadata().getName()
              + " while its old containers run on "
              + c.node());
      return;
    }
    String ns = p.getMetadata().getNamespace();
    List<String> volumes = new ArrayList<>();
    for (String claimName : K.claimNames(p)) {
      PersistentVolumeClaim claim =
          sim.kube.persistentVolumeClaims().inNamespace(ns).withName(claimName).get();
      if (claim == null
          || claim.getStatus() == null
          || !"Bound".equals(claim.getStatus().getPhase())) {
        return;
      }
      PersistentVolume pv =
          sim.kube.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
      if (pv == null || pv.getSpec().getCsi() == null) {
        if (pv != null && pv.getSpec().getHostPath() != null) {
          continue; // local volume: nothing to attach
        }
        return;
      }
      String vol = pv.getSpec().getCsi().getVolumeHandle();
      if (!attached(vol, Sim.instanceId(n))) {
        return;
      }
      volumes.add(vol);
    }
    int since = seenScheduled.computeIfAbsent(uid, u -> sim.tick());
    if (sim.tick() - since < Sim.START_TICKS) {
      return;
    }
    seenScheduled.remove(uid);
    Sim.Container started =
        new Sim.Container(key, uid, n.getMetadata().getName(), volumes, sim.tick());
    sim.running.put(key, started);
    sim.starts.add(started);
    PodCondition ready = new PodConditionBuilder().withType("Ready").withStatus("True").build();
    sim.kube
        .pods()
        .inNamespace(ns)
        .withName(p.getMetadata().getName())
        .editStatus(
            x -> {
              if (x.getStatus() == null) {
                // a pod as its creator sent it (zoneguard's drill mount pods): the API server
                // leaves status empty until the kubelet writes it
                x.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
              }
              x.getStatus().setPhase("Running");
              x.getStatus().setConditions(List.of(ready));
              x.getStatus().setStartTime(java.time.Instant.now().toString());
              return x;
            });
    sim.note(
        name(),
        "pod " + key + " Running+Ready on " + n.getMetadata().getName() + " with " + volumes);
  }

  /** Attached to the instance now; attaches when the volume is free; false while waiting. */
  private boolean attached(String volumeId, String instanceId) {
    List<Volume> vs = sim.ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes();
    if (vs.isEmpty()) {
      return false;
    }
    Volume v = vs.get(0);
    for (VolumeAttachment a : v.attachments()) {
      if (a.instanceId().equals(instanceId)) {
        return true;
      }
    }
    if (!"available".equals(v.stateAsString())) {
      sim.note(name(), "Multi-Attach error for " + volumeId + ": " + v.stateAsString());
      return false;
    }
    String device =
        "/dev/xvd"
            + (char) ('b' + sim.random().nextInt(20))
            + (char) ('a' + sim.random().nextInt(26));
    sim.ec2.attachVolume(r -> r.volumeId(volumeId).instanceId(instanceId).device(device));
    sim.attachedBySim.add(volumeId);
    attachedTo.put(volumeId, instanceId);
    sim.note(name(), "attached " + volumeId + " to " + instanceId);
    return true;
  }

  private void detach(Map<String, Node> nodes, List<Pod> pods) {
    Map<String, Node> byInstance = new HashMap<>();
    nodes.values().forEach(n -> byInstance.put(Sim.instanceId(n), n));
    Map<String, String> volumeOfClaim = new HashMap<>();
    for (PersistentVolume pv : sim.kube.persistentVolumes().list().getItems()) {
      var ref = pv.getSpec().getClaimRef();
      if (ref != null && pv.getSpec().getCsi() != null) {
        volumeOfClaim.put(
            ref.getNamespace() + "/" + ref.getName(), pv.getSpec().getCsi().getVolumeHandle());
      }
    }
    Set<String> wanted = new HashSet<>(); // instance|volume still used by a pod object
    for (Pod p : pods) {
      Node n = p.getSpec().getNodeName() == null ? null : nodes.get(p.getSpec().getNodeName());
      if (n == null) {
        continue;
      }
      for (String claim : K.claimNames(p)) {
        String vol = volumeOfClaim.get(p.getMetadata().getNamespace() + "/" + claim);
        if (vol != null) {
          wanted.add(Sim.instanceId(n) + "|" + vol);
        }
      }
    }
    Set<String> inUseByContainers = new HashSet<>();
    sim.running
        .values()
        .forEach(c -> c.volumes().forEach(v -> inUseByContainers.add(c.node() + "|" + v)));
    if (byInstance.isEmpty()) {
      return;
    }
    // only this controller attaches (and detaches) the pods' volumes: when every attachment it
    // made is still wanted, there is nothing to detach and no need to ask EC2 (a round's cost)
    if (attachedTo.entrySet().stream()
        .allMatch(e -> wanted.contains(e.getValue() + "|" + e.getKey()))) {
      return;
    }
    List<String> instances = new ArrayList<>(byInstance.keySet());
    Set<String> free = new HashSet<>();
    for (Volume v :
        sim.ec2
            .describeVolumes(
                r -> r.filters(f -> f.name("attachment.instance-id").values(instances)))
            .volumes()) {
      for (VolumeAttachment a : v.attachments()) {
        Node n = byInstance.get(a.instanceId());
        if (n == null
            || !sim.attachedBySim.contains(v.volumeId())
            || wanted.contains(a.instanceId() + "|" + v.volumeId())) {
          continue;
        }
        boolean confirmed =
            sim.kubeletUp(n)
                && !inUseByContainers.contains(n.getMetadata().getName() + "|" + v.volumeId());
        boolean outOfService = K.hasTaint(n, K.OUT_OF_SERVICE);
        if (!confirmed && !outOfService) {
          continue;
        }
        free.add(v.volumeId());
        if (freeFor.merge(v.volumeId(), 1, Integer::sum) < Sim.DETACH_ROUNDS) {
          continue; // unmounting, then the reconciler's next pass, then EBS's detach
        }
        freeFor.remove(v.volumeId());
        sim.ec2.detachVolume(
            r ->
                r.volumeId(v.volumeId())
                    .instanceId(a.instanceId())
                    .force(outOfService && !confirmed));
        attachedTo.remove(v.volumeId(), a.instanceId());
        sim.note(
            name(),
            "detached "
                + v.volumeId()
                + " from "
                + n.getMetadata().getName()
                + (confirmed ? "" : " (out-of-service, unconfirmed)"));
      }
    }
    // a volume a pod wants again (or that went away) starts over
    freeFor.keySet().retainAll(free);
  }
}
