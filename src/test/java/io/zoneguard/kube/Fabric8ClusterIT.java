package io.zoneguard.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.Cluster;
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
  void claimDeletesCarryTheUidAndNeverLiftThePvcProtectionFinalizer(BackupFixture f) {
    var kube = f.kube.client();
    Fabric8Cluster cluster = new Fabric8Cluster(asZoneguard(kube));
    f.world.markZoneNotReady("us-east-1b");
    var claims = kube.persistentVolumeClaims().inNamespace(f.namespace());
    String uid1 = claims.withName("data-mysql-1").get().getMetadata().getUid();
    assertThat(uid1).isNotBlank();

    // another UID: the name belongs to another claim now; nothing is touched
    assertThat(cluster.deleteClaim(f.namespace(), "data-mysql-1", "some-other-uid"))
        .isEqualTo(Cluster.ClaimDeletion.OTHER_UID);
    assertThat(claims.withName("data-mysql-1").get().getMetadata().getDeletionTimestamp()).isNull();

    // the claim planned: accepted, and it stays Terminating even though its pod's node is
    // NotReady: only Kubernetes' pvc-protection controller lifts its finalizer (issue 11, #2)
    assertThat(cluster.deleteClaim(f.namespace(), "data-mysql-1", uid1))
        .isEqualTo(Cluster.ClaimDeletion.ACCEPTED);
    var terminating = claims.withName("data-mysql-1").get();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(terminating.getMetadata().getFinalizers()).contains("kubernetes.io/pvc-protection");
    assertThat(cluster.pvcs(f.namespace()))
        .filteredOn(c -> c.ref().name().equals("data-mysql-1"))
        .singleElement()
        .satisfies(c -> assertThat(c.terminating()).isTrue());
    // the request said which claim it meant (I5): a recreated claim would get 409, not deleted
    assertThat(f.kube.audit().deletes())
        .singleElement()
        .asString()
        .contains("/persistentvolumeclaims/data-mysql-1")
        .contains("\"preconditions\":{\"uid\":\"" + uid1 + "\"}");

    assertThat(cluster.deleteClaim(f.namespace(), "no-such-claim", "x"))
        .isEqualTo(Cluster.ClaimDeletion.GONE);
  }

  @Test
  void theHoldFinalizerGoesOnAndOffOnlyTheClaimWithThatUid(BackupFixture f) {
    var kube = f.kube.client();
    Fabric8Cluster cluster = new Fabric8Cluster(asZoneguard(kube));
    var claims = kube.persistentVolumeClaims().inNamespace(f.namespace());
    String uid0 = claims.withName("data-mysql-0").get().getMetadata().getUid();

    assertThat(cluster.holdClaim(f.namespace(), "data-mysql-0", "another-uid", true)).isFalse();
    assertThat(claims.withName("data-mysql-0").get().getMetadata().getFinalizers())
        .doesNotContain("zoneguard.io/hold");

    for (int i = 0; i < 2; i++) {
      assertThat(cluster.holdClaim(f.namespace(), "data-mysql-0", uid0, true)).isTrue();
    }
    assertThat(claims.withName("data-mysql-0").get().getMetadata().getFinalizers())
        .containsExactlyInAnyOrder("kubernetes.io/pvc-protection", "zoneguard.io/hold");

    assertThat(cluster.holdClaim(f.namespace(), "data-mysql-0", uid0, false)).isTrue();
    assertThat(claims.withName("data-mysql-0").get().getMetadata().getFinalizers())
        .containsExactly("kubernetes.io/pvc-protection");
    assertThat(f.kube.audit().ungranted()).isEmpty();
  }

  @Test
  void preBoundPvAndClaimAreCreatedOnceAndAnExistingClaimIsLeftAlone(BackupFixture f) {
    var kube = f.kube.client();
    Fabric8Cluster cluster = new Fabric8Cluster(kube);
    var plan = planned(f, 1, "us-east-1b");
    var block = new io.zoneguard.domain.PvShape("Block", null, List.of(), java.util.Map.of());

    // the old claim is still there: createClaim says so and changes nothing
    assertThat(cluster.createClaim(f.namespace(), "fo-1", plan, "Block")).isFalse();
    assertThat(
            kube.persistentVolumeClaims()
                .inNamespace(f.namespace())
                .withName("data-mysql-1")
                .get()
                .getSpec()
                .getVolumeName())
        .isEqualTo(f.members.get(1).pv());

    kube.persistentVolumeClaims().inNamespace(f.namespace()).withName("data-mysql-1").delete();
    kube.persistentVolumeClaims()
        .inNamespace(f.namespace())
        .withName("data-mysql-1")
        .edit(
            c -> {
              c.getMetadata().setFinalizers(List.of());
              return c;
            });
    for (int i = 0; i < 2; i++) {
      cluster.createPv(f.namespace(), "fo-1", plan, "vol-new", block);
    }
    assertThat(cluster.createClaim(f.namespace(), "fo-1", plan, "Block")).isTrue();
    assertThat(cluster.createClaim(f.namespace(), "fo-1", plan, "Block")).isFalse();
    assertThatThrownBy(() -> cluster.createPv(f.namespace(), "fo-1", plan, "vol-other", block))
        .hasMessageContaining("exists but is not over vol-other");

    var pvc =
        kube.persistentVolumeClaims().inNamespace(f.namespace()).withName("data-mysql-1").get();
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo("zoneguard-fo-1-data-mysql-1");
    assertThat(pvc.getSpec().getVolumeMode()).isEqualTo("Block");
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
              assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Block");
            });
    // the old PV is still there
    assertThat(cluster.pv(f.members.get(1).pv())).isPresent();
  }

  /** A client that identifies as zoneguard, so the mock's audit records its requests. */
  private static io.fabric8.kubernetes.client.KubernetesClient asZoneguard(
      io.fabric8.kubernetes.client.KubernetesClient kube) {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder(kube.getConfiguration())
                .withUserAgent(KubeClients.USER_AGENT)
                .build())
        .build();
  }

  /** Replica {@code ordinal} planned to move from {@code zone} to us-east-1c. */
  private static io.zoneguard.domain.FailoverPlan.PlannedVolume planned(
      BackupFixture f, int ordinal, String zone) {
    return io.zoneguard.testing.Plans.move(
        ordinal,
        f.members.get(ordinal).volumeId(),
        zone,
        f.members.get(ordinal).pv(),
        "us-east-1c");
  }
}
