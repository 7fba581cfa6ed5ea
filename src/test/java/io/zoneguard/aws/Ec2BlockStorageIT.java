package io.zoneguard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.VolumeSpec;
import io.zoneguard.domain.Zone;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.FastSnapshotRestoreStandIn;
import io.zoneguard.testing.FaultProxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.VolumeType;

@ExtendWith(AwsExtension.class)
class Ec2BlockStorageIT {

  @Test
  void zonesOfTheRegionAreListedWithTheirState(AwsBackend backend) {
    try (AwsClients aws = backend.clients()) {
      List<ZoneState> zones = new Ec2BlockStorage(aws.ec2()).zones();
      assertThat(zones)
          .extracting(ZoneState::zone)
          .contains(Zone.of("us-east-1a"), Zone.of("us-east-1b"), Zone.of("us-east-1c"));
      assertThat(zones).allMatch(ZoneState::available);
    }
  }

  @Test
  void volumesAreDescribedFullyAndUnknownIdsAreAbsentNotFatal(AwsBackend backend) {
    try (AwsClients aws = backend.clients()) {
      String id =
          aws.ec2()
              .createVolume(
                  r ->
                      r.availabilityZone("us-east-1b")
                          .size(20)
                          .volumeType(VolumeType.IO2)
                          .iops(4000)
                          .encrypted(true)
                          .tagSpecifications(
                              t -> t.resourceType("volume").tags(x -> x.key("team").value("db"))))
              .volumeId();

      Map<String, VolumeSpec> found =
          new Ec2BlockStorage(aws.ec2()).volumes(List.of(id, "vol-0000000000deadbee"));

      assertThat(found).containsOnlyKeys(id);
      VolumeSpec v = found.get(id);
      assertThat(v.zone()).isEqualTo(Zone.of("us-east-1b"));
      assertThat(v.sizeGiB()).isEqualTo(20);
      assertThat(v.volumeType()).isEqualTo("io2");
      assertThat(v.iops()).isEqualTo(4000);
      assertThat(v.encrypted()).isTrue();
      assertThat(v.state()).isEqualTo("available");
      assertThat(v.tags()).containsEntry("team", "db");
    }
  }

  @Test
  void restoresASnapshotIntoAnotherZoneFindsItByTagAndWaitsForIt(AwsBackend backend) {
    try (AwsClients aws = backend.clients()) {
      Ec2BlockStorage ebs = new Ec2BlockStorage(aws.ec2());
      String source =
          aws.ec2()
              .createVolume(
                  r -> r.availabilityZone("us-east-1b").size(30).volumeType(VolumeType.GP3))
              .volumeId();
      String failoverId = "fo-" + System.nanoTime();
      var snap = ebs.createSnapshot(source, "it", Map.of("zoneguard.io/failover-it", failoverId));
      ebs.awaitSnapshots(List.of(snap.snapshotId()), java.time.Duration.ofSeconds(30));

      VolumeSpec created =
          ebs.createVolume(
              new io.zoneguard.port.BlockStorage.NewVolume(
                  snap.snapshotId(),
                  "us-east-1c",
                  30,
                  "gp3",
                  4000,
                  250,
                  true,
                  null,
                  Map.of(
                      "zoneguard.io/failover-id", failoverId, "zoneguard.io/pvc", "data-mysql-1"),
                  null));

      assertThat(created.zone()).isEqualTo(Zone.of("us-east-1c"));
      assertThat(created.snapshotId()).isEqualTo(snap.snapshotId());
      assertThat(created.sizeGiB()).isEqualTo(30);
      assertThat(created.iops()).isEqualTo(4000);
      assertThat(created.throughputMiBps()).isEqualTo(250);
      assertThat(created.encrypted()).isTrue();
      assertThat(ebs.findVolumes(Map.of("zoneguard.io/failover-id", failoverId)))
          .extracting(VolumeSpec::volumeId)
          .containsExactly(created.volumeId());
      assertThat(ebs.awaitVolumes(List.of(created.volumeId()), java.time.Duration.ofSeconds(30)))
          .extracting(VolumeSpec::state)
          .containsExactly("available");
      // the source volume is untouched
      assertThat(ebs.volumes(List.of(source))).containsKey(source);
    }
  }

