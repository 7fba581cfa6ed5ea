package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.FakeControllers;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pin policy through the real CLI: the template is re-pinned only when its own zone constraints
 * would keep a moved replica Pending (zone spread DoNotSchedule; a template pinned to the lost
 * zone), or with --pin; the plan says so and whether healthy replicas restart; failback restores
 * exactly what was changed.
 */
@ExtendWith({BackupFixtureExtension.class, MariaDbExtension.class})
class FailoverPinIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZONE = "topology.kubernetes.io/zone";

  private BackupFixture f;
  private ScratchDatabase db;
  private KubernetesClient kube;
  private FakeControllers controllers;

  @BeforeEach
  void seed(BackupFixture fixture, ScratchDatabase database) throws Exception {
    f = fixture;
    db = database;
    kube = f.kube.client();
    SeedData.seed(db, 1);
  }

  @AfterEach
  void stopControllers() {
    if (controllers != null) {
      controllers.close();
    }
  }

  private void backUpThenLoseZoneB(String sts) {
    List<String> args = new ArrayList<>(Arrays.asList(f.backupArgs(db, "--no-checksums")));
    args.set(args.indexOf("mysql"), sts);
    Cli.Result backup = Cli.run(f.env, args.toArray(String[]::new));
    assertThat(backup.exit()).as(backup.err()).isZero();
    f.world.markZoneNotReady("us-east-1b");
    controllers = new FakeControllers(kube, f.world);
  }

  private Cli.Result run(String sts, String... args) {
    return f.cli(sts, args);
  }

  private StatefulSet sts(String name) {
    return kube.apps().statefulSets().inNamespace(f.namespace()).withName(name).get();
  }

  private void editTemplate(String name, UnaryOperator<StatefulSet> change) {
    kube.apps().statefulSets().inNamespace(f.namespace()).withName(name).edit(change);
  }

  @Test
  void zoneSpreadDoNotScheduleIsRePinnedWithNotInAndFailbackRestoresIt() throws Exception {
    editTemplate(
        "mysql",
        s -> {
          s.getSpec()
              .getTemplate()
              .getSpec()
              .setTopologySpreadConstraints(
                  List.of(
                      new TopologySpreadConstraintBuilder()
                          .withTopologyKey(ZONE)
                          .withMaxSkew(1)
                          .withWhenUnsatisfiable("DoNotSchedule")
                          .build()));
          return s;
        });
    var spread = sts("mysql").getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
    backUpThenLoseZoneB("mysql");

    Cli.Result plan = run("mysql", "failover", "plan", "--to-zone", "us-east-1c");
    assertThat(plan.exit()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("pin: template re-pinned - required: zone topologySpread DoNotSchedule")
        .contains("Healthy replicas WILL restart");

    Cli.Result apply =
        run(
            "mysql",
            "failover",
            "apply",
            "--to-zone",
            "us-east-1c",
            "--yes",
            "-o",
            "json",
            "--wait-timeout",
            "60s");
    assertThat(apply.exit()).as(apply.err()).isZero();
    JsonNode pin = JSON.readTree(apply.out()).get("plan").get("pin");
    assertThat(pin.get("required").asBoolean()).isTrue();
    assertThat(pin.get("restartsHealthyReplicas").asBoolean()).isTrue();
    StatefulSet pinned = sts("mysql");
    assertThat(FakeControllers.zoneRequirements(pinned)).containsExactly("NotIn [us-east-1b]");
    assertThat(pinned.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
        .isEqualTo(spread);
    assertThat(pinned.getMetadata().getAnnotations())
        .containsEntry("zoneguard.io/original-affinity", "null")
        .containsEntry("zoneguard.io/original-node-selector", "null");

    f.world.markZoneReady("us-east-1b");
    Cli.Result back = run("mysql", "failback", "apply", "--yes", "--wait-timeout", "60s");
    assertThat(back.exit()).as(back.err()).isZero();
    assertThat(back.err()).contains("original nodeSelector and affinity restored");
    StatefulSet restored = sts("mysql");
    assertThat(restored.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(restored.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
        .isEqualTo(spread);
    assertThat(restored.getMetadata().getAnnotations())
        .doesNotContainKeys(
            "zoneguard.io/original-affinity", "zoneguard.io/original-node-selector");
  }

  @Test
  void aTemplatePinnedToTheLostZoneIsRePinnedToTheTarget() throws Exception {
    // the one-StatefulSet-per-zone pattern: every replica of "mysqlb" lives in zone b
    f.world.mysql("mysqlb", 2, 10, true, i -> "us-east-1b");
    editTemplate(
        "mysqlb",
        s -> {
          s.getSpec().getTemplate().getSpec().setNodeSelector(Map.of(ZONE, "us-east-1b"));
          return s;
        });
    backUpThenLoseZoneB("mysqlb");

    Cli.Result apply =
        run(
            "mysqlb",
            "failover",
            "apply",
            "--to-zone",
            "us-east-1c",
            "--yes",
            "--wait-timeout",
            "60s");

    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.out())
        .contains(
            "pin: template re-pinned - required: the template (nodeSelector zone=us-east-1b)");
    StatefulSet pinned = sts("mysqlb");
    assertThat(pinned.getSpec().getTemplate().getSpec().getNodeSelector()).isNullOrEmpty();
    assertThat(FakeControllers.zoneRequirements(pinned)).containsExactly("In [us-east-1c]");
    assertThat(
            kube.pods()
                .inNamespace(f.namespace())
                .withName("mysqlb-1")
                .get()
                .getSpec()
                .getNodeName())
        .contains("us-east-1c");
  }

  @Test
  void withoutAZoneConstraintThePinIsMadeOnlyOnRequest() {
    backUpThenLoseZoneB("mysql");

    Cli.Result plain = run("mysql", "failover", "plan", "--to-zone", "us-east-1c");
    assertThat(plain.exit()).as(plain.err()).isZero();
    assertThat(plain.out())
        .contains("pin: template unchanged - not required")
        .contains("Healthy replicas do not restart");

    Cli.Result asked = run("mysql", "failover", "plan", "--to-zone", "us-east-1c", "--pin");
    assertThat(asked.exit()).as(asked.err()).isZero();
    assertThat(asked.out())
        .contains("applied because --pin was given")
        .contains("Healthy replicas WILL restart");
  }
}
