package io.zoneguard.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.EksWorld;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The failover step primitives of {@link Fabric8Cluster} against the CRUD mock API server. */
@ExtendWith(BackupFixtureExtension.class)
class Fabric8ClusterIT {

  @Test
  void outOfServiceTaintGoesOnlyOnNotReadyNodesAndOnlyOnce(BackupFixture f) {
    var kube = f.kube.client();
    Fabric8Cluster cluster = new Fabric8Cluster(kube);
    String ready = EksWorld.nodeName("us-east-1a", 0);
    String down = EksWorld.nodeName("us-east-1b", 0);
    f.world.markZoneNotReady("us-east-1b");

    assertThatThrownBy(() -> cluster.taintOutOfService(ready, false))
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining("is Ready: refusing the out-of-service taint")
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.REFUSED_UNSAFE);
    assertThat(kube.nodes().withName(ready).get().getSpec().getTaints()).isNullOrEmpty();

    // the operator confirmed the Ready node is shut down: now it may be tainted, and unfence
    // (failback) refuses to lift the fence while a node is NotReady but lifts it once Ready
    cluster.taintOutOfService(ready, true);
    assertThat(kube.nodes().withName(ready).get().getSpec().getTaints())
        .extracting(t -> t.getKey())
        .containsExactly("node.kubernetes.io/out-of-service");
    cluster.unfence(ready);
    assertThat(kube.nodes().withName(ready).get().getSpec().getTaints()).isEmpty();

    cluster.cordon(down);
    cluster.taintOutOfService(down, false);
    cluster.taintOutOfService(down, false);
    assertThatThrownBy(() -> cluster.unfence(down))
        .hasMessageContaining("is not Ready: it stays cordoned and tainted");
    var node = kube.nodes().withName(down).get();
    assertThat(node.getSpec().getUnschedulable()).isTrue();
    assertThat(node.getSpec().getTaints())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("node.kubernetes.io/out-of-service");
              assertThat(t.getValue()).isEqualTo("nodeshutdown");
              assertThat(t.getEffect()).isEqualTo("NoExecute");
            });
  }

  @Test
  void retainKeepsTheOldVolumeWhenItsClaimGoes(BackupFixture f) {
    Fabric8Cluster cluster = new Fabric8Cluster(f.kube.client());
    String pv = f.members.get(1).pv();
    cluster.setReclaimPolicy(pv, "Retain");
    cluster.setReclaimPolicy(pv, "Retain");
    assertThat(cluster.pv(pv).orElseThrow().reclaimPolicy()).isEqualTo("Retain");
  }

  @Test
  void annotationsAreReplacedOnlyFromTheExpectedValue(BackupFixture f) {
    Fabric8Cluster cluster = new Fabric8Cluster(f.kube.client());
    String ns = f.namespace();
    assertThat(cluster.replaceAnnotation(ns, "mysql", "zoneguard.io/failover", null, "a")).isTrue();
    assertThat(cluster.replaceAnnotation(ns, "mysql", "zoneguard.io/failover", null, "b"))
        .isFalse();
    assertThat(cluster.replaceAnnotation(ns, "mysql", "zoneguard.io/failover", "x", "b")).isFalse();
    assertThat(cluster.replaceAnnotation(ns, "mysql", "zoneguard.io/failover", "a", "b")).isTrue();
    assertThat(cluster.statefulSet(ns, "mysql").orElseThrow().annotations())
        .containsEntry("zoneguard.io/failover", "b");
    assertThat(cluster.replaceAnnotation(ns, "mysql", "zoneguard.io/failover", "b", null)).isTrue();
    assertThat(cluster.statefulSet(ns, "mysql").orElseThrow().annotations())
        .doesNotContainKey("zoneguard.io/failover");
  }

  @Test
  void claimsAreReleasedOnlyWhenNoRunningPodUsesThemAndRecreatedPreBound(BackupFixture f) {
    var kube = f.kube.client();
    Fabric8Cluster cluster = new Fabric8Cluster(kube);
    f.world.markZoneNotReady("us-east-1b");

    // mysql-0 runs on a Ready node: its claim stays (Terminating), as on a real cluster
    assertThat(cluster.deletePvc(f.namespace(), "data-mysql-0")).isFalse();
    var held =
        kube.persistentVolumeClaims().inNamespace(f.namespace()).withName("data-mysql-0").get();
    assertThat(held.getMetadata().getFinalizers()).contains("kubernetes.io/pvc-protection");

    // mysql-1's node is down: the claim is released and gone; deleting again is a no-op
    assertThat(cluster.deletePvc(f.namespace(), "data-mysql-1")).isTrue();
    assertThat(cluster.deletePvc(f.namespace(), "data-mysql-1")).isTrue();

    var plan = planned(f, 1, "us-east-1b");
    for (int i = 0; i < 2; i++) {
      cluster.createPv(f.namespace(), "fo-1", plan, "vol-new");
      cluster.createClaim(f.namespace(), "fo-1", plan);
    }
    assertThatThrownBy(() -> cluster.createPv(f.namespace(), "fo-1", plan, "vol-other"))
        .hasMessageContaining("exists but is not over vol-other");

    var pvc =
        kube.persistentVolumeClaims().inNamespace(f.namespace()).withName("data-mysql-1").get();
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo("zoneguard-fo-1-data-mysql-1");
    assertThat(
            kube.persistentVolumes()
                .withLabel("zoneguard.io/failover-id", "fo-1")
                .list()
                .getItems())
        .singleElement()
        .satisfies(
            pv -> {
              assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("data-mysql-1");
              assertThat(pv.getSpec().getCsi().getVolumeHandle()).isEqualTo("vol-new");
            });
    // the old PV is still there
    assertThat(cluster.pv(f.members.get(1).pv())).isPresent();

    var plan0 = planned(f, 0, "us-east-1a");
    assertThatThrownBy(() -> cluster.createClaim(f.namespace(), "fo-1", plan0))
        .hasMessageContaining("still exists and names volume")
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.REFUSED_UNSAFE);
  }

  /** Replica {@code ordinal} planned to move from {@code zone} to us-east-1c. */
  private static io.zoneguard.domain.FailoverPlan.PlannedVolume planned(
      BackupFixture f, int ordinal, String zone) {
    return new io.zoneguard.domain.FailoverPlan.PlannedVolume(
        "data-mysql-" + ordinal,
        ordinal,
        f.members.get(ordinal).volumeId(),
        zone,
        f.members.get(ordinal).pv(),
        "snap-" + ordinal,
        "t",
        60,
        "us-east-1c",
        10,
        "gp3",
        3000,
        125,
        true,
        null,
        "gp3",
        "ext4",
        List.of("ReadWriteOnce"),
        "set-1");
  }
}
