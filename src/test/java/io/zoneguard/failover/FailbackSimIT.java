package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import io.zoneguard.testing.sim.Invariants;
import io.zoneguard.testing.sim.Sim;
import io.zoneguard.testing.sim.SimFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failover of zone b into zone c, then failback, on the upstream-faithful simulation: the
 * StatefulSet controller recreates claims from the template and the EBS driver provisions them
 * EMPTY, pods terminate gracefully and keep their volumes attached until gone, snapshots stay
 * pending and volumes creating for seconds, and the controllers act between any two zoneguard
 * calls. The old failback order (delete the claim, stop the pod, snapshot) loses this race: the
 * controller recreates the pod on an empty template claim (I1) before the pre-bound PV exists.
 */
@ExtendWith({AwsExtension.class, MariaDbExtension.class})
class FailbackSimIT {

  @Test
  void failoverThenFailbackNeverRunsAReplicaOnAnEmptyVolume(AwsBackend aws, ScratchDatabase db)
      throws Exception {
    try (SimFixture f = new SimFixture(aws, Sim.seedProperty(11))) {
      SeedData.seed(db, 1);
      Invariants invariants = new Invariants(f.sim, f.world, "mysql").recordOriginals(3);
      String ns = f.namespace();
      f.sim.run(
          () -> {
            Cli.Result backup = Cli.run(f.env, f.backupArgs(db, "--no-checksums"));
            assertThat(backup.exit()).as(backup.err()).isZero();

            f.world.loseZone("us-east-1b");
            f.sim.settle(200, () -> !anyReady(f, "us-east-1b"), "zone b NotReady");
            f.sim.phase("failover");
            Cli.Result over =
                Cli.run(
                    f.env,
                    "failover",
                    "apply",
                    "-n",
                    ns,
                    "--statefulset",
                    "mysql",
                    "--to-zone",
                    "us-east-1c",
                    "--yes",
                    "--wait-timeout",
                    "180s");
            assertThat(over.exit()).as(over.err()).isZero();
            assertThat(f.world.claim("data-mysql-1").getSpec().getVolumeName())
                .startsWith("zoneguard-fo-");

            f.world.recoverZone("us-east-1b");
            f.sim.settle(200, () -> allReady(f, "us-east-1b"), "zone b Ready again");
            f.sim.phase("failback");
            Cli.Result back =
                Cli.run(
                    f.env,
                    "failback",
                    "apply",
                    "-n",
                    ns,
                    "--statefulset",
                    "mysql",
                    "--yes",
                    "--wait-timeout",
                    "180s");
            assertThat(back.exit()).as(back.err()).isZero();
            assertThat(back.err()).contains("hold-claims", "release-claims");

            assertThat(invariants.violations()).isEmpty();
            var claim = f.world.claim("data-mysql-1");
            assertThat(claim.getSpec().getVolumeName()).startsWith("zoneguard-fb-");
            assertThat(claim.getMetadata().getFinalizers()).doesNotContain("zoneguard.io/hold");
            assertThat(invariants.lineage(f.world.volumeOf("data-mysql-1"))).isEqualTo(1);
            assertThat(f.world.zoneOfNode(f.world.pod("mysql-1").getSpec().getNodeName()))
                .isEqualTo("us-east-1b");
            assertThat(f.sim.ungrantedKubeRequests()).isEmpty();
          });
    }
  }

  private static boolean anyReady(SimFixture f, String zone) {
    return f
        .sim
        .kube()
        .nodes()
        .withLabel("topology.kubernetes.io/zone", zone)
        .list()
        .getItems()
        .stream()
        .anyMatch(FailbackSimIT::ready);
  }

  private static boolean allReady(SimFixture f, String zone) {
    return f
        .sim
        .kube()
        .nodes()
        .withLabel("topology.kubernetes.io/zone", zone)
        .list()
        .getItems()
        .stream()
        .allMatch(FailbackSimIT::ready);
  }

  private static boolean ready(Node n) {
    return n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
