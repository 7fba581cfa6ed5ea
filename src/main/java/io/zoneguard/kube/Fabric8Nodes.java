package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.Zone;
import io.zoneguard.port.Nodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * {@link Nodes} through fabric8. Plain edits: the proof that a node may be tainted (EC2 facts or
 * the operator's word) and that it may be unfenced (Ready again) is the fence and unfence steps'
 * call.
 */
public final class Fabric8Nodes implements Nodes {
  private final KubernetesClient client;

  public Fabric8Nodes(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public List<NodeFacts> list() {
    return Kube.call("list nodes", () -> client.nodes().list().getItems()).stream()
        .map(Fabric8Nodes::toFacts)
        .toList();
  }

  @Override
  public void cordon(String node) {
    edit(
        "cordon node " + node,
        node,
        n -> {
          n.getSpec().setUnschedulable(true);
          return n;
        });
  }

  @Override
  public void taintOutOfService(String node) {
    edit(
        "taint node " + node,
        node,
        n -> {
          List<Taint> taints =
              n.getSpec().getTaints() == null
                  ? new ArrayList<>()
                  : new ArrayList<>(n.getSpec().getTaints());
          if (taints.stream().noneMatch(t -> Keys.OUT_OF_SERVICE_TAINT.equals(t.getKey()))) {
            taints.add(
                new TaintBuilder()
                    .withKey(Keys.OUT_OF_SERVICE_TAINT)
                    .withValue("nodeshutdown")
                    .withEffect("NoExecute")
                    .build());
          }
          n.getSpec().setTaints(taints);
          return n;
        });
  }

  @Override
  public void unfence(String node) {
    edit(
        "unfence node " + node,
        node,
        n -> {
          n.getSpec().setUnschedulable(null);
          if (n.getSpec().getTaints() != null) {
            n.getSpec()
                .setTaints(
                    n.getSpec().getTaints().stream()
                        .filter(t -> !Keys.OUT_OF_SERVICE_TAINT.equals(t.getKey()))
                        .toList());
          }
          return n;
        });
  }

  private void edit(String operation, String node, UnaryOperator<Node> change) {
    Kube.call(
        operation,
        () ->
            client
                .nodes()
                .withName(node)
                .edit(
                    n -> {
                      if (n.getSpec() == null) {
                        // a Node without spec is legal JSON: edit it as an empty one
                        n.setSpec(new NodeSpec());
                      }
                      return change.apply(n);
                    }));
  }

  static NodeFacts toFacts(Node n) {
    var meta = Kube.required(n.getMetadata(), "node", "metadata");
    Map<String, String> labels = meta.getLabels();
    String zone = labels == null ? null : labels.get(Keys.ZONE_LABEL);
    boolean ready =
        n.getStatus() != null
            && n.getStatus().getConditions() != null
            && n.getStatus().getConditions().stream()
                .anyMatch(
                    c -> c != null && "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    List<String> taints =
        n.getSpec() == null || n.getSpec().getTaints() == null
            ? List.of()
            : n.getSpec().getTaints().stream().filter(Objects::nonNull).map(Taint::getKey).toList();
    return new NodeFacts(
        meta.getName(),
        zone == null ? null : Zone.of(zone),
        ready,
        n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable()),
        taints,
        n.getSpec() == null ? null : n.getSpec().getProviderID());
  }
}
