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

  /** What a UID-preconditioned claim delete found. */
  enum ClaimDeletion {
    /** The claim with that UID is deleted or Terminating (finalizers still hold it). */
    ACCEPTED,
    /** No claim of that name exists. */
    GONE,
    /** The name now belongs to another claim (recreated from the template): it was not touched. */
    OTHER_UID
  }

  /**
   * Deletes the claim {@code name} only if its UID is still {@code uid} ({@code
   * DeleteOptions.preconditions.uid}), so a claim the StatefulSet controller recreated meanwhile is
   * never deleted by mistake. Finalizers are left to their owners: Kubernetes' pvc-protection
   * controller lifts its own once no scheduled pod references the claim.
   */
  ClaimDeletion deleteClaim(String namespace, String name, String uid);

  /**
   * Adds ({@code held}) or removes zoneguard's {@link io.zoneguard.domain.Keys#HOLD_FINALIZER} on
   * the claim with this UID, with optimistic concurrency. Returns false when no claim of that name
   * and UID exists (nothing changed).
   */
  boolean holdClaim(String namespace, String name, String uid, boolean held);

  /**
   * Creates the static EBS PV over {@code volumeId}, pre-bound to {@code namespace/plan.pvc},
   * pinned to {@code plan.targetZone}, presenting the volume as {@code shape}; a PV of a previous
   * run over the same volume is kept, one over another volume is refused (unsafe).
   */
  void createPv(
      String namespace,
      String failoverId,
      PlannedVolume plan,
      String volumeId,
      io.zoneguard.domain.PvShape shape);

  /**
   * Creates the claim {@code plan.pvc} naming the PV of {@link #createPv}, in {@code volumeMode}.
   * Returns false when a claim of that name already exists (left as it is: the caller decides what
   * it means).
   */
  boolean createClaim(String namespace, String failoverId, PlannedVolume plan, String volumeMode);

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
