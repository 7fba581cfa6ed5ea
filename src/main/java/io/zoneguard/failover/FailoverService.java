package io.zoneguard.failover;

import io.zoneguard.backup.SetPins;
import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.RunIds;
import io.zoneguard.domain.RunIds.Kind;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.failover.steps.StepId;
import io.zoneguard.inventory.InventoryService;
import io.zoneguard.inventory.StatusReport;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.Cluster;
import io.zoneguard.port.Instances;
import io.zoneguard.port.Placement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Failover and failback of one StatefulSet: plans (or finds the unfinished run to resume), takes
 * the lock (the record annotation, written with compare-and-set), keeps the backup sets in use from
 * retention, and runs the steps.
 */
public final class FailoverService {

  private final Cluster cluster;
  private final BlockStorage storage;
  private final Instances instances;
  private final Placement placement;
  private final InventoryService inventory;
  private final FailoverPlanService plans;
  private final String clusterName;
  private final Clock clock;
  private final String holder;
  private final SetPins pins;

  public FailoverService(
      Cluster cluster,
      BlockStorage storage,
      Instances instances,
      Placement placement,
      InventoryService inventory,
      FailoverPlanService plans,
      String clusterName,
      Clock clock,
      String holder) {
    this.cluster = cluster;
    this.pins = new SetPins(cluster.statefulSets());
    this.storage = storage;
    this.instances = instances;
    this.placement = placement;
    this.inventory = inventory;
    this.plans = plans;
    this.clusterName = clusterName;
    this.clock = clock;
    this.holder = holder;
  }

  /**
   * What {@code apply} would run: a fresh plan, or the unfinished run of the same kind to resume
   * (its plan fixed at its start). {@code persisted} is the record annotation as read.
   */
  public record Start(FailoverPlan plan, FailoverRecord resume, String persisted) {
    public boolean resuming() {
      return resume != null;
    }
  }

  /** The plan with its hydration note ({@link FailoverPlanService#withHydration}). */
  public FailoverPlan withHydration(FailoverPlan p, io.zoneguard.domain.Hydration h) {
    return plans.withHydration(p, h);
  }

  public Start prepareFailover(FailoverRequest req, FailoverOptions options) {
    Current c = current(req.namespace(), req.statefulSet(), FailoverPlan.FAILOVER, options);
    if (c.unfinished() != null) {
      return new Start(c.unfinished().plan(), c.unfinished(), c.raw());
    }
    return new Start(plans.plan(req), null, c.raw());
  }

  public Start prepareFailback(String namespace, String statefulSet, FailoverOptions options) {
    Current c = current(namespace, statefulSet, FailoverPlan.FAILBACK, options);
    if (c.unfinished() != null) {
      return new Start(c.unfinished().plan(), c.unfinished(), c.raw());
    }
    FailoverRecord last = c.record();
    if (last == null || !FailoverPlan.FAILOVER.equals(last.kind())) {
      throw ZoneguardException.unsafe(
          namespace
              + "/"
              + statefulSet
              + (last == null
                  ? " has no failover recorded"
                  : " was last failed back (" + last.id() + ")")
              + ": nothing to fail back");
    }
    StatusReport report = inventory.status(namespace, Optional.of(statefulSet));
    return new Start(
        FailbackPlanner.plan(last, report.statefulSets().get(0), report.zones(), storage.zones()),
        null,
        c.raw());
  }

  /** Runs a prepared start; refused plans are refused here too. Returns the finished record. */
  public FailoverRecord apply(Start start, FailoverOptions options, Progress progress) {
    FailoverPlan plan = start.plan();
    if (plan.refused()) {
      throw ZoneguardException.unsafe(
          plan.kind() + " refused as unsafe: " + String.join("; ", plan.refusals()));
    }
    String now = clock.instant().toString();
    FailoverRecord record;
    String persisted;
    if (start.resuming()) {
      record = start.resume().withHolder(holder, now);
      persisted = start.persisted();
    } else {
      String id =
          RunIds.next(
              FailoverPlan.FAILOVER.equals(plan.kind()) ? Kind.FAILOVER : Kind.FAILBACK,
              clock.instant());
      record = FailoverRecord.start(id, holder, now, plan);
      String json = RecordCodec.write(record);
      if (!cluster
          .statefulSets()
          .replaceAnnotation(
              plan.namespace(),
              plan.statefulSet(),
              Keys.FAILOVER_ANNOTATION,
              start.persisted(),
              json)) {
        throw ZoneguardException.unsafe(
            "another failover of "
                + plan.namespace()
                + "/"
                + plan.statefulSet()
                + " started meanwhile: run 'zoneguard failover status' and decide");
      }
      persisted = json;
      cluster
          .events()
          .record(
              plan.namespace(),
              plan.statefulSet(),
              true,
              FailoverExecutor.capitalized(plan.kind()) + "Started",
              record.id()
                  + " by "
                  + holder
                  + ": moving "
                  + pvcs(plan)
                  + " to "
                  + plan.targetZones());
    }
    Set<String> sets =
        plan.volumes().stream()
            .map(PlannedVolume::backupSet)
            .filter(Objects::nonNull)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    pins.pin(plan.namespace(), plan.statefulSet(), record.id(), sets);
    FailoverRecord done =
        new FailoverExecutor(
                cluster, storage, instances, placement, clusterName, clock, options, progress)
            .run(record, persisted);
    pins.unpin(plan.namespace(), plan.statefulSet(), record.id());
    return done;
  }

