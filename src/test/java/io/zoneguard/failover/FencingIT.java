package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import io.zoneguard.testing.sim.Sim;
import io.zoneguard.testing.sim.SimFixture;
import io.zoneguard.testing.sim.SimWorld.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fencing decided from EC2 facts, through the real CLI against moto (the nodes' providerIDs name
 * real moto instances) and the upstream-faithful simulation: zone b is partitioned (its nodes
 * NotReady, their instances and MySQL still running), which must never lead to the out-of-service
 * taint on zoneguard's own judgement; or hung (EC2 says running, nothing runs), which only the
 * operator can vouch for. After every run the simulation's invariants (I1–I5, no split brain, RBAC)
 * hold.
 */
@ExtendWith({AwsExtension.class, MariaDbExtension.class})
class FencingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String B = "us-east-1b";
  private static final long SEED = Sim.seedProperty(11);

  private static ScratchDatabase db;
  private SimFixture f;

  @BeforeAll
  static void data(ScratchDatabase scratch) throws Exception {
    db = scratch;
    SeedData.seed(db, 1);
  }

  /** A Ready mysql, backed up, then zone b made NotReady by {@code loss}. */
  private void world(AwsBackend aws, Consumer<SimFixture> loss) {
    f = SimFixture.backedUpThen(aws, SEED, Shape.standard(), db, loss);
  }

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private Cli.Result run(String... args) {
    return f.cli("mysql", args);
  }

  /** failover apply to zone c with extra flags, without the prompt. */
  private Cli.Result applyToC(String... flags) {
    List<String> a =
        new ArrayList<>(List.of("failover", "apply", "--to-zone", "us-east-1c", "--yes"));
    a.addAll(List.of(flags));
    return f.cliWaiting("mysql", a.toArray(String[]::new));
  }

  private List<String> ec2States(List<String> ids) {
    return f.aws.ec2().describeInstances(r -> r.instanceIds(ids)).reservations().stream()
        .flatMap(r -> r.instances().stream())
        .map(i -> i.state().nameAsString())
        .toList();
  }

  private List<Node> nodesOfB() {
    return f.sim.kube().nodes().withLabel("topology.kubernetes.io/zone", B).list().getItems();
  }

  private static boolean tainted(Node n) {
    return n.getSpec().getTaints() != null
        && n.getSpec().getTaints().stream()
            .anyMatch(t -> "node.kubernetes.io/out-of-service".equals(t.getKey()));
  }

  /** The replica that lived in zone b runs in zone c on a restored volume holding its own data. */
  private void movedReplicaRunsInC(int moved) {
    f.invariants.awaitRestored(moved, "us-east-1c", "zoneguard-fo-", "after the failover");
    assertThat(f.invariants.violationsAndFaults()).isEmpty();
  }

  @Test
  void aPartitionedZoneIsRefusedNamingTheNodesAndNothingChanges(AwsBackend aws) {
    world(aws, w -> w.partitionZone(B));
    f.sim.run(
        () -> {
          // the controllers act between zoneguard's calls (unreachable taints, evictions that
          // never finish on a cut-off node): the fingerprint leaves out what only they change
          String before = f.fingerprint("mysql");
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

          assertThat(f.fingerprint("mysql")).isEqualTo(before);
          assertThat(ec2States(instances)).containsOnly("running");
          assertThat(nodesOfB()).noneMatch(FencingIT::tainted);
          assertThat(f.invariants.violationsAndFaults()).isEmpty();
        });
  }

  @Test
  void stopInstancesForceStopsThePartitionedNodesThenTaintsThem(AwsBackend aws) {
    world(aws, w -> w.partitionZone(B));
    f.sim.run(
        () -> {
          int moved = f.ordinalIn(B);
          List<String> instances = f.world.instancesOf(B);

          Cli.Result plan =
              run("failover", "plan", "--to-zone", "us-east-1c", "--fence", "stop-instances");
          assertThat(plan.exit()).as(plan.err()).isZero();
          assertThat(plan.out())
              .containsPattern(
                  "node-us-east-1b-0\\s+NotReady\\s+i-\\w+\\s+running\\s+stop-then-taint");

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
          // MySQL in zone b stopped with its instances before the replica moved: no split brain
          movedReplicaRunsInC(moved);
        });
  }

  /**
   * Was run on a partitioned zone against the old fake. Against real controllers that is the very
   * split brain fencing exists to prevent: the out-of-service taint lets taint eviction and PodGC
   * delete the pod while MySQL in zone b still writes, and the StatefulSet controller starts a
   * second writer in zone c ({@code stateful_set_control.go} recreates a deleted replica at once).
   * The operator's word is true only for nodes that are really down: here they hang (EC2 still says
   * running, so zoneguard cannot prove it itself).
   */
  @Test
  void theOperatorsConfirmationTaintsWithoutStoppingAnything(AwsBackend aws) {
    world(aws, w -> w.hangZone(B));
    f.sim.run(
        () -> {
          int moved = f.ordinalIn(B);
          List<String> instances = f.world.instancesOf(B);
          f.sim.nodesConfirmedDown(true); // I4 accepts taints the operator vouched for

          Cli.Result apply = applyToC("--confirm-nodes-down");

          assertThat(apply.exit()).as(apply.err()).isZero();
          assertThat(apply.err()).contains("the operator confirmed it is down");
          assertThat(nodesOfB()).allMatch(FencingIT::tainted);
          // zoneguard did not touch the instances: the operator vouched for them
          assertThat(ec2States(instances)).containsOnly("running");
          movedReplicaRunsInC(moved);
        });
  }

  @Test
  void aBadFenceModeIsAUsageError(AwsBackend aws) {
    world(aws, w -> w.partitionZone(B));
    f.sim.run(
        () -> {
          String before = f.fingerprint("mysql");
          Cli.Result r = run("failover", "apply", "--fence", "shoot", "--yes");
          assertThat(r.exit()).isEqualTo(2);
          assertThat(r.err().strip())
              .isEqualTo("zoneguard: --fence must be verify or stop-instances, not 'shoot'");
          assertThat(f.fingerprint("mysql")).isEqualTo(before);
        });
  }
}
