package io.zoneguard.port;

import io.zoneguard.domain.NodeFacts;
import java.util.List;

/**
 * Kubernetes nodes: read them, fence and unfence them. Plain operations: which nodes may be tainted
 * (proof that the instance is down) and which may be unfenced (Ready again) is decided by the fence
 * and unfence steps, where the plan and its tests see it.
 */
public interface Nodes {

  List<NodeFacts> list();

  /** Marks the node unschedulable. Idempotent. */
  void cordon(String node);

  /**
   * Adds {@code node.kubernetes.io/out-of-service=nodeshutdown:NoExecute}, which lets Kubernetes
   * delete the node's pods and detach their volumes. The caller must have proven the node down: the
   * taint lets PodGC force-delete pods that may still be writing. Idempotent.
   */
  void taintOutOfService(String node);

  /** Undoes {@link #cordon} and {@link #taintOutOfService}. Idempotent. */
  void unfence(String node);
}