  /**
   * The finished run of {@code kind} that an {@code apply} now would repeat, if any: the latest
   * record is that kind, finished, and every claim it moved is still bound to the PV it made. A
   * process killed after the record's finish write never printed "done" nor released the backup
   * sets it kept from retention; the operator's re-run of the same command lands here instead of a
   * refusal ("nothing to fail back", "no zone ... is down"), and the sets are released now
   * (idempotent) so retention is not blocked forever.
   */
  public Optional<FailoverRecord> finishedAlready(
      String namespace, String statefulSet, String kind) {
    FailoverRecord last = current(namespace, statefulSet, null, null).record();
    if (last == null || !last.finished() || !kind.equals(last.kind())) {
      return Optional.empty();
    }
    java.util.Map<String, String> bound = new java.util.HashMap<>();
    cluster.claims().list(namespace).forEach(c -> bound.put(c.ref().name(), c.volumeName()));
    boolean inPlace =
        last.plan().volumes().stream()
            .allMatch(v -> FailoverRecord.pvName(last.id(), v.pvc()).equals(bound.get(v.pvc())));
    if (!inPlace) {
      return Optional.empty();
    }
    pins.unpin(namespace, statefulSet, last.id());
    return Optional.of(last);
  }

  /** The latest failover or failback record of the StatefulSet, if any. */
  public Optional<FailoverRecord> last(String namespace, String statefulSet) {
    return Optional.ofNullable(current(namespace, statefulSet, null, null).record());
  }

  private record Current(String raw, FailoverRecord record, FailoverRecord unfinished) {}

  private Current current(
      String namespace, String statefulSet, String kind, FailoverOptions options) {
    StatefulSetFacts sts =
        cluster
            .statefulSets()
            .get(namespace, statefulSet)
            .orElseThrow(() -> ZoneguardException.nothingToFailOver(namespace, statefulSet));
    String raw = sts.annotations().get(Keys.FAILOVER_ANNOTATION);
    if (raw == null) {
      return new Current(null, null, null);
    }
    FailoverRecord r =
        RecordCodec.read(
            raw, "annotation " + Keys.FAILOVER_ANNOTATION + " of " + namespace + "/" + statefulSet);
    if (kind == null || r.finished()) {
      return new Current(raw, r, null);
    }
    // resuming: every recorded step must be one this version runs (else exit 2, nothing changed)
    r.plan().steps().forEach(s -> StepId.of(s.id()));
    long quiet = Duration.between(Instant.parse(r.heartbeatAt()), clock.instant()).toSeconds();
    if (!holder.equals(r.holder()) && quiet < options.lease().toSeconds()) {
      throw ZoneguardException.unsafe(
          r.kind()
              + " "
              + r.id()
              + " of "
              + namespace
              + "/"
              + statefulSet
              + " is being run by "
              + r.holder()
              + " (last heartbeat "
              + Text.age(quiet)
              + " ago): wait for it; if that process is gone, re-run after its "
              + Text.age(options.lease().toSeconds())
              + " lease expires");
    }
    if (!kind.equals(r.kind())) {
      throw ZoneguardException.unsafe(
          "an unfinished "
              + r.kind()
              + " ("
              + r.id()
              + ") holds "
              + namespace
              + "/"
              + statefulSet
              + ": resume it with 'zoneguard "
              + r.kind()
              + " apply' first");
    }
    return new Current(raw, r, r);
  }

  private static String pvcs(FailoverPlan plan) {
    return plan.volumes().stream().map(PlannedVolume::pvc).toList().toString();
  }
}
