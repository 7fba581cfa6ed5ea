package io.zoneguard.domain;

/** Label, annotation and tag keys zoneguard reads or writes; one place so every tool agrees. */
public final class Keys {
  private Keys() {}

  /** Label on a StatefulSet: {@code "true"} marks it as protected by zoneguard. */
  public static final String PROTECT_LABEL = "zoneguard.io/protect";

  /**
   * Annotation on a StatefulSet listing the backup sets a running failover, failback or drill
   * reads, as {@code set-id@user} entries (comma-separated; see {@link InUseSets}): retention never
   * deletes them. Each user removes only its own entries when done.
   */
  public static final String IN_USE_SETS_ANNOTATION = "zoneguard.io/sets-in-use";

  /** Annotation on a pinned StatefulSet: its template's affinity before the pin, as JSON. */
  public static final String ORIGINAL_AFFINITY_ANNOTATION = "zoneguard.io/original-affinity";

  /**
   * Annotation on a re-pinned StatefulSet: its template's nodeSelector before the pin, as JSON
   * ({@code null} when it had none). Restored together with {@link #ORIGINAL_AFFINITY_ANNOTATION}.
   */
  public static final String ORIGINAL_NODE_SELECTOR_ANNOTATION =
      "zoneguard.io/original-node-selector";

  /**
   * Annotation on a StatefulSet: the record of its latest failover or failback as JSON (id, plan,
   * steps done, new volumes, holder and heartbeat). While unfinished it is the lock that keeps a
   * second failover out, and what a re-run resumes from.
   */
  public static final String FAILOVER_ANNOTATION = "zoneguard.io/failover";

  /** Tag on volumes and snapshots, label on PVs and PVCs, that a failover or failback created. */
  public static final String TAG_FAILOVER_ID = "zoneguard.io/failover-id";

  /**
   * Tag on volumes, label on namespaces and PVs that a DR drill created: the only objects zoneguard
   * ever deletes besides expired backups (drill cleanup), and only with this tag or label.
   */
  public static final String TAG_DRILL_ID = "zoneguard.io/drill-id";

  /** Prefix of a drill's scratch namespace ({@code zoneguard-drill-<drill id>}). */
  public static final String DRILL_NAMESPACE_PREFIX = "zoneguard-drill-";

  /** Marker in a drill's scratch database names ({@code <db>_zgdrill_<suffix>}). */
  public static final String DRILL_DATABASE_MARKER = "_zgdrill_";

  public static final String OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";

  /** Kubernetes' own finalizer on claims; only its controller removes it, never zoneguard. */
  public static final String PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";

  /**
   * zoneguard's finalizer on a claim failback is about to delete: it keeps the claim Terminating
   * (so the StatefulSet controller creates neither a pod nor a template claim) until a pre-bound PV
   * holds the replica's data.
   */
  public static final String HOLD_FINALIZER = "zoneguard.io/hold";

  public static final String TAG_CLUSTER = "zoneguard.io/cluster";
  public static final String TAG_NAMESPACE = "zoneguard.io/namespace";
  public static final String TAG_STATEFULSET = "zoneguard.io/statefulset";
  public static final String TAG_PVC = "zoneguard.io/pvc";
  public static final String TAG_ORDINAL = "zoneguard.io/ordinal";
  public static final String TAG_ZONE = "zoneguard.io/zone";
  public static final String TAG_BACKUP_SET = "zoneguard.io/backup-set";

  /** Node label that carries the zone on every current Kubernetes version. */
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  /** Zone keys a PV's nodeAffinity may use, newest first. */
  public static final java.util.List<String> PV_ZONE_KEYS =
      java.util.List.of(
          ZONE_LABEL, "topology.ebs.csi.aws.com/zone", "failure-domain.beta.kubernetes.io/zone");

  public static final String EBS_CSI_DRIVER = "ebs.csi.aws.com";
  public static final String EBS_IN_TREE = "kubernetes.io/aws-ebs";
}
