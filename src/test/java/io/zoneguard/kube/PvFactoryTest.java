package io.zoneguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.PvShape;
import io.zoneguard.domain.PvSource;
import io.zoneguard.domain.Zone;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PvFactoryTest {
  private final PlannedVolume v =
      new PlannedVolume(
          "data-mysql-1",
          1,
          "vol-old",
          "us-east-1b",
          "pv-old",
          "snap-1",
          "2026-11-23T10:00:00Z",
          600,
          "us-east-1c",
          20,
          "gp3",
          3000,
          125,
          true,
          "kms",
          "gp3",
          "xfs",
          List.of("ReadWriteOnce"),
          "set-1");

  @Test
  void pvIsPreBoundToTheClaimNamePinnedToTheTargetZoneAndRetained() {
    PersistentVolume pv =
        PvFactory.pv(
            "shop", "fo-1", v, "vol-new", List.of("ReadWriteOnce"), PvShape.filesystem(null));

    assertThat(pv.getMetadata().getName()).isEqualTo("zoneguard-fo-1-data-mysql-1");
    assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo("shop");
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("data-mysql-1");
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.getSpec().getStorageClassName()).isEqualTo("gp3");
    assertThat(pv.getSpec().getCapacity().get("storage").toString()).isEqualTo("20Gi");
    // read back through the same mapping status and failover use
    assertThat(Fabric8PersistentVolumes.toFacts(pv).source())
        .isEqualTo(new PvSource.Ebs("vol-new", "xfs", "ebs.csi.aws.com"));
    assertThat(Fabric8PersistentVolumes.zoneOf(pv)).isEqualTo(Zone.of("us-east-1c"));
  }

  @Test
  void pvcAsksForExactlyThatPvUnderTheOriginalName() {
    PersistentVolumeClaim pvc =
        PvFactory.pvc(
            "shop", "fo-1", v, List.of("ReadWriteOnce"), Map.of("app", "mysql"), "Filesystem");

    assertThat(pvc.getMetadata().getName()).isEqualTo("data-mysql-1");
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo("zoneguard-fo-1-data-mysql-1");
    assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("gp3");
    assertThat(pvc.getMetadata().getLabels())
        .containsEntry("app", "mysql")
        .containsEntry("zoneguard.io/failover-id", "fo-1");
  }

  @Test
  void theNewPvPresentsTheVolumeAsTheOldPvDid() {
    PvShape block =
        new PvShape("Block", null, List.of("noatime"), Map.of("encrypted", "true", "type", "gp3"));

    PersistentVolume pv =
        PvFactory.pv("shop", "fo-1", v, "vol-new", List.of("ReadWriteOnce"), block);

    assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Block");
    assertThat(pv.getSpec().getMountOptions()).containsExactly("noatime");
    assertThat(pv.getSpec().getCsi().getVolumeAttributes())
        .containsEntry("encrypted", "true")
        .containsEntry("type", "gp3");
    assertThat(pv.getSpec().getCsi().getFsType()).as("a raw block device has none").isNull();
    // read back, the shape is the one given: what the next failover would carry again
    assertThat(Fabric8PersistentVolumes.toFacts(pv).shape()).isEqualTo(block);
    assertThat(
            PvFactory.pvc("shop", "fo-1", v, List.of("ReadWriteOnce"), Map.of(), "Block")
                .getSpec()
                .getVolumeMode())
        .isEqualTo("Block");

    PersistentVolume fs =
        PvFactory.pv(
            "shop",
            "fo-1",
            v,
            "vol-new",
            List.of("ReadWriteOnce"),
            new PvShape("Filesystem", "ext4", List.of(), Map.of()));
    assertThat(fs.getSpec().getCsi().getFsType()).isEqualTo("ext4");
    assertThat(fs.getSpec().getVolumeMode()).isEqualTo("Filesystem");
  }

  @Test
  void longPvNamesAreCutToAValidNameWithAHashSuffix() {
    // 253 is the limit; the plain cut of this (valid) claim name would end in its "."
    String pvc = "data-" + "a".repeat(202) + "." + "b".repeat(60);
    String name = PvFactory.pvName("fo-20261124-101500-ab12", pvc);
    String other = PvFactory.pvName("fo-20261124-101500-ab12", pvc + "c");

    assertThat(name).hasSizeLessThanOrEqualTo(253).matches(".*-[0-9a-f]{10}");
    assertThat(name).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?").doesNotContain(".-", "-.");
    assertThat(name).endsWith("a-" + name.substring(name.length() - 10));
    assertThat(other).isNotEqualTo(name).hasSizeLessThanOrEqualTo(253);
    assertThat(PvFactory.pvName("fo-20261124-101500-ab12", pvc)).isEqualTo(name);
    assertThat(PvFactory.pvName("fo-1", "data-mysql-1")).isEqualTo("zoneguard-fo-1-data-mysql-1");
  }
}
