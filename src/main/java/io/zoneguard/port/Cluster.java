package io.zoneguard.port;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.StatefulSetFacts;
import java.util.List;
import java.util.Optional;

/** The Kubernetes objects zoneguard reads and changes, in domain terms. */
public interface Cluster {

  boolean namespaceExists(String namespace);

  Optional<StatefulSetFacts> statefulSet(String namespace, String name);

  List<StatefulSetFacts> statefulSets(String namespace);

  List<PvcFacts> pvcs(String namespace);

  Optional<PvFacts> pv(String name);

  List<NodeFacts> nodes();

  List<PodFacts> pods(String namespace);

  /**
   * Records a Kubernetes Event on the StatefulSet (type Normal or Warning), so {@code kubectl
   * describe sts} shows what zoneguard did. Best effort: a failure to record is logged, not thrown.
   */
  void recordEvent(
      String namespace, String statefulSet, boolean warning, String reason, String message);

  /** One key of a Secret in the namespace, or empty if the Secret or key does not exist. */
  Optional<io.zoneguard.domain.Secret> secretValue(String namespace, String secret, String key);

  // ---- changes, each idempotent: applying one twice leaves the same state as once ----

  /** Marks the node unschedulable. */
  void cordon(String node);

  /**
   * Adds {@code node.kubernetes.io/out-of-service=nodeshutdown:NoExecute}, which lets Kubernetes
   * delete the node's pods and detach their volumes. Refused (unsafe) when the node is Ready,
   * unless the operator confirmed it is shut down: pods there may still be writing, and a second
   * copy of a replica would corrupt data.
   */
  void taintOutOfService(String node, boolean confirmedDown);

  /**
   * Undoes {@link #cordon} and {@link #taintOutOfService} on a node that is Ready again; refused
   * (unsafe) while it is NotReady.
   */
  void unfence(String node);

  /** Sets a PV's reclaim policy (Retain keeps the volume when its claim goes). */
  void setReclaimPolicy(String pv, String policy);

  /**
   * Replaces one annotation of the StatefulSet if it still has the {@code expected} value (null:
   * absent), atomically (optimistic concurrency on the resourceVersion). A null {@code value}
   * removes it. Returns false when the annotation had another value or a concurrent write won.
   */
  boolean replaceAnnotation(
      String namespace, String statefulSet, String key, String expected, String value);

  /**
   * Deletes a PVC. Its {@code kubernetes.io/pvc-protection} finalizer is removed only when no pod
   * that may still run (on a Ready node, not terminating) mounts it; otherwise the PVC stays
   * Terminating, as Kubernetes intends. Returns true once the PVC is gone.
   */
  boolean deletePvc(String namespace, String name);

  /**
   * Creates the static EBS PV over {@code volumeId}, pre-bound to {@code namespace/plan.pvc} and
   * pinned to {@code plan.targetZone}; a PV of a previous run is kept, not duplicated.
   */
  void createPv(String namespace, String failoverId, PlannedVolume plan, String volumeId);

  /**
   * Creates the PVC {@code plan.pvc} naming the PV of {@link #createPv}. An existing claim that
   * already names that PV (a previous run) is kept; one naming another volume is refused (unsafe).
   */
  void createClaim(String namespace, String failoverId, PlannedVolume plan);

  /** Creates a namespace with these labels; an existing one is kept. */
  void createNamespace(String name, java.util.Map<String, String> labels);

  /**
   * Deletes a drill's scratch namespace. Refused (unsafe) unless its name starts with {@code
   * zoneguard-drill-} and it carries the label {@code zoneguard.io/drill-id}. Gone already: ok.
   */
  void deleteDrillNamespace(String name);

  /**
   * Deletes a drill's PV. Refused (unsafe) unless it is labelled with a drill id and bound to a
   * claim in a drill namespace. Gone already: ok.
   */
  void deleteDrillPv(String name);

  /** Names of the PVs labelled {@code key=value}. */
  List<String> pvsLabelled(String key, String value);

  /** Deletes a pod gracefully (never forced), so its controller recreates it. */
  void deletePod(String namespace, String pod);
}
