package io.zoneguard.testing.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node lifecycle controller, taint eviction and PodGC:
 *
 * <ul>
 *   <li>{@code pkg/controller/nodelifecycle/node_lifecycle_controller.go}: a node whose Ready is
 *       not True gets {@code node.kubernetes.io/unreachable} NoSchedule and NoExecute (removed when
 *       it is Ready again), and its pods are marked not Ready ({@code MarkPodsNotReady});
 *   <li>{@code pkg/controller/tainteviction/taint_eviction.go}: a pod on a node with a NoExecute
 *       taint it does not tolerate is deleted (gracefully); the default 300 s tolerations of
 *       unreachable/not-ready never run out within a scenario;
 *   <li>{@code pkg/controller/podgc/gc_controller.go} {@code gcTerminating}: terminating pods on a
 *       NotReady node with the out-of-service taint are force-deleted after one GC period ({@link
 *       Sim#PODGC_TICKS} rounds; 20 s upstream); {@code gcOrphaned}: pods on nodes that no longer
 *       exist are force-deleted.
 * </ul>
 */
final class NodeLifecycle implements Sim.Controller {
  private final Sim sim;
  private final Map<String, Integer> terminatingSince = new HashMap<>();

  NodeLifecycle(Sim sim) {
    this.sim = sim;
  }

  @Override
  public String name() {
    return "NODE";
  }

  @Override
  public void reconcile() {
    Map<String, Node> nodes = new HashMap<>();
    for (Node n : sim.kube.nodes().list().getItems()) {
      nodes.put(n.getMetadata().getName(), n);
      boolean ready = K.ready(n);
      boolean tainted = K.hasTaint(n, K.UNREACHABLE);
      if (ready == tainted) {
        sim.kube
            .nodes()
            .withName(n.getMetadata().getName())
            .edit(
                x -> {
                  List<Taint> t =
                      x.getSpec().getTaints() == null
                          ? new ArrayList<>()
                          : new ArrayList<>(x.getSpec().getTaints());
                  t.removeIf(y -> K.UNREACHABLE.equals(y.getKey()));
                  if (!ready) {
                    for (String effect : List.of("NoSchedule", "NoExecute")) {
                      t.add(new TaintBuilder().withKey(K.UNREACHABLE).withEffect(effect).build());
                    }
                  }
                  x.getSpec().setTaints(t);
                  return x;
                });
        sim.note(
            name(),
            (ready ? "removed" : "added") + " unreachable taints on " + n.getMetadata().getName());
      }
    }
    for (Pod p : sim.kube.pods().inAnyNamespace().list().getItems()) {
      String nodeName = p.getSpec().getNodeName();
      if (nodeName == null) {
        continue;
      }
      Node n = nodes.get(nodeName);
      var r =
          sim.kube
              .pods()
              .inNamespace(p.getMetadata().getNamespace())
              .withName(p.getMetadata().getName());
      if (n == null) {
        sim.note(name(), "PodGC: orphaned pod " + K.key(p) + " force-deleted");
        sim.forceRemove(p.getMetadata().getNamespace(), p.getMetadata().getName());
        continue;
      }
      if (!K.ready(n) && K.podReady(p)) {
        r.editStatus(
            x -> {
              x.getStatus()
                  .setConditions(
                      List.of(
                          new PodConditionBuilder().withType("Ready").withStatus("False").build()));
              return x;
            });
      }
      if (!K.terminating(p)) {
        for (Taint t : K.taints(n)) {
          if ("NoExecute".equals(t.getEffect()) && !K.tolerates(p.getSpec().getTolerations(), t)) {
            sim.note(name(), "taint eviction: delete " + K.key(p) + " (" + t.getKey() + ")");
            r.delete();
            break;
          }
        }
        continue;
      }
      if (!K.ready(n) && K.hasTaint(n, K.OUT_OF_SERVICE)) {
        int since = terminatingSince.computeIfAbsent(p.getMetadata().getUid(), u -> sim.tick());
        if (sim.tick() - since >= Sim.PODGC_TICKS) {
          sim.note(
              name(),
              "PodGC: force-delete terminating " + K.key(p) + " on out-of-service " + nodeName);
          sim.forceRemove(p.getMetadata().getNamespace(), p.getMetadata().getName());
          terminatingSince.remove(p.getMetadata().getUid());
        }
      }
    }
  }
}
