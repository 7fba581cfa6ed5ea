package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.domain.Zone;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.inventory.PvcStatus;
import io.zoneguard.inventory.StatefulSetStatus;
import io.zoneguard.inventory.ZoneHealth;
import io.zoneguard.inventory.ZoneHealth.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverPlannerTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final List<ZoneState> EC2 =
      List.of(
          new ZoneState(Zone.of("us-east-1a"), "available", "use1-az1"),
          new ZoneState(Zone.of("us-east-1b"), "available", "use1-az2"),
          new ZoneState(Zone.of("us-east-1c"), "available", "use1-az3"),
          new ZoneState(Zone.of("us-east-1d"), "impaired", "use1-az4"));

  private final List<PvcStatus> pvcs = new ArrayList<>();
  private final Map<String, List<SnapshotRef>> snaps = new HashMap<>();
  private List<ZoneHealth> health =
      List.of(
          new ZoneHealth("us-east-1a", "available", 2, 0, Health.HEALTHY),
          new ZoneHealth("us-east-1b", "available", 0, 2, Health.DOWN),
          new ZoneHealth("us-east-1c", "available", 2, 0, Health.HEALTHY));

  private PvcStatus pvc(int ordinal, String zone, String backing) {
    return pvc(
        ordinal,
        "pv-" + ordinal,
        backing,
        "ebs".equals(backing) ? "vol-" + ordinal : null,
        zone,
        !"us-east-1b".equals(zone));
  }

  /** A Bound gp3 claim of replica {@code ordinal} whose pod runs on node "node". */
  static PvcStatus pvc(
      int ordinal, String pv, String backing, String volume, String zone, boolean nodeReady) {
    return new PvcStatus(
        "data-mysql-" + ordinal,
        "data",
        ordinal,
        "Bound",
        pv,
        "gp3",
        backing,
        "ext4",
        List.of("ReadWriteOnce"),
        volume,
        zone,
        20,
        "gp3",
        3000,
        125,
        true,
        "in-use",
        "mysql-" + ordinal,
        "Running",
        true,
        "node",
        nodeReady,
        List.of());
  }

  private void snapshot(int ordinal, String id, Duration age, String state) {
    snaps
        .computeIfAbsent("data-mysql-" + ordinal, k -> new ArrayList<>())
        .add(
            new SnapshotRef(
                id, "vol-" + ordinal, state, NOW.minus(age), 20, true, "kms-1", Map.of()));
  }

  private FailoverPlan plan(Optional<String> from, List<String> to, Duration max, boolean accept) {
    StatefulSetStatus sts =
        new StatefulSetStatus("shop", "mysql", true, 3, 2, List.of("data"), pvcs);
    return FailoverPlanner.plan(
        new FailoverRequest("shop", "mysql", from, to, max, accept, false),
        sts,
        health,
        EC2,
        snaps,
        NOW);
  }

  private void threeZones() {
    pvcs.add(pvc(0, "us-east-1a", "ebs"));
    pvcs.add(pvc(1, "us-east-1b", "ebs"));
    pvcs.add(pvc(2, "us-east-1c", "ebs"));
  }

  @Test
  void detectsTheDownZoneAndRestoresItsPvcFromTheNewestCompletedSnapshot() {
    threeZones();
    snapshot(1, "snap-old", Duration.ofHours(3), "completed");
    snapshot(1, "snap-new", Duration.ofMinutes(20), "completed");
    snapshot(1, "snap-pending", Duration.ofMinutes(1), "pending");

    FailoverPlan p = plan(Optional.empty(), List.of(), Duration.ofHours(1), false);

    assertThat(p.refusals()).isEmpty();
    assertThat(p.failedZone()).isEqualTo("us-east-1b");
    assertThat(p.failedZoneSource()).startsWith("detected: EC2 available, 0 Ready / 2 NotReady");
    assertThat(p.unaffectedPvcs()).containsExactly("data-mysql-0", "data-mysql-2");
    PlannedVolume v = p.volumes().get(0);
    assertThat(v.pvc()).isEqualTo("data-mysql-1");
    assertThat(v.snapshotId()).isEqualTo("snap-new");
    assertThat(v.dataLossSeconds()).isEqualTo(1200);
    assertThat(v.targetZone()).isEqualTo("us-east-1a"); // a and c hold one replica each: first
    assertThat(v.encrypted()).isTrue();
    assertThat(v.kmsKeyId()).isEqualTo("kms-1");
    assertThat(v.oldPv()).isEqualTo("pv-1");
    assertThat(v.accessModes()).containsExactly("ReadWriteOnce");
    assertThat(p.steps())
        .extracting(FailoverPlan.Step::id)
        .containsExactly(
            "fence",
            "create-volumes",
            "retain-old-pvs",
            "create-pvs",
            "delete-old-pvcs",
            "create-pvcs",
            "pin-affinity",
            "delete-stuck-pods",
            "wait-ready");
    assertThat(p.steps())
        .extracting(FailoverPlan.Step::id)
        .allSatisfy(id -> assertThat(io.zoneguard.failover.steps.StepId.of(id).id()).isEqualTo(id));
  }

  @Test
  void spreadsSeveralAffectedPvcsOverTheLeastLoadedZones() {
    pvcs.add(pvc(0, "us-east-1a", "ebs"));
    pvcs.add(pvc(1, "us-east-1b", "ebs"));
    pvcs.add(pvc(2, "us-east-1b", "ebs"));
    pvcs.add(pvc(3, "us-east-1b", "ebs"));
    for (int i = 1; i <= 3; i++) {
      snapshot(i, "snap-" + i, Duration.ofMinutes(5), "completed");
    }
    FailoverPlan p = plan(Optional.of("us-east-1b"), List.of(), Duration.ofHours(1), false);
    assertThat(p.volumes())
        .extracting(PlannedVolume::targetZone)
        .containsExactly("us-east-1c", "us-east-1a", "us-east-1c");
  }

  @Test
  void refusesUnsafeTargets() {
    threeZones();
    snapshot(1, "s", Duration.ofMinutes(5), "completed");
    health =
        List.of(
            new ZoneHealth("us-east-1a", "available", 0, 0, Health.NO_NODES),
            new ZoneHealth("us-east-1b", "available", 0, 2, Health.DOWN),
            new ZoneHealth("us-east-1c", "available", 2, 0, Health.HEALTHY));
    FailoverPlan p =
        plan(
            Optional.empty(),
            List.of("us-east-1b", "us-east-9z", "us-east-1d", "us-east-1a"),
            Duration.ofHours(1),
            false);
    assertThat(p.refusals())
        .containsExactly(
            "target zone us-east-1b is the failed zone",
            "target zone us-east-9z is not a zone of this region (EC2 does not list it)",
            "target zone us-east-1d is impaired in EC2, not available",
            "target zone us-east-1a has no Ready node: pods could not run there");
  }

  @Test
  void refusesTooMuchDataLossUnlessAccepted() {
    threeZones();
    snapshot(1, "s", Duration.ofHours(5), "completed");
    assertThat(plan(Optional.empty(), List.of(), Duration.ofHours(1), false).refusals())
        .containsExactly(
            "data-mysql-1: newest snapshot s is 5h old, more than --max-data-loss 60m (pass"
                + " --accept-data-loss to go ahead)");
    assertThat(plan(Optional.empty(), List.of(), Duration.ofHours(1), true).refusals()).isEmpty();
  }

  @Test
  void refusesWithoutSnapshotOrEbsOrADownZone() {
    pvcs.add(pvc(0, "us-east-1a", "ebs"));
    pvcs.add(pvc(1, "us-east-1b", "ebs"));
    pvcs.add(pvc(2, "us-east-1b", "hostPath"));
    snapshot(1, "failed-one", Duration.ofMinutes(5), "error");
    assertThat(plan(Optional.empty(), List.of(), Duration.ofHours(1), false).refusals())
        .containsExactly(
            "data-mysql-1 has no completed snapshot in a complete backup set (take one with"
                + " 'zoneguard backup run')",
            "data-mysql-2 is not EBS-backed (hostPath): it cannot be restored in another zone");

    health = List.of(new ZoneHealth("us-east-1a", "available", 2, 0, Health.HEALTHY));
    assertThat(plan(Optional.empty(), List.of(), Duration.ofHours(1), false).refusals())
        .containsExactly(
            "no zone holding this StatefulSet's volumes is down; pass --from-zone to fail over"
                + " anyway");
  }

  @Test
  void refusesToMoveDataStillMountedOnAReadyNodeUnlessTheOperatorConfirmsItIsDown() {
    threeZones();
    snapshot(0, "s0", Duration.ofMinutes(5), "completed");
    StatefulSetStatus sts =
        new StatefulSetStatus("shop", "mysql", true, 3, 3, List.of("data"), pvcs);
    java.util.function.Function<Boolean, FailoverRequest> fromZoneA =
        confirmed ->
            new FailoverRequest(
                "shop",
                "mysql",
                Optional.of("us-east-1a"),
                List.of(),
                Duration.ofHours(1),
                false,
                confirmed);

    FailoverPlan refused =
        FailoverPlanner.plan(fromZoneA.apply(false), sts, health, EC2, snaps, NOW);

    assertThat(refused.refusals())
        .containsExactly(
            "data-mysql-0 is mounted by pod mysql-0 on node node, which is Ready: it may still"
                + " write. Stop that pod, or confirm the node is shut down with"
                + " --confirm-nodes-down");
    assertThat(FailoverPlanner.plan(fromZoneA.apply(true), sts, health, EC2, snaps, NOW).refusals())
        .isEmpty();
  }
}
