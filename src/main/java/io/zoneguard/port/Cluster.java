package io.zoneguard.port;

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
   * delete the node's pods and detach their volumes. Refused (unsafe) when the node is Ready: pods
   * there may still be writing, and a second copy of a replica would corrupt data.
   */
  void taintOutOfService(String node);

  /** Sets a PV's reclaim policy (Retain keeps the volume when its claim goes). */
  void setReclaimPolicy(String pv, String policy);

  /**
   * Requires the StatefulSet's pods to run in these zones: a required node-affinity term on the
   * zone label, merged with the template's existing affinity. The template's original affinity is
   * kept (once) in an annotation so failback can restore it.
   */
  void pinStatefulSetToZones(String namespace, String statefulSet, List<String> zones);

  /**
   * Deletes a PVC. Its {@code kubernetes.io/pvc-protection} finalizer is removed only when no pod
   * that may still run (on a Ready node, not terminating) mounts it; otherwise the PVC stays
   * Terminating, as Kubernetes intends. Returns true once the PVC is gone.
   */
  boolean deletePvc(String namespace, String name);

  /**
   * Creates the static EBS PV pre-bound to {@code namespace/plan.pvc} and the PVC naming it ({@link
   * io.zoneguard.domain.FailoverPlan.PlannedVolume}); existing objects of a previous run are kept,
   * not duplicated.
   */
  void createPreBoundClaim(
      String namespace,
      String failoverId,
      io.zoneguard.domain.FailoverPlan.PlannedVolume plan,
      String volumeId,
      List<String> accessModes,
      java.util.Map<String, String> labels);

  /** Deletes a pod gracefully (never forced), so its controller recreates it. */
  void deletePod(String namespace, String pod);
}
