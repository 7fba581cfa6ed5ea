package io.zoneguard.aws;

import io.zoneguard.domain.VolumeSpec;
import io.zoneguard.domain.Zone;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.port.BlockStorage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;

/** {@link BlockStorage} on EC2/EBS. */
public final class Ec2BlockStorage implements BlockStorage {
  /** EC2 accepts at most 200 values per filter. */
  private static final int FILTER_BATCH = 200;

  private final Ec2Client ec2;

  public Ec2BlockStorage(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  @Override
  public List<ZoneState> zones() {
    try {
      return ec2
          .describeAvailabilityZones(r -> r.allAvailabilityZones(false))
          .availabilityZones()
          .stream()
          .filter(z -> z.zoneType() == null || "availability-zone".equals(z.zoneType()))
          .map(z -> new ZoneState(Zone.of(z.zoneName()), z.stateAsString(), z.zoneId()))
          .sorted((a, b) -> a.zone().compareTo(b.zone()))
          .toList();
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 DescribeAvailabilityZones", e);
    }
  }

  @Override
  public Map<String, VolumeSpec> volumes(Collection<String> volumeIds) {
    Map<String, VolumeSpec> out = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>(volumeIds);
    // A volume-id filter (not VolumeIds) so an unknown id is simply absent instead of failing all.
    for (int i = 0; i < ids.size(); i += FILTER_BATCH) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + FILTER_BATCH));
      try {
        ec2.describeVolumesPaginator(
                r -> r.filters(Filter.builder().name("volume-id").values(batch).build()))
            .volumes()
            .forEach(v -> out.put(v.volumeId(), toSpec(v)));
      } catch (SdkException e) {
        throw AwsErrors.translate("EC2 DescribeVolumes", e);
      }
    }
    return out;
  }

  static VolumeSpec toSpec(Volume v) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (Tag t : v.tags()) {
      tags.put(t.key(), t.value());
    }
    return new VolumeSpec(
        v.volumeId(),
        Zone.of(v.availabilityZone()),
        v.size() == null ? 0 : v.size(),
        v.volumeTypeAsString(),
        v.iops(),
        v.throughput(),
        Boolean.TRUE.equals(v.encrypted()),
        v.kmsKeyId(),
        v.stateAsString(),
        v.snapshotId() == null || v.snapshotId().isEmpty() ? null : v.snapshotId(),
        tags);
  }
}
