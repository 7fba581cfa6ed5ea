package io.zoneguard.failover;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.inventory.InventoryService;
import io.zoneguard.inventory.StatusReport;
import io.zoneguard.port.BlockStorage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Gathers the facts a failover plan needs (read-only) and hands them to the planner. */
public final class FailoverPlanService {
  private final InventoryService inventory;
  private final BlockStorage storage;
  private final String clusterName;
  private final Clock clock;

  public FailoverPlanService(
      InventoryService inventory, BlockStorage storage, String clusterName, Clock clock) {
    this.inventory = inventory;
    this.storage = storage;
    this.clusterName = clusterName;
    this.clock = clock;
  }

  public FailoverPlan plan(FailoverRequest req) {
    StatusReport report = inventory.status(req.namespace(), Optional.of(req.statefulSet()));
    // One call for every snapshot of the StatefulSet, grouped by the PVC tag.
    Map<String, List<SnapshotRef>> byPvc = new HashMap<>();
    for (SnapshotRef s :
        storage.findSnapshots(
            Map.of(
                Keys.TAG_CLUSTER, clusterName,
                Keys.TAG_NAMESPACE, req.namespace(),
                Keys.TAG_STATEFULSET, req.statefulSet()))) {
      String pvc = s.tags().get(Keys.TAG_PVC);
      if (pvc != null) {
        byPvc.computeIfAbsent(pvc, k -> new ArrayList<>()).add(s);
      }
    }
    return FailoverPlanner.plan(
        req, report.statefulSets().get(0), report.zones(), storage.zones(), byPvc, clock.instant());
  }
}
