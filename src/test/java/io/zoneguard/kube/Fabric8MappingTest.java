package io.zoneguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.zoneguard.domain.PvSource;
import io.zoneguard.domain.Zone;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How each per-kind adapter maps its kind to facts, including objects with absent fields. */
class Fabric8MappingTest {
  @Test
  void inTreeEbsVolumeIdLosesItsAwsUrlPrefixAndZoneComesFromLegacyLabel() {
    PersistentVolume pv =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName("pv-old")
            .withLabels(Map.of("failure-domain.beta.kubernetes.io/zone", "eu-west-1b"))
            .endMetadata()
            .withNewSpec()
            .withNewAwsElasticBlockStore()
            .withVolumeID("aws://eu-west-1b/vol-0abc")
            .withFsType("xfs")
            .endAwsElasticBlockStore()
            .endSpec()
            .build();

    assertThat(Fabric8PersistentVolumes.toFacts(pv).source())
        .isEqualTo(new PvSource.Ebs("vol-0abc", "xfs", "kubernetes.io/aws-ebs"));
    assertThat(Fabric8PersistentVolumes.zoneOf(pv)).isEqualTo(Zone.of("eu-west-1b"));
  }

  @Test
  void csiZoneKeyOfOlderEbsDriversIsUnderstood() {
    PersistentVolume pv =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName("pv")
            .endMetadata()
            .withNewSpec()
            .withNewCsi()
            .withDriver("ebs.csi.aws.com")
            .withVolumeHandle("vol-1")
            .endCsi()
            .withNewNodeAffinity()
            .withNewRequired()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey("topology.ebs.csi.aws.com/zone")
            .withOperator("In")
            .withValues("us-east-1c")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequired()
            .endNodeAffinity()
            .endSpec()
            .build();

    assertThat(Fabric8PersistentVolumes.zoneOf(pv)).isEqualTo(Zone.of("us-east-1c"));
  }

  @Test
  void otherCsiDriversAreNotEbs() {
    PersistentVolume pv =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName("pv")
            .endMetadata()
            .withNewSpec()
            .withNewCsi()
            .withDriver("efs.csi.aws.com")
            .withVolumeHandle("fs-1")
            .endCsi()
            .endSpec()
            .build();
    assertThat(Fabric8PersistentVolumes.toFacts(pv).source())
        .isEqualTo(new PvSource.Other("csi:efs.csi.aws.com"));
  }

