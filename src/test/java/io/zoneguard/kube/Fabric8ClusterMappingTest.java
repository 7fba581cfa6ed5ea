package io.zoneguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.zoneguard.domain.PvSource;
import io.zoneguard.domain.Zone;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Fabric8ClusterMappingTest {
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

    assertThat(Fabric8Cluster.toFacts(pv).source())
        .isEqualTo(new PvSource.Ebs("vol-0abc", "xfs", "kubernetes.io/aws-ebs"));
    assertThat(Fabric8Cluster.zoneOf(pv)).isEqualTo(Zone.of("eu-west-1b"));
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

    assertThat(Fabric8Cluster.zoneOf(pv)).isEqualTo(Zone.of("us-east-1c"));
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
    assertThat(Fabric8Cluster.toFacts(pv).source())
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
    assertThat(Fabric8Cluster.toFacts(node))
        .isEqualTo(
            new io.zoneguard.domain.NodeFacts("n1", null, false, false, java.util.List.of()));

    var pod =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withNamespace("shop")
            .endMetadata()
            .build();
    var facts = Fabric8Cluster.toFacts(pod);
    assertThat(facts.nodeName()).isNull();
    assertThat(facts.claimNames()).isEmpty();

    var claim =
        new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName("data-mysql-0")
            .withNamespace("shop")
            .endMetadata()
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fabric8Cluster.toFacts(claim))
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
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fabric8Cluster.toFacts(sts))
        .hasMessageStartingWith("statefulset shop/mysql has no spec");
    var pv = new PersistentVolumeBuilder().withNewMetadata().withName("pv-x").endMetadata().build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fabric8Cluster.toFacts(pv))
        .hasMessageStartingWith("persistentvolume pv-x has no spec");
  }
}
