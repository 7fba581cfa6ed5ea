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
 * Failback: snapshots each moved replica's current (now quiet) volume, tagged with the failback id
 * so a re-run finds it, and waits until they are completed. These snapshots belong to no backup
 * set: retention never touches them; delete them when the failback is verified.
 */
public final class SnapshotVolumes implements FailoverStep {
  @Override
  public String id() {
    return "snapshot-volumes";
  }

  @Override
  public String run(StepContext ctx) {
    Map<String, String> byPvc = new LinkedHashMap<>();
    for (SnapshotRef s : ctx.storage().findSnapshots(Map.of(Keys.TAG_FAILOVER_ID, ctx.id()))) {
      String pvc = s.tags().get(Keys.TAG_PVC);
      if (pvc != null && !"error".equals(s.state())) {
        byPvc.putIfAbsent(pvc, s.snapshotId());
      }
    }
    List<PlannedVolume> missing =
        ctx.plan().volumes().stream().filter(v -> !byPvc.containsKey(v.pvc())).toList();
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
    return byPvc.size() + " snapshot(s) completed: " + byPvc;
  }
}
