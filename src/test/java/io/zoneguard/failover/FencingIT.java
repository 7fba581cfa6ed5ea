package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.ClusterState;
import io.zoneguard.testing.FakeControllers;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fencing decided from EC2 facts, through the real CLI against moto (the nodes' providerIDs name
 * real moto instances) and the mock API server: zone b is partitioned (its nodes NotReady, their
 * instances still running), which must never lead to the out-of-service taint on zoneguard's own
 * judgement.
 */
@ExtendWith({BackupFixtureExtension.class, MariaDbExtension.class})
class FencingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String B = "us-east-1b";

  private BackupFixture f;
  private KubernetesClient kube;
  private FakeControllers controllers;

  @BeforeEach
  void backUpThenPartitionZoneB(BackupFixture fixture, ScratchDatabase db) throws Exception {
    f = fixture;
    kube = f.kube.client();
    SeedData.seed(db, 1);
    Cli.Result backup = Cli.run(f.env, f.backupArgs(db, "--no-checksums"));
    assertThat(backup.exit()).as(backup.err()).isZero();
    f.world.partitionZone(B);
    controllers = new FakeControllers(kube, f.world);
  }

  @AfterEach
  void stopControllers() {
    controllers.close();
  }

  private Cli.Result run(String... args) {
    return f.cli("mysql", args);
  }

  /** failover apply to zone c with extra flags, without the prompt. */
  private Cli.Result applyToC(String... flags) {
    List<String> a =
        new ArrayList<>(List.of("failover", "apply", "--to-zone", "us-east-1c", "--yes"));
    a.addAll(List.of(flags));
    a.addAll(List.of("--wait-timeout", "60s"));
    return run(a.toArray(String[]::new));
  }

  private List<String> ec2States(List<String> ids) {
    return f.aws.ec2().describeInstances(r -> r.instanceIds(ids)).reservations().stream()
        .flatMap(r -> r.instances().stream())
        .map(i -> i.state().nameAsString())
        .toList();
  }

  private List<Node> nodesOfB() {
    return kube.nodes().withLabel("topology.kubernetes.io/zone", B).list().getItems();
  }

  private static boolean tainted(Node n) {
    return n.getSpec().getTaints() != null
        && n.getSpec().getTaints().stream()
            .anyMatch(t -> "node.kubernetes.io/out-of-service".equals(t.getKey()));
  }

  @Test
  void aPartitionedZoneIsRefusedNamingTheNodesAndNothingChanges() throws Exception {
    controllers.close(); // nothing may change: no controller reactions either
    String before = ClusterState.of(kube, f.namespace());
    int volumesBefore = f.aws.ec2().describeVolumes().volumes().size();
    List<String> instances = f.world.instancesOf(B);

    Cli.Result plan = run("failover", "plan", "--to-zone", "us-east-1c");
    assertThat(plan.exit()).as(plan.err()).isEqualTo(3);
    assertThat(plan.out())
        .containsPattern(
            "node-us-east-1b-0\\s+NotReady\\s+" + instances.get(0) + "\\s+running\\s+refuse")
        .contains("fencing us-east-1b (from EC2 instance states)");
    assertThat(plan.err().strip())
        .contains("node-us-east-1b-0 (" + instances.get(0) + " running)")
        .contains("node-us-east-1b-1")
        .contains("--confirm-nodes-down", "--fence stop-instances")
        .doesNotContain("\n");

    Cli.Result apply = run("failover", "apply", "--to-zone", "us-east-1c", "--yes");
    assertThat(apply.exit()).isEqualTo(3);
    assertThat(apply.err()).contains("network partition");

    assertThat(ClusterState.of(kube, f.namespace())).isEqualTo(before);
    assertThat(f.aws.ec2().describeVolumes().volumes()).hasSize(volumesBefore);
    assertThat(ec2States(instances)).containsOnly("running");
    assertThat(nodesOfB()).noneMatch(FencingIT::tainted);
  }

  @Test
  void stopInstancesForceStopsThePartitionedNodesThenTaintsThem() throws Exception {
    List<String> instances = f.world.instancesOf(B);

    Cli.Result plan =
        run("failover", "plan", "--to-zone", "us-east-1c", "--fence", "stop-instances");
    assertThat(plan.exit()).as(plan.err()).isZero();
    assertThat(plan.out())
        .containsPattern("node-us-east-1b-0\\s+NotReady\\s+i-\\w+\\s+running\\s+stop-then-taint");

    Cli.Result apply = applyToC("--fence", "stop-instances", "-o", "json");

    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.err())
        .contains("force-stopping")
        .contains("instance " + instances.get(0) + ": stopped");
    assertThat(ec2States(instances)).containsOnly("stopped");
    assertThat(nodesOfB()).allMatch(FencingIT::tainted);
    JsonNode fence = JSON.readTree(apply.out()).get("plan").get("fencing");
    assertThat(fence).hasSize(2);
    assertThat(fence.get(0).get("action").asText()).isEqualTo("STOP_THEN_TAINT");
  }

  @Test
  void theOperatorsConfirmationTaintsWithoutStoppingAnything() {
    List<String> instances = f.world.instancesOf(B);

    Cli.Result apply = applyToC("--confirm-nodes-down");

    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.err()).contains("the operator confirmed it is down");
    assertThat(nodesOfB()).allMatch(FencingIT::tainted);
    // zoneguard did not touch the instances: the operator vouched for them
    assertThat(ec2States(instances)).containsOnly("running");
  }

  @Test
  void aBadFenceModeIsAUsageError() {
    String before = ClusterState.of(kube, f.namespace());
    Cli.Result r = run("failover", "apply", "--fence", "shoot", "--yes");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo("zoneguard: --fence must be verify or stop-instances, not 'shoot'");
    assertThat(ClusterState.of(kube, f.namespace())).isEqualTo(before);
  }
}