  @Test
  void objectsWithAbsentFieldsMapOrFailWithOneLineNeverANullPointer() {
    var node =
        new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata()
            .withName("n1")
            .endMetadata()
            .build();
    assertThat(Fabric8Nodes.toFacts(node))
        .isEqualTo(
            new io.zoneguard.domain.NodeFacts("n1", null, false, false, java.util.List.of()));

    var pod =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withNamespace("shop")
            .endMetadata()
            .build();
    var facts = Fabric8Pods.toFacts(pod);
    assertThat(facts.nodeName()).isNull();
    assertThat(facts.claimNames()).isEmpty();

    var claim =
        new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName("data-mysql-0")
            .withNamespace("shop")
            .endMetadata()
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fabric8Claims.toFacts(claim))
        .isInstanceOf(io.zoneguard.domain.ZoneguardException.class)
        .hasMessage(
            "persistentvolumeclaim shop/data-mysql-0 has no spec: the API returned an"
                + " incomplete object; inspect it");
    var sts =
        new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
            .withNewMetadata()
            .withName("mysql")
            .withNamespace("shop")
            .endMetadata()
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fabric8StatefulSets.toFacts(sts))
        .hasMessageStartingWith("statefulset shop/mysql has no spec");
    var pv = new PersistentVolumeBuilder().withNewMetadata().withName("pv-x").endMetadata().build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fabric8PersistentVolumes.toFacts(pv))
        .hasMessageStartingWith("persistentvolume pv-x has no spec");
  }

  /**
   * Issue 11, defect 8: an absent {@code spec}, {@code status}, labels or claimRef is a sensible
   * empty fact (or a one-line error naming the object), never a NullPointerException.
   */
  @Test
  void aNodeWithoutSpecIsSchedulableUntaintedAndWithoutInstance() {
    var node =
        new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata()
            .withName("n2")
            .withLabels(Map.of("topology.kubernetes.io/zone", "us-east-1b"))
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .endCondition()
            .endStatus()
            .build();
    var facts = Fabric8Nodes.toFacts(node);
    assertThat(facts.zone()).isEqualTo(Zone.of("us-east-1b"));
    assertThat(facts.ready()).isFalse();
    assertThat(facts.unschedulable()).isFalse();
    assertThat(facts.taints()).isEmpty();
    assertThat(facts.instanceId()).isNull();
  }

  @Test
  void aPvWithoutClaimRefIsUnclaimedAndStillMapsItsVolume() {
    PersistentVolume pv =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName("pv-free")
            .endMetadata()
            .withNewSpec()
            .withNewCsi()
            .withDriver("ebs.csi.aws.com")
            .withVolumeHandle("vol-9")
            .endCsi()
            .endSpec()
            .build();
    var facts = Fabric8PersistentVolumes.toFacts(pv);
    assertThat(facts.claimRef()).isNull();
    assertThat(facts.claimUid()).isNull();
    assertThat(facts.phase()).isNull();
    assertThat(facts.capacity()).isNull();
    assertThat(facts.accessModes()).isEmpty();
    assertThat(facts.zone()).isNull();
    assertThat(facts.over("vol-9")).isTrue();
    assertThat(facts.shape().volumeMode()).isEqualTo("Filesystem");
  }

  @Test
  void aPodWithoutStatusIsNotReadyAndHasNoPhase() {
    var pod =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withName("mysql-1")
            .withNamespace("shop")
            .endMetadata()
            .withNewSpec()
            .withNodeName("n1")
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("data-mysql-1")
            .endPersistentVolumeClaim()
            .endVolume()
            .addNewVolume()
            .withName("config")
            .withNewConfigMap()
            .withName("cnf")
            .endConfigMap()
            .endVolume()
            .endSpec()
            .build();
    var facts = Fabric8Pods.toFacts(pod);
    assertThat(facts.phase()).isNull();
    assertThat(facts.ready()).isFalse();
    assertThat(facts.terminating()).isFalse();
    assertThat(facts.nodeName()).isEqualTo("n1");
    assertThat(facts.claimNames()).containsExactly("data-mysql-1");
  }

  @Test
  void aClaimAndAStatefulSetWithoutStatusMapToEmptyStatus() {
    var claim =
        new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName("data-mysql-0")
            .withNamespace("shop")
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .build();
    var c = Fabric8Claims.toFacts(claim);
    assertThat(c.phase()).isNull();
    assertThat(c.volumeName()).isNull();
    assertThat(c.capacity()).isNull();
    assertThat(c.terminating()).isFalse();

    var sts =
        new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
            .withNewMetadata()
            .withName("mysql")
            .withNamespace("shop")
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .build();
    var s = Fabric8StatefulSets.toFacts(sts);
    assertThat(s.replicas()).isEqualTo(1);
    assertThat(s.readyReplicas()).isZero();
    assertThat(s.claimTemplates()).isEmpty();
    assertThat(s.podManagementPolicy()).isEqualTo("OrderedReady");
  }

  @Test
  void objectsWithoutMetadataFailWithOneLine() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Fabric8Nodes.toFacts(new io.fabric8.kubernetes.api.model.Node()))
        .isInstanceOf(io.zoneguard.domain.ZoneguardException.class)
        .hasMessage("node has no metadata: the API returned an incomplete object; inspect it");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Fabric8Pods.toFacts(new io.fabric8.kubernetes.api.model.Pod()))
        .hasMessageStartingWith("pod has no metadata");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Fabric8PersistentVolumes.toFacts(new PersistentVolume()))
        .hasMessageStartingWith("persistentvolume has no metadata");
  }
}
