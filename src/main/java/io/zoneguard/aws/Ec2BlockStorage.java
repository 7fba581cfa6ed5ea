package io.zoneguard.aws;

import io.zoneguard.domain.FastRestorePlan;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.domain.VolumeSpec;
import io.zoneguard.domain.Zone;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.port.BlockStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DisableFastSnapshotRestoreErrorItem;
import software.amazon.awssdk.services.ec2.model.DisableFastSnapshotRestoreStateError;
import software.amazon.awssdk.services.ec2.model.DisableFastSnapshotRestoreStateErrorItem;
import software.amazon.awssdk.services.ec2.model.EnableFastSnapshotRestoreErrorItem;
import software.amazon.awssdk.services.ec2.model.EnableFastSnapshotRestoreStateError;
import software.amazon.awssdk.services.ec2.model.EnableFastSnapshotRestoreStateErrorItem;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
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

  @Override
  public Map<String, Set<String>> fastRestoreZones(Collection<String> snapshotIds) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    // only "enabled" initializes a new volume fully at creation; while "enabling" or
    // "optimizing" EBS still loads it lazily
    describeFastRestores(snapshotIds, Optional.of("enabled"))
        .forEach(
            f ->
                out.computeIfAbsent(f.snapshotId(), k -> new TreeSet<>())
                    .add(f.availabilityZone()));
    return out;
  }

  @Override
  public Map<String, Map<String, String>> fastRestoreStates(Collection<String> snapshotIds) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    describeFastRestores(snapshotIds, Optional.empty())
        .forEach(
            f ->
                out.computeIfAbsent(f.snapshotId(), k -> new java.util.TreeMap<>())
                    .put(f.availabilityZone(), f.stateAsString()));
    return out;
  }

  private List<software.amazon.awssdk.services.ec2.model.DescribeFastSnapshotRestoreSuccessItem>
      describeFastRestores(Collection<String> snapshotIds, Optional<String> state) {
    List<software.amazon.awssdk.services.ec2.model.DescribeFastSnapshotRestoreSuccessItem> out =
        new ArrayList<>();
    List<String> ids = new ArrayList<>(snapshotIds);
    for (int i = 0; i < ids.size(); i += FILTER_BATCH) {
      List<Filter> filters = new ArrayList<>();
      filters.add(
          Filter.builder()
              .name("snapshot-id")
              .values(ids.subList(i, Math.min(ids.size(), i + FILTER_BATCH)))
              .build());
      state.ifPresent(s -> filters.add(Filter.builder().name("state").values(s).build()));
      try {
        ec2.describeFastSnapshotRestoresPaginator(r -> r.filters(filters))
            .fastSnapshotRestores()
            .forEach(out::add);
      } catch (SdkException e) {
        throw AwsErrors.translate("EC2 DescribeFastSnapshotRestores", e);
      }
    }
    return out;
  }

  @Override
  public List<FastRestorePlan.Failure> enableFastRestore(
      Collection<String> snapshotIds, Collection<String> zones) {
    if (snapshotIds.isEmpty() || zones.isEmpty()) {
      return List.of();
    }
    try {
      // EC2 answers per snapshot-zone pair: refused pairs come back in "unsuccessful", not as an
      // error of the whole call, so one unknown snapshot does not hide the others
      return refused(
          ec2.enableFastSnapshotRestores(
                  r -> r.sourceSnapshotIds(snapshotIds).availabilityZones(zones))
              .unsuccessful(),
          EnableFastSnapshotRestoreErrorItem::snapshotId,
          EnableFastSnapshotRestoreErrorItem::fastSnapshotRestoreStateErrors,
          EnableFastSnapshotRestoreStateErrorItem::availabilityZone,
          EnableFastSnapshotRestoreStateErrorItem::error,
          EnableFastSnapshotRestoreStateError::code,
          EnableFastSnapshotRestoreStateError::message);
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 EnableFastSnapshotRestores", e);
    }
  }

  @Override
  public List<FastRestorePlan.Failure> disableFastRestore(
      Collection<String> snapshotIds, Collection<String> zones) {
    if (snapshotIds.isEmpty() || zones.isEmpty()) {
      return List.of();
    }
    try {
      return refused(
          ec2.disableFastSnapshotRestores(
                  r -> r.sourceSnapshotIds(snapshotIds).availabilityZones(zones))
              .unsuccessful(),
          DisableFastSnapshotRestoreErrorItem::snapshotId,
          DisableFastSnapshotRestoreErrorItem::fastSnapshotRestoreStateErrors,
          DisableFastSnapshotRestoreStateErrorItem::availabilityZone,
          DisableFastSnapshotRestoreStateErrorItem::error,
          DisableFastSnapshotRestoreStateError::code,
          DisableFastSnapshotRestoreStateError::message);
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 DisableFastSnapshotRestores", e);
    }
  }

  /**
   * The refused pairs of an Enable/DisableFastSnapshotRestores answer: per snapshot, per zone, an
   * error code and message. The two calls' SDK types have the same shape but no common supertype.
   */
  private static <U, E, X> List<FastRestorePlan.Failure> refused(
      List<U> unsuccessful,
      Function<U, String> snapshot,
      Function<U, List<E>> errors,
      Function<E, String> zone,
      Function<E, X> error,
      Function<X, String> code,
      Function<X, String> message) {
    List<FastRestorePlan.Failure> out = new ArrayList<>();
    for (U u : unsuccessful) {
      for (E e : errors.apply(u)) {
        X x = error.apply(e);
        out.add(
            new FastRestorePlan.Failure(
                snapshot.apply(u),
                zone.apply(e),
                x == null ? null : code.apply(x),
                x == null ? null : message.apply(x)));
      }
    }
    return out;
  }

  static VolumeSpec toSpec(Volume v) {
    Map<String, String> tags = tagMap(v.tags());
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

  @Override
  public SnapshotRef createSnapshot(String volumeId, String description, Map<String, String> tags) {
    try {
      var r =
          ec2.createSnapshot(
              b ->
                  b.volumeId(volumeId)
                      .description(description)
                      .tagSpecifications(tagSpec(ResourceType.SNAPSHOT, tags)));
      return new SnapshotRef(
          r.snapshotId(),
          r.volumeId(),
          r.stateAsString(),
          r.startTime(),
          r.volumeSize() == null ? 0 : r.volumeSize(),
          Boolean.TRUE.equals(r.encrypted()),
          r.kmsKeyId(),
          tags);
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 CreateSnapshot of " + volumeId, e);
    }
  }

  /** A waiter that polls from 1 s, backing off to {@code max}, until {@code timeout}. */
  private static java.util.function.Consumer<
          software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration.Builder>
      polling(Duration timeout, Duration max) {
    return w ->
        w.waitTimeout(timeout)
            .maxAttempts((int) Math.max(2, timeout.toSeconds()))
            .backoffStrategyV2(
                software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelayHalfJitter(
                    Duration.ofSeconds(1), max));
  }

  @Override
  public List<SnapshotRef> awaitSnapshots(Collection<String> snapshotIds, Duration timeout) {
    if (snapshotIds.isEmpty()) {
      return List.of();
    }
    List<String> ids = List.copyOf(snapshotIds);
    try {
      // The waiter ends early on state "error"; the describe below reports whatever each reached.
      // The SDK's default polls every 15 s. In a failback the replica is down while its snapshot
      // completes, so up to 15 s of downtime would be spent waiting for the next poll: start at
      // 1 s and back off to the SDK's 15 s (a snapshot that takes minutes costs no extra calls).
      ec2.waiter()
          .waitUntilSnapshotCompleted(
              r -> r.snapshotIds(ids), polling(timeout, Duration.ofSeconds(15)));
    } catch (SdkException e) {
      // fall through: the final describe says which snapshots are not completed
    }
    return describeSnapshots(List.of(Filter.builder().name("snapshot-id").values(ids).build()));
  }

  @Override
  public List<SnapshotRef> findSnapshots(Map<String, String> tags) {
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("refusing to list snapshots without a tag filter");
    }
    List<Filter> filters = new ArrayList<>();
    tags.forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
    return describeSnapshots(filters);
  }

  private List<SnapshotRef> describeSnapshots(List<Filter> filters) {
    try {
      return ec2
          .describeSnapshotsPaginator(r -> r.ownerIds("self").filters(filters))
          .snapshots()
          .stream()
          .map(Ec2BlockStorage::toRef)
          .toList();
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 DescribeSnapshots", e);
    }
  }

  @Override
  public void deleteSnapshot(String snapshotId) {
    try {
      ec2.deleteSnapshot(r -> r.snapshotId(snapshotId));
    } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
      if (e.awsErrorDetails() != null
          && "InvalidSnapshot.NotFound".equals(e.awsErrorDetails().errorCode())) {
        return;
      }
      throw AwsErrors.translate("EC2 DeleteSnapshot " + snapshotId, e);
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 DeleteSnapshot " + snapshotId, e);
    }
  }

  @Override
  public void deleteDrillVolume(String volumeId) {
    VolumeSpec v = volumes(List.of(volumeId)).get(volumeId);
    if (v == null) {
      return;
    }
    if (!v.tags().containsKey(io.zoneguard.domain.Keys.TAG_DRILL_ID)) {
      throw io.zoneguard.domain.ZoneguardException.unsafe(
          "volume "
              + volumeId
              + " has no tag "
              + io.zoneguard.domain.Keys.TAG_DRILL_ID
              + ": zoneguard deletes only volumes its drills created");
    }
    try {
      ec2.deleteVolume(r -> r.volumeId(volumeId));
    } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
      if (e.awsErrorDetails() != null
          && "InvalidVolume.NotFound".equals(e.awsErrorDetails().errorCode())) {
        return;
      }
      throw AwsErrors.translate("EC2 DeleteVolume " + volumeId, e);
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 DeleteVolume " + volumeId, e);
    }
  }

  @Override
  public String copySnapshotFrom(
      String sourceRegion, String snapshotId, String description, Map<String, String> tags) {
    try {
      return ec2.copySnapshot(
              r ->
                  r.sourceRegion(sourceRegion)
                      // Named explicitly so the SDK need not derive it from an overridden
                      // endpoint's host name when it presigns the source-region request.
                      .destinationRegion(ec2.serviceClientConfiguration().region().id())
                      .sourceSnapshotId(snapshotId)
                      .description(description)
                      .tagSpecifications(tagSpec(ResourceType.SNAPSHOT, tags)))
          .snapshotId();
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 CopySnapshot " + snapshotId + " from " + sourceRegion, e);
    }
  }

  @Override
  public VolumeSpec createVolume(NewVolume v) {
    try {
      var r =
          ec2.createVolume(
              b -> {
                b.snapshotId(v.snapshotId())
                    .availabilityZone(v.zone())
                    .volumeType(v.volumeType())
                    .size(v.sizeGiB())
                    .tagSpecifications(tagSpec(ResourceType.VOLUME, v.tags()));
                // gp3/io1/io2 keep their provisioned performance; gp2/st1/sc1 have none to set
                if (v.iops() != null && !"gp2".equals(v.volumeType())) {
                  b.iops(v.iops());
                }
                if (v.throughputMiBps() != null && "gp3".equals(v.volumeType())) {
                  b.throughput(v.throughputMiBps());
                }
                // a provisioned rate writes every block of the snapshot at that rate, so the
                // volume reaches full speed after size/rate instead of lazily on first reads
                if (v.initializationRateMiBps() != null) {
                  b.volumeInitializationRate(v.initializationRateMiBps());
                }
                if (v.encrypted()) {
                  b.encrypted(true);
                  if (v.kmsKeyId() != null) {
                    b.kmsKeyId(v.kmsKeyId());
                  }
                }
              });
      // the answer describes the new volume fully: no DescribeVolumes per volume (O(1) calls)
      return toSpec(
          Volume.builder()
              .volumeId(r.volumeId())
              .availabilityZone(r.availabilityZone())
              .size(r.size())
              .volumeType(r.volumeTypeAsString())
              .iops(r.iops())
              .throughput(r.throughput())
              .encrypted(r.encrypted())
              .kmsKeyId(r.kmsKeyId())
              .state(r.stateAsString())
              .snapshotId(r.snapshotId())
              .tags(r.tags().isEmpty() ? tagSpec(ResourceType.VOLUME, v.tags()).tags() : r.tags())
              .build());
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 CreateVolume from " + v.snapshotId() + " in " + v.zone(), e);
    }
  }

  @Override
  public List<VolumeSpec> findVolumes(Map<String, String> tags) {
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("refusing to list volumes without a tag filter");
    }
    List<Filter> filters = new ArrayList<>();
    tags.forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
    try {
      return ec2.describeVolumesPaginator(r -> r.filters(filters)).volumes().stream()
          .map(Ec2BlockStorage::toSpec)
          .toList();
    } catch (SdkException e) {
      throw AwsErrors.translate("EC2 DescribeVolumes", e);
    }
  }

  @Override
  public List<VolumeSpec> awaitVolumes(Collection<String> volumeIds, Duration timeout) {
    if (volumeIds.isEmpty()) {
      return List.of();
    }
    List<String> ids = List.copyOf(volumeIds);
    try {
      // The SDK's default polls every 15 s; a volume from a snapshot is usually available in a
      // few seconds, and every second counts during a failover: poll from 1 s, backing off to 5 s.
      ec2.waiter()
          .waitUntilVolumeAvailable(r -> r.volumeIds(ids), polling(timeout, Duration.ofSeconds(5)));
    } catch (SdkException e) {
      // fall through: the describe below says which volumes are not available
    }
    return List.copyOf(volumes(ids).values());
  }

  static TagSpecification tagSpec(ResourceType type, Map<String, String> tags) {
    return TagSpecification.builder()
        .resourceType(type)
        .tags(
            tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList())
        .build();
  }

  static SnapshotRef toRef(Snapshot s) {
    return new SnapshotRef(
        s.snapshotId(),
        s.volumeId(),
        s.stateAsString(),
        s.startTime(),
        s.volumeSize() == null ? 0 : s.volumeSize(),
        Boolean.TRUE.equals(s.encrypted()),
        s.kmsKeyId(),
        tagMap(s.tags()));
  }

  private static Map<String, String> tagMap(List<Tag> tags) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Tag t : tags) {
      out.put(t.key(), t.value());
    }
    return out;
  }
}
