package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Failback: snapshots each moved replica's current volume only once it is quiet — its pod object
 * gone and the EBS volume {@code available} (detached: the attach-detach controller detaches only
 * after the pod is gone) — tagged with the failback id so a re-run finds it, and waits until they
 * are completed. These snapshots belong to no backup set: retention never touches them; delete them
 * when the failback is verified.
 */
final class SnapshotVolumes implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    Map<String, String> byPvc = new LinkedHashMap<>();
    for (SnapshotRef s : ctx.storage().findSnapshots(Map.of(Keys.TAG_FAILOVER_ID, ctx.id()))) {
      String pvc = s.tags().get(Keys.TAG_PVC);
      if (pvc != null && !"error".equals(s.state())) {
        byPvc.putIfAbsent(pvc, s.snapshotId());
      }
    }
    List<PlannedVolume> missing =
        ctx.plan().volumes().stream().filter(v -> !byPvc.containsKey(v.pvc())).toList();
    if (!missing.isEmpty()) {
      awaitQuiet(ctx, missing);
    }
    for (SnapshotRef s :
        ctx.parallel(
            missing,
            v ->
                ctx.storage()
                    .createSnapshot(
                        v.oldVolumeId(),
                        "zoneguard " + ctx.id() + " " + ctx.namespace() + "/" + v.pvc(),
                        ctx.tags(v, v.oldZone())))) {
      byPvc.put(s.tags().get(Keys.TAG_PVC), s.snapshotId());
      ctx.detail(s.tags().get(Keys.TAG_PVC) + ": snapshot " + s.snapshotId() + " started");
    }
    ctx.update(r -> r.withSnapshots(byPvc));
    List<String> failed = new ArrayList<>();
    for (SnapshotRef s :
        ctx.storage().awaitSnapshots(byPvc.values(), ctx.options().volumeTimeout())) {
      if (!s.completed()) {
        failed.add(s.snapshotId() + " " + s.state());
      }
    }
    if (!failed.isEmpty()) {
      throw ZoneguardException.failed("snapshots did not complete: " + failed, null);
    }
    return StepOutcome.of(!missing.isEmpty(), byPvc.size() + " snapshot(s) completed: " + byPvc);
  }

  private static void awaitQuiet(StepContext ctx, List<PlannedVolume> vols) {
    List<String> ids = vols.stream().map(PlannedVolume::oldVolumeId).toList();
    List<String> busy = new ArrayList<>();
    ctx.await(
        ctx.options().volumeTimeout(),
        () -> {
          busy.clear();
          ctx.podsOfMovedReplicas().forEach(p -> busy.add("pod " + p.name()));
          if (busy.isEmpty()) {
            ctx.storage()
                .volumes(ids)
                .forEach(
                    (id, v) -> {
                      if (!"available".equals(v.state())) {
                        busy.add(id + " " + v.state());
                      }
                    });
          }
          return busy.isEmpty();
        },
        () ->
            "not quiet yet: "
                + busy
                + " (a snapshot now could miss writes); re-run once the pods are gone and the"
                + " volumes detached");
  }
}
