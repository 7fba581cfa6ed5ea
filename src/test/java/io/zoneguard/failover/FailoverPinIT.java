package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import io.zoneguard.testing.sim.Sim;
import io.zoneguard.testing.sim.SimFixture;
import io.zoneguard.testing.sim.SimWorld;
import io.zoneguard.testing.sim.SimWorld.Shape;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pin policy through the real CLI on the upstream-faithful simulation: the template is
 * re-pinned only when its own zone constraints would keep a moved replica Pending (zone spread
 * DoNotSchedule; a template pinned to the lost zone), or with --pin; the plan says so and whether
 * healthy replicas restart (and then they do: a template change rolls every replica under
 * RollingUpdate); failback restores exactly what was changed.
 */
@ExtendWith({AwsExtension.class, MariaDbExtension.class})
class FailoverPinIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String B = "us-east-1b";
  private static final String C = "us-east-1c";
  private static final long SEED = Sim.seedProperty(13);

  private static ScratchDatabase db;
  private SimFixture f;

  @BeforeAll
  static void data(ScratchDatabase scratch) throws Exception {
    db = scratch;
    SeedData.seed(db, 1);
  }

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  /** A Ready StatefulSet mysql of {@code shape}, backed up; zone b then lost. */
  private void backUpThenLoseZoneB(AwsBackend aws, Shape shape) {
    f = SimFixture.backedUpThen(aws, SEED, shape, db, w -> w.loseZone(B));
  }

  private Cli.Result run(String... args) {
    return f.cli("mysql", args);
  }

  /** Runs rounds until every replica is Ready and the StatefulSet has rolled to its template. */
  private void awaitRolled(int replicas) {
    f.sim.settle(
        400,
        () -> {
          var st = f.statefulSet("mysql").getStatus();
          return st.getUpdateRevision() != null
              && st.getUpdateRevision().equals(st.getCurrentRevision())
              && IntStream.range(0, replicas).allMatch(i -> f.world.podReady("mysql-" + i));
        },
        "every replica Ready on the current template");
  }

  @Test
  void zoneSpreadDoNotScheduleIsRePinnedWithNotInAndFailbackRestoresIt(AwsBackend aws) {
    backUpThenLoseZoneB(aws, Shape.standard().spreadOverZones());
    f.sim.run(
        () -> {
          var constraints =
              f.statefulSet("mysql")
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getTopologySpreadConstraints();
          int moved = f.ordinalIn(B);
          Map<String, String> uids = f.invariants.podUids();

          Cli.Result plan = run("failover", "plan", "--to-zone", C);
          assertThat(plan.exit()).as(plan.err()).isZero();
          assertThat(plan.out())
              .contains("pin: template re-pinned - required: zone topologySpread DoNotSchedule")
              .contains("Healthy replicas WILL restart");

          Cli.Result apply =
              f.cliWaiting("mysql", "failover", "apply", "--to-zone", C, "--yes", "-o", "json");
          assertThat(apply.exit()).as(apply.err()).isZero();
          JsonNode pin = JSON.readTree(apply.out()).get("plan").get("pin");
          assertThat(pin.get("required").asBoolean()).isTrue();
          assertThat(pin.get("restartsHealthyReplicas").asBoolean()).isTrue();
          StatefulSet pinned = f.statefulSet("mysql");
          assertThat(SimWorld.zoneRequirements(pinned)).containsExactly("NotIn [us-east-1b]");
          assertThat(pinned.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
              .isEqualTo(constraints);
          assertThat(pinned.getMetadata().getAnnotations())
              .containsEntry("zoneguard.io/original-affinity", "null")
              .containsEntry("zoneguard.io/original-node-selector", "null");
          // the changed template rolls every replica (RollingUpdate, highest ordinal first:
          // kubernetes/kubernetes pkg/controller/statefulset/stateful_set_control.go
          // updateStatefulSet), as the plan announced; the moved one lands in zone c
          awaitRolled(3);
          f.invariants.assertRestored(moved, C, "zoneguard-fo-", "after the failover");
          assertThat(f.invariants.unmovedRestarted(uids, List.of(moved)))
              .as("healthy replicas restarted by the announced pin")
              .hasSize(2);
          assertThat(f.invariants.violationsAndFaults()).isEmpty();

          f.recoverZone(B);
          Cli.Result back = f.cliWaiting("mysql", "failback", "apply", "--yes");
          assertThat(back.exit()).as(back.err()).isZero();
          assertThat(back.err()).contains("original nodeSelector and affinity restored");
          StatefulSet restored = f.statefulSet("mysql");
          assertThat(restored.getSpec().getTemplate().getSpec().getAffinity()).isNull();
          assertThat(restored.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
              .isEqualTo(constraints);
          assertThat(restored.getMetadata().getAnnotations())
              .doesNotContainKeys(
                  "zoneguard.io/original-affinity", "zoneguard.io/original-node-selector");
          awaitRolled(3);
          f.invariants.assertRestored(moved, B, "zoneguard-fb-", "after the failback");
          assertThat(f.invariants.violationsAndFaults()).isEmpty();
        });
  }

  @Test
  void aTemplatePinnedToTheLostZoneIsRePinnedToTheTarget(AwsBackend aws) {
    // the one-StatefulSet-per-zone pattern: every replica lives in zone b
    backUpThenLoseZoneB(aws, Shape.standard().replicas(2).pinnedTo(B));
    f.sim.run(
        () -> {
          Cli.Result apply = f.cliWaiting("mysql", "failover", "apply", "--to-zone", C, "--yes");

          assertThat(apply.exit()).as(apply.err()).isZero();
          assertThat(apply.out())
              .contains(
                  "pin: template re-pinned - required: the template (nodeSelector"
                      + " zone=us-east-1b)");
          StatefulSet pinned = f.statefulSet("mysql");
          assertThat(pinned.getSpec().getTemplate().getSpec().getNodeSelector()).isNullOrEmpty();
          assertThat(SimWorld.zoneRequirements(pinned)).containsExactly("In [us-east-1c]");
          awaitRolled(2);
          for (int i = 0; i < 2; i++) {
            f.invariants.assertRestored(i, C, "zoneguard-fo-", "after the failover");
          }
          assertThat(f.invariants.violationsAndFaults()).isEmpty();
        });
  }

  @Test
  void withoutAZoneConstraintThePinIsMadeOnlyOnRequest(AwsBackend aws) {
    backUpThenLoseZoneB(aws, Shape.standard());
    f.sim.run(
        () -> {
          String before = f.fingerprint("mysql");
          Cli.Result plain = run("failover", "plan", "--to-zone", C);
          assertThat(plain.exit()).as(plain.err()).isZero();
          assertThat(plain.out())
              .contains("pin: template unchanged - not required")
              .contains("Healthy replicas do not restart");

          Cli.Result asked = run("failover", "plan", "--to-zone", C, "--pin");
          assertThat(asked.exit()).as(asked.err()).isZero();
          assertThat(asked.out())
              .contains("applied because --pin was given")
              .contains("Healthy replicas WILL restart");
          // a plan is read-only
          assertThat(f.fingerprint("mysql")).isEqualTo(before);
          assertThat(f.invariants.violationsAndFaults()).isEmpty();
        });
  }
}
