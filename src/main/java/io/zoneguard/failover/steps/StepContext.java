package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.Poller;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.ResourceTags;
import io.zoneguard.failover.FailoverOptions;
import io.zoneguard.failover.Parallel;
import io.zoneguard.failover.Progress;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.Claims;
import io.zoneguard.port.Cluster;
import io.zoneguard.port.Instances;
import io.zoneguard.port.Nodes;
import io.zoneguard.port.PersistentVolumes;
import io.zoneguard.port.Placement;
import io.zoneguard.port.Pods;
import io.zoneguard.port.StatefulSets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * What a step sees: the role ports it may use (never the whole {@link Cluster}), the options, the
 * durable record (read, and updated through {@link #update}, which persists it at once), progress
 * output, and helpers to poll and fan out.
 */
public final class StepContext {
  private final Cluster cluster;
  private final BlockStorage storage;
  private final Instances instances;
  private final Placement placement;
  private final String clusterName;
  private final FailoverOptions options;
  private final Progress progress;
  private final Clock clock;
  private final UnaryOperator<FailoverRecord> persist;
  private FailoverRecord record;

  public StepContext(
      Cluster cluster,
      BlockStorage storage,
      Instances instances,
      Placement placement,
      String clusterName,
      FailoverOptions options,
      Progress progress,
      Clock clock,
      FailoverRecord record,
      UnaryOperator<FailoverRecord> persist) {
    this.cluster = cluster;
    this.storage = storage;
    this.instances = instances;
    this.placement = placement;
    this.clusterName = clusterName;
    this.options = options;
    this.progress = progress;
    this.clock = clock;
    this.record = record;
    this.persist = persist;
  }

  /** Nodes (fence, unfence, placement checks). */
  public Nodes nodes() {
    return cluster.nodes();
  }

  /** PersistentVolumeClaims of the plan's namespace and others. */
  public Claims claims() {
    return cluster.claims();
  }

  public PersistentVolumes persistentVolumes() {
    return cluster.persistentVolumes();
  }

  public Pods pods() {
    return cluster.pods();
  }

  public StatefulSets statefulSets() {
    return cluster.statefulSets();
  }

  public BlockStorage storage() {
    return storage;
  }

  /** The EC2 instances behind nodes (fencing). */
  public Instances instances() {
    return instances;
  }

  /** The StatefulSet template's zone constraints (pin and restore). */
  public Placement placement() {
    return placement;
  }

  public FailoverOptions options() {
    return options;
  }

  public Clock clock() {
    return clock;
  }

  public synchronized FailoverRecord record() {
    return record;
  }

  public FailoverPlan plan() {
    return record().plan();
  }

  public String namespace() {
    return plan().namespace();
  }

  public String statefulSet() {
    return plan().statefulSet();
  }

  public String id() {
    return record().id();
  }

  public void detail(String line) {
    progress.detail(line);
  }

  /** Applies a change to the record and persists it before returning. */
  public synchronized FailoverRecord update(UnaryOperator<FailoverRecord> change) {
    record = persist.apply(change.apply(record));
    return record;
  }

  /**
   * The tags every EC2 object of this run carries: the backup tags (so any tool finds it by
   * StatefulSet and PVC) plus the failover id (so a re-run finds what this run made).
   */
  public Map<String, String> tags(PlannedVolume v, String zone) {
    return ResourceTags.of(clusterName, namespace(), statefulSet(), v.pvc())
        .ordinal(v.ordinal())
        .zone(zone)
        .failover(id());
  }

  /** Polls until {@code done} or the timeout; then fails with {@code why}'s message. */
  public void await(
      Duration timeout, BooleanSupplier done, java.util.function.Supplier<String> why) {
    new Poller(clock, options.pollInterval()).await(timeout, done, why);
  }

  /** Runs one call per item with up to {@code parallelism} at once; the first failure is thrown. */
  public <T, R> List<R> parallel(List<T> items, java.util.function.Function<T, R> call) {
    return Parallel.map(items, options.parallelism(), call);
  }

  /** The namespace's claims by name (one list call). */
  public Map<String, PvcFacts> claimsByName() {
    Map<String, PvcFacts> out = new HashMap<>();
    cluster.claims().list(namespace()).forEach(c -> out.put(c.ref().name(), c));
    return out;
  }

  /** The pods of the replicas this run moves ({@code <sts>-<ordinal>}), as they are now. */
  public List<PodFacts> podsOfMovedReplicas() {
    List<String> names =
        plan().volumes().stream().map(v -> statefulSet() + "-" + v.ordinal()).toList();
    return cluster.pods().list(namespace()).stream().filter(p -> names.contains(p.name())).toList();
  }
}
