package io.zoneguard.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable state of one failover or failback, kept as JSON in the StatefulSet's {@link
 * Keys#FAILOVER_ANNOTATION}: the plan it runs (fixed at the start, so a re-run after a crash
 * resumes the same moves even though the cluster has changed meanwhile), the steps done with their
 * times, the volumes and snapshots it made, and who runs it. Unfinished, it is the lock; finished,
 * it is the report.
 */
public record FailoverRecord(
    String id,
    String holder,
    String startedAt,
    String heartbeatAt,
    String finishedAt,
    String error,
    FailoverPlan plan,
    List<StepRun> steps,
    Map<String, String> newVolumes,
    Map<String, String> snapshots) {

  public FailoverRecord {
    steps = steps == null ? List.of() : List.copyOf(steps);
    newVolumes = newVolumes == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(newVolumes));
    snapshots = snapshots == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(snapshots));
  }

  /** One finished step: how long it took and what it did. */
  public record StepRun(String id, double seconds, String detail) {}

  public static FailoverRecord start(String id, String holder, String now, FailoverPlan plan) {
    return new FailoverRecord(id, holder, now, now, null, null, plan, null, null, null);
  }

  public String kind() {
    return plan.kind();
  }

  public boolean finished() {
    return finishedAt != null;
  }

  public boolean done(String step) {
    return steps.stream().anyMatch(s -> s.id().equals(step));
  }

  public FailoverRecord withStep(StepRun run) {
    List<StepRun> all = new ArrayList<>(steps);
    all.removeIf(s -> s.id().equals(run.id()));
    all.add(run);
    return new FailoverRecord(
        id, holder, startedAt, heartbeatAt, finishedAt, null, plan, all, newVolumes, snapshots);
  }

  public FailoverRecord withVolumes(Map<String, String> volumes) {
    return new FailoverRecord(
        id, holder, startedAt, heartbeatAt, finishedAt, error, plan, steps, volumes, snapshots);
  }

  public FailoverRecord withSnapshots(Map<String, String> snaps) {
    return new FailoverRecord(
        id, holder, startedAt, heartbeatAt, finishedAt, error, plan, steps, newVolumes, snaps);
  }

  public FailoverRecord withHolder(String who, String now) {
    return new FailoverRecord(
        id, who, startedAt, now, finishedAt, error, plan, steps, newVolumes, snapshots);
  }

  public FailoverRecord withError(String message, String now) {
    return new FailoverRecord(
        id, holder, startedAt, now, finishedAt, message, plan, steps, newVolumes, snapshots);
  }

  public FailoverRecord finish(String now) {
    return new FailoverRecord(
        id, holder, startedAt, now, now, null, plan, steps, newVolumes, snapshots);
  }

  /**
   * A deterministic PV name, so a re-run finds the PV an earlier run created. Too long a name is
   * cut and ends in a hash of the whole (still unique, still deterministic, ends alphanumeric as a
   * DNS subdomain must).
   */
  public static String pvName(String failoverId, String pvc) {
    return KubeName.subdomain("zoneguard-" + failoverId + "-" + pvc);
  }
}
