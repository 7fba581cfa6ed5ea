package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.Step;
import io.zoneguard.domain.ZoneguardException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Every step zoneguard can run: the single source of its stable id (what the record marks done),
 * its description (plan, {@code --help}) and its implementation, and of the order in which failover
 * and failback run them. A record naming an id not here was written by another zoneguard version.
 */
public enum StepId {
  FENCE(
      "fence",
      "cordon the lost zone's nodes; taint out-of-service only nodes EC2 proves down (instance"
          + " stopped, terminated, absent, unreachable), or --confirm-nodes-down, or after"
          + " --fence stop-instances stopped them; refuse otherwise",
      Fence::new),
  UNFENCE(
      "unfence",
      "uncordon the recovered zone's Ready nodes and lift the out-of-service taint",
      Unfence::new),
  CREATE_VOLUMES(
      "create-volumes",
      "create the new volumes from snapshots in parallel, tagged with the run id",
      CreateVolumes::new),
  RETAIN_OLD_PVS(
      "retain-old-pvs", "set the current PVs to Retain before any claim goes", RetainOldPvs::new),
  CREATE_PVS(
      "create-pvs",
      "create PVs pre-bound to the claim names and pinned to the new zone, so a claim the"
          + " StatefulSet controller recreates from its template binds to the restored data",
      CreatePvs::new),
  DELETE_OLD_PVCS(
      "delete-old-pvcs",
      "delete the old claims (UID precondition) and wait until Kubernetes lets them go",
      () -> new DeleteOldPvcs(true)),
  HOLD_CLAIMS(
      "hold-claims",
      "put the zoneguard.io/hold finalizer on the moved claims, so they cannot disappear",
      HoldClaims::new),
  DELETE_CLAIMS(
      "delete-claims",
      "delete the held claims (UID precondition): they stay Terminating, and the StatefulSet"
          + " controller creates no pod and no claim while they do",
      () -> new DeleteOldPvcs(false)),
  STOP_PODS(
      "stop-pods",
      "stop the moved replicas gracefully and wait until their pods are gone (downtime starts)",
      StopMovedPods::new),
  SNAPSHOT_VOLUMES(
      "snapshot-volumes",
      "once the pods are gone and the volumes detached, snapshot them (no data loss)",
      SnapshotVolumes::new),
  RELEASE_CLAIMS(
      "release-claims",
      "remove the hold once the pre-bound PVs exist: the old claims go, and a claim recreated"
          + " from the template binds to the restored data",
      ReleaseClaims::new),
  CREATE_PVCS(
      "create-pvcs",
      "create the claims naming the new PVs (a template claim bound or binding to them counts)",
      CreatePvcs::new),
  PIN_AFFINITY(
      "pin-affinity",
      "re-pin the template away from the lost zone only if the plan's pin decision says so"
          + " (required by its zone constraints, or --pin): a template change restarts every"
          + " replica (originals saved)",
      AvoidFailedZone::new),
  RESTORE_AFFINITY(
      "restore-affinity",
      "restore the template's nodeSelector and affinity, only if the failover changed them",
      RestoreAffinity::new),
  DELETE_STUCK_PODS(
      "delete-stuck-pods",
      "delete moved replicas' pods stuck Pending or on NotReady nodes (never forced)",
      DeleteStuckPods::new),
  WAIT_READY(
      "wait-ready",
      "wait until every moved replica runs Ready in its target zone on its new claim",
      WaitReady::new);

  /** The failover order (design.md section 3). */
  public static final List<StepId> FAILOVER =
      List.of(
          FENCE,
          CREATE_VOLUMES,
          RETAIN_OLD_PVS,
          CREATE_PVS,
          DELETE_OLD_PVCS,
          CREATE_PVCS,
          PIN_AFFINITY,
          DELETE_STUCK_PODS,
          WAIT_READY);

  /**
   * The failback order. No claim can be recreated from the template while no pre-bound PV holds the
   * replica's data: the claims are held (finalizer) and deleted before the pods stop, so the
   * StatefulSet controller's {@code createPersistentVolumeClaims} answers "pvc is being deleted"
   * and creates neither claim nor pod; the hold goes only after create-pvs.
   */
  public static final List<StepId> FAILBACK =
      List.of(
          UNFENCE,
          RETAIN_OLD_PVS,
          HOLD_CLAIMS,
          DELETE_CLAIMS,
          STOP_PODS,
          SNAPSHOT_VOLUMES,
          CREATE_VOLUMES,
          CREATE_PVS,
          RELEASE_CLAIMS,
          CREATE_PVCS,
          RESTORE_AFFINITY,
          DELETE_STUCK_PODS,
          WAIT_READY);

  private final String id;
  private final String description;
  private final Supplier<FailoverStep> implementation;

  StepId(String id, String description, Supplier<FailoverStep> implementation) {
    this.id = id;
    this.description = description;
    this.implementation = implementation;
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  public FailoverStep implementation() {
    return implementation.get();
  }

  /** The plan's entry for this step, with what is specific to this plan, if anything. */
  public Step step(String specifics) {
    return new Step(
        id,
        specifics == null || specifics.isEmpty() ? description : description + ": " + specifics);
  }

  /** The step of a recorded id; an unknown one is a usage error (exit 2), never a guess. */
  public static StepId of(String id) {
    return Arrays.stream(values())
        .filter(s -> s.id.equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                ZoneguardException.usage(
                    "step '"
                        + id
                        + "' of the recorded plan is unknown to this zoneguard version: resume it"
                        + " with the version that started it"));
  }

  /**
   * Numbered lines for {@code --help}: the order and what each step does, as picocli description
   * text ({@code %n} breaks the line).
   */
  public static String help(List<StepId> order) {
    StringBuilder out = new StringBuilder();
    String indent = " ".repeat(23);
    for (int i = 0; i < order.size(); i++) {
      StringBuilder line = new StringBuilder(String.format("  %2d. %-17s", i + 1, order.get(i).id));
      for (String word : order.get(i).description.split(" ")) {
        if (line.length() + 1 + word.length() > 98) {
          out.append("%n").append(line);
          line = new StringBuilder(indent);
        }
        line.append(' ').append(word);
      }
      out.append("%n").append(line);
    }
    return out.toString();
  }

  /** The ids, comma-separated, for messages. */
  public static String ids(List<StepId> order) {
    return order.stream().map(StepId::id).collect(Collectors.joining(", "));
  }
}