  /**
   * A provisioned initialization rate reaches EC2 as CreateVolume's VolumeInitializationRate (moto
   * ignores the field, so the proxy's record of the request is the proof), and a volume without one
   * is created without it: EBS's default loading, billed nothing extra.
   */
  @Test
  void aProvisionedInitializationRateIsSentWithCreateVolume(AwsBackend backend) throws Exception {
    try (FaultProxy proxy = new FaultProxy(backend.endpoint(), s -> false, 500, "none");
        AwsClients aws = backend.clientsVia(proxy)) {
      Ec2BlockStorage ebs = new Ec2BlockStorage(aws.ec2());
      String source =
          aws.ec2()
              .createVolume(
                  r -> r.availabilityZone("us-east-1a").size(8).volumeType(VolumeType.GP3))
              .volumeId();
      var snap = ebs.createSnapshot(source, "it", Map.of("zoneguard.io/rate-it", source));
      ebs.awaitSnapshots(List.of(snap.snapshotId()), java.time.Duration.ofSeconds(30));
      var plain =
          new io.zoneguard.port.BlockStorage.NewVolume(
              snap.snapshotId(),
              "us-east-1c",
              null,
              "gp3",
              null,
              null,
              false,
              null,
              Map.of("zoneguard.io/rate-it", source),
              null);

      ebs.createVolume(plain.withInitializationRate(200));
      ebs.createVolume(plain.withInitializationRate(null));

      List<String> bodies =
          proxy.seen().stream()
              .filter(s -> "CreateVolume".equals(s.action()) && s.body().contains("SnapshotId"))
              .map(FaultProxy.Seen::body)
              .toList();
      assertThat(bodies).hasSize(2);
      assertThat(bodies.get(0)).contains("VolumeInitializationRate=200");
      assertThat(bodies.get(1)).doesNotContain("VolumeInitializationRate");
    }
  }

  /**
   * Which snapshots restore instantly where: only FSR state {@code enabled} counts (a volume made
   * while {@code enabling}/{@code optimizing} still loads lazily), asked for in one call with the
   * snapshot-id and state filters. moto has no FSR API: {@link FastSnapshotRestoreStandIn} answers
   * it as the EC2 API reference describes.
   */
  @Test
  void fastRestoreZonesAreTheZonesWhereFsrIsEnabled(AwsBackend backend) throws Exception {
    FastSnapshotRestoreStandIn fsr =
        new FastSnapshotRestoreStandIn()
            .set("snap-00000000000000001", "us-east-1a", "enabled")
            .set("snap-00000000000000001", "us-east-1c", "enabled")
            .set("snap-00000000000000001", "us-east-1b", "optimizing")
            .set("snap-00000000000000002", "us-east-1a", "enabling")
            .set("snap-0000000000000000f", "us-east-1a", "enabled");
    try (FaultProxy proxy =
            new FaultProxy(backend.endpoint(), s -> false, 500, "none").withGate(fsr, s -> false);
        AwsClients aws = backend.clientsVia(proxy)) {
      Ec2BlockStorage ebs = new Ec2BlockStorage(aws.ec2());

      var zones =
          ebs.fastRestoreZones(
              List.of(
                  "snap-00000000000000001", "snap-00000000000000002", "snap-0000000000000000e"));

      assertThat(zones)
          .containsExactly(
              Map.entry("snap-00000000000000001", java.util.Set.of("us-east-1a", "us-east-1c")));
      assertThat(
              proxy.seen().stream()
                  .filter(s -> "DescribeFastSnapshotRestores".equals(s.action()))
                  .count())
          .isEqualTo(1);
    }
  }
}
