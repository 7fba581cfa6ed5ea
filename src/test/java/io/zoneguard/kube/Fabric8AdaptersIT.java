package io.zoneguard.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.Claims;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.EksWorld;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The failover step primitives of the per-kind Kubernetes adapters against the CRUD mock. */
@ExtendWith(BackupFixtureExtension.class)
class Fabric8AdaptersIT {

  /**
   * The node adapter only edits: whether a node may be tainted or unfenced is the fence and unfence
   * steps' decision ({@code FencingTest}, {@code UnfenceTest}). Both edits are idempotent.
   */
  @Test
  void outOfServiceTaintAndCordonGoOnOnceAndUnfenceTakesBothOff(BackupFixture f) {
    var kube = f.kube.client();
    Fabric8Nodes nodes = new Fabric8Nodes(kube);
    String down = EksWorld.nodeName("us-east-1b", 0);
    f.world.markZoneNotReady("us-east-1b");

    nodes.cordon(down);
    nodes.taintOutOfService(down);
    nodes.taintOutOfService(down);
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
    assertThat(nodes.list())
        .filteredOn(n -> n.name().equals(down))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.ready()).isFalse();
              assertThat(n.unschedulable()).isTrue();
              assertThat(n.taints()).containsExactly("node.kubernetes.io/out-of-service");
            });

    nodes.unfence(down);
    nodes.unfence(down);
    node = kube.nodes().withName(down).get();
    assertThat(node.getSpec().getUnschedulable()).isNull();
    assertThat(node.getSpec().getTaints()).isEmpty();
  }

  @Test
  void retainKeepsTheOldVolumeWhenItsClaimGoes(BackupFixture f) {
    var pvs = new Fabric8PersistentVolumes(f.kube.client());
    String pv = f.members.get(1).pv();
    pvs.setReclaimPolicy(pv, "Retain");
    pvs.setReclaimPolicy(pv, "Retain");
    assertThat(pvs.get(pv).orElseThrow().reclaimPolicy()).isEqualTo("Retain");
  }

  @Test
  void annotationsAreReplacedOnlyFromTheExpectedValue(BackupFixture f) {
    var cluster = new Fabric8StatefulSets(f.kube.client());
    String ns = f.namespace();
    assertThat(cluster.replaceAnnotation(ns, "mysql", "zoneguard.io/failover", null, "a")).isTrue();
    assertThat(cluster.replaceAnnotation(ns, "mysql", "zoneguard.io/failover", null, "b"))
        .isFalse();
    assertThat(cluster.replaceAnnotation(ns, "mysql", "zoneguard.io/failover", "x", "b")).isFalse();
    assertThat(cluster.replaceAnnotation(ns, "mysql", "zoneguard.io/failover", "a", "b")).isTrue();
    assertThat(cluster.get(ns, "mysql").orElseThrow().annotations())
        .containsEntry("zoneguard.io/failover", "b");
    assertThat(cluster.replaceAnnotation(ns, "mysql", "zoneguard.io/failover", "b", null)).isTrue();
    assertThat(cluster.get(ns, "mysql").orElseThrow().annotations())
        .doesNotContainKey("zoneguard.io/failover");
  }

  @Test
  void claimDeletesCarryTheUidAndNeverLiftThePvcProtectionFinalizer(BackupFixture f) {
    var kube = f.kube.client();
    var cluster = new Fabric8Claims(asZoneguard(kube));
    f.world.markZoneNotReady("us-east-1b");
    var claims = kube.persistentVolumeClaims().inNamespace(f.namespace());
    String uid1 = claims.withName("data-mysql-1").get().getMetadata().getUid();
    assertThat(uid1).isNotBlank();

    // another UID: the name belongs to another claim now; nothing is touched
    assertThat(cluster.delete(f.namespace(), "data-mysql-1", "some-other-uid"))
        .isEqualTo(Claims.Deletion.OTHER_UID);
    assertThat(claims.withName("data-mysql-1").get().getMetadata().getDeletionTimestamp()).isNull();

    // the claim planned: accepted, and it stays Terminating even though its pod's node is
    // NotReady: only Kubernetes' pvc-protection controller lifts its finalizer (issue 11, #2)
    assertThat(cluster.delete(f.namespace(), "data-mysql-1", uid1))
        .isEqualTo(Claims.Deletion.ACCEPTED);
    var terminating = claims.withName("data-mysql-1").get();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(terminating.getMetadata().getFinalizers()).contains("kubernetes.io/pvc-protection");
    assertThat(cluster.list(f.namespace()))
        .filteredOn(c -> c.ref().name().equals("data-mysql-1"))
        .singleElement()
        .satisfies(c -> assertThat(c.terminating()).isTrue());
    // the request said which claim it meant (I5): a recreated claim would get 409, not deleted
    assertThat(f.kube.audit().deletes())
        .singleElement()
        .asString()
        .contains("/persistentvolumeclaims/data-mysql-1")
        .contains("\"preconditions\":{\"uid\":\"" + uid1 + "\"}");

    assertThat(cluster.delete(f.namespace(), "no-such-claim", "x")).isEqualTo(Claims.Deletion.GONE);
  }

  @Test
  void theHoldFinalizerGoesOnAndOffOnlyTheClaimWithThatUid(BackupFixture f) {
    var kube = f.kube.client();
    var cluster = new Fabric8Claims(asZoneguard(kube));
    var claims = kube.persistentVolumeClaims().inNamespace(f.namespace());
    String uid0 = claims.withName("data-mysql-0").get().getMetadata().getUid();

    assertThat(cluster.hold(f.namespace(), "data-mysql-0", "another-uid", true)).isFalse();
    assertThat(claims.withName("data-mysql-0").get().getMetadata().getFinalizers())
        .doesNotContain("zoneguard.io/hold");

    for (int i = 0; i < 2; i++) {
      assertThat(cluster.hold(f.namespace(), "data-mysql-0", uid0, true)).isTrue();
    }
    assertThat(claims.withName("data-mysql-0").get().getMetadata().getFinalizers())
        .containsExactlyInAnyOrder("kubernetes.io/pvc-protection", "zoneguard.io/hold");

    assertThat(cluster.hold(f.namespace(), "data-mysql-0", uid0, false)).isTrue();
    assertThat(claims.withName("data-mysql-0").get().getMetadata().getFinalizers())
        .containsExactly("kubernetes.io/pvc-protection");
    assertThat(f.kube.audit().ungranted()).isEmpty();
  }

  @Test
  void preBoundPvAndClaimAreCreatedOnceAndAnExistingClaimIsLeftAlone(BackupFixture f) {
    var kube = f.kube.client();
    var claims = new Fabric8Claims(kube);
    var pvs = new Fabric8PersistentVolumes(kube);
    var plan = planned(f, 1, "us-east-1b");
    var block = new io.zoneguard.domain.PvShape("Block", null, List.of(), java.util.Map.of());

    // the old claim is still there: create says so and changes nothing
    assertThat(claims.create(f.namespace(), "fo-1", plan, "Block")).isFalse();
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
    assertThat(pvs.create(f.namespace(), "fo-1", plan, "vol-new", block)).isTrue();
    // a second create leaves the existing PV alone and says so: the step judges what it is over
    assertThat(pvs.create(f.namespace(), "fo-1", plan, "vol-new", block)).isFalse();
    assertThat(claims.create(f.namespace(), "fo-1", plan, "Block")).isTrue();
    assertThat(claims.create(f.namespace(), "fo-1", plan, "Block")).isFalse();
    assertThat(pvs.create(f.namespace(), "fo-1", plan, "vol-other", block)).isFalse();
    var existing = pvs.get("zoneguard-fo-1-data-mysql-1").orElseThrow();
    assertThat(existing.over("vol-new")).isTrue();
    assertThatThrownBy(() -> existing.requireOver("vol-other"))
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining("exists but is not over vol-other")
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.REFUSED_UNSAFE);

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
    assertThat(pvs.get(f.members.get(1).pv())).isPresent();
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
