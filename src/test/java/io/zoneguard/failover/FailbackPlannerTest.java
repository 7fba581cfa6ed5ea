package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Zone;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.failover.steps.StepId;
import io.zoneguard.inventory.PvcStatus;
import io.zoneguard.inventory.StatefulSetStatus;
import io.zoneguard.inventory.ZoneHealth;
import io.zoneguard.inventory.ZoneHealth.Health;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The failback plan, from a finished failover's record and the cluster as it is now. */
class FailbackPlannerTest {
  private static final List<ZoneState> EC2 =
      List.of(
          new ZoneState(Zone.of("us-east-1a"), "available", "use1-az1"),
          new ZoneState(Zone.of("us-east-1b"), "available", "use1-az2"),
          new ZoneState(Zone.of("us-east-1c"), "available", "use1-az3"));

  /** fo-1 moved data-mysql-1 from b (vol-old) to c (vol-new on PV zoneguard-fo-1-data-mysql-1). */
  private final FailoverRecord failover =
      new FailoverRecord(
          "fo-1",
          "me@host",
          "2026-11-23T10:00:00Z",
          "2026-11-23T10:05:00Z",
          "2026-11-23T10:05:00Z",
          null,
          new FailoverPlan(
              FailoverPlan.FAILOVER,
              "shop",
              "mysql",
              "us-east-1b",
              "detected",
              List.of("us-east-1c"),
              List.of(
                  new PlannedVolume(
                      "data-mysql-1",
                      1,
                      "vol-old",
                      "us-east-1b",
                      "pv-old",
                      "snap-1",
                      "t",
                      60,
                      "us-east-1c",
                      20,
                      "gp3",
                      3000,
                      125,
                      true,
                      "kms-1",
                      "gp3",
                      "ext4",
                      List.of("ReadWriteOnce"),
                      "set-1")),
              List.of("data-mysql-0", "data-mysql-2"),
              List.of(),
              List.of()),
          List.of(),
          Map.of("data-mysql-1", "vol-new"),
          Map.of());

  private static PvcStatus pvc(int ordinal, String pv, String volume, String zone) {
    return FailoverPlannerTest.pvc(ordinal, pv, "ebs", volume, zone, true);
  }

  private static StatefulSetStatus now(PvcStatus moved) {
    return new StatefulSetStatus(
        "shop",
        "mysql",
        true,
        3,
        3,
        List.of("data"),
        List.of(
            pvc(0, "pv-0", "vol-0", "us-east-1a"), moved, pvc(2, "pv-2", "vol-2", "us-east-1c")));
  }

  private static List<ZoneHealth> health(int readyInB, int notReadyInB) {
    return List.of(
        new ZoneHealth("us-east-1a", "available", 2, 0, Health.HEALTHY),
        new ZoneHealth(
            "us-east-1b",
            "available",
            readyInB,
            notReadyInB,
            notReadyInB > 0 ? Health.DEGRADED : Health.HEALTHY),
        new ZoneHealth("us-east-1c", "available", 2, 0, Health.HEALTHY));
  }

  @Test
  void movesEachMovedPvcHomeFromItsCurrentVolume() {
    FailoverPlan p =
        FailbackPlanner.plan(
            failover,
            now(pvc(1, "zoneguard-fo-1-data-mysql-1", "vol-new", "us-east-1c")),
            health(2, 0),
            EC2);

    assertThat(p.refusals()).isEmpty();
    assertThat(p.kind()).isEqualTo(FailoverPlan.FAILBACK);
    assertThat(p.targetZones()).containsExactly("us-east-1b");
    PlannedVolume v = p.volumes().get(0);
    assertThat(v.pvc()).isEqualTo("data-mysql-1");
    assertThat(v.oldVolumeId()).isEqualTo("vol-new");
    assertThat(v.oldZone()).isEqualTo("us-east-1c");
    assertThat(v.oldPv()).isEqualTo("zoneguard-fo-1-data-mysql-1");
    assertThat(v.targetZone()).isEqualTo("us-east-1b");
    assertThat(v.snapshotId()).isNull(); // taken by the run, while the replica is stopped
    assertThat(v.kmsKeyId()).isEqualTo("kms-1");
    assertThat(p.unaffectedPvcs()).containsExactly("data-mysql-0", "data-mysql-2");
    // the claim is held and Terminating before the pod stops, and released only once the
    // pre-bound PV exists: never a moment where the controller could recreate it from the template
    assertThat(p.steps())
        .extracting(FailoverPlan.Step::id)
        .containsExactly(
            "unfence",
            "retain-old-pvs",
            "hold-claims",
            "delete-claims",
            "stop-pods",
            "snapshot-volumes",
            "create-volumes",
            "create-pvs",
            "release-claims",
            "create-pvcs",
            "restore-affinity",
            "delete-stuck-pods",
            "wait-ready");
    assertThat(p.steps())
        .extracting(FailoverPlan.Step::id)
        .allSatisfy(id -> assertThat(StepId.of(id).id()).isEqualTo(id));
    // the plan says up front how long each moved replica is down, and that no other restarts
    assertThat(p.notes())
        .anyMatch(n -> n.startsWith("mysql-1 is down from stop-pods until wait-ready"))
        .anyMatch(n -> n.startsWith("the other replicas keep running"));
  }

  @Test
  void refusesWhileTheZoneIsNotBackOrWhenAMovedPvcChangedSince() {
    FailoverPlan notBack =
        FailbackPlanner.plan(
            failover,
            now(pvc(1, "zoneguard-fo-1-data-mysql-1", "vol-new", "us-east-1c")),
            health(1, 1),
            EC2);
    assertThat(notBack.refusals())
        .containsExactly(
            "zone us-east-1b still has 1 NotReady node(s): wait until the zone has recovered");

    FailoverPlan noNodes =
        FailbackPlanner.plan(
            failover,
            now(pvc(1, "zoneguard-fo-1-data-mysql-1", "vol-new", "us-east-1c")),
            health(0, 2),
            List.of(new ZoneState(Zone.of("us-east-1b"), "impaired", "use1-az2")));
    assertThat(noNodes.refusals())
        .containsExactly(
            "zone us-east-1b is impaired in EC2",
            "zone us-east-1b has no Ready node yet: pods could not run there");

    FailoverPlan changed =
        FailbackPlanner.plan(
            failover, now(pvc(1, "someone-elses-pv", "vol-x", "us-east-1c")), health(2, 0), EC2);
    assertThat(changed.refusals())
        .singleElement()
        .asString()
        .contains("data-mysql-1 is no longer on zoneguard-fo-1-data-mysql-1 / vol-new");
    assertThat(changed.volumes()).isEmpty();
    assertThat(changed.steps()).isEmpty();
  }
}
