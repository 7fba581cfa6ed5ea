package io.zoneguard.drill;

import io.zoneguard.binlog.RecoveryTarget;
import io.zoneguard.domain.Hydration;
import java.time.Duration;
import java.util.Optional;

/**
 * A drill of one StatefulSet's backups: which set (default the newest complete one), whether to
 * keep the scratch objects for inspection, whether a checksum drift fails the drill, how long to
 * wait for volumes and claims, the image and timeout of the pods that mount each restored claim,
 * and how the restored volumes are initialized (a drill with the rate a failover would use measures
 * the RTO that failover would have). {@code replayTo} (null: none) rolls the scratch database
 * forward from the binlog archive after the dump is verified: to an instant, or to the newest
 * archived transaction ({@link RecoveryTarget#latest()}).
 */
public record DrillRequest(
    String namespace,
    String statefulSet,
    Optional<String> setId,
    boolean keep,
    boolean strictChecksums,
    Duration volumeTimeout,
    Duration bindTimeout,
    String mountImage,
    Duration mountTimeout,
    Hydration hydration,
    RecoveryTarget replayTo) {

  /**
   * A small public image that has {@code sleep}; from ECR Public, which has no anonymous pull rate
   * limit like Docker Hub's.
   */
  public static final String DEFAULT_MOUNT_IMAGE = "public.ecr.aws/docker/library/busybox:1.36";

  public static final Duration DEFAULT_MOUNT_TIMEOUT = Duration.ofMinutes(5);

  public DrillRequest {
    mountImage = mountImage == null || mountImage.isBlank() ? DEFAULT_MOUNT_IMAGE : mountImage;
    mountTimeout = mountTimeout == null ? DEFAULT_MOUNT_TIMEOUT : mountTimeout;
    hydration = hydration == null ? Hydration.DEFAULT : hydration;
  }

  /** With the default mount image and timeout and EBS's default initialization. */
  public DrillRequest(
      String namespace,
      String statefulSet,
      Optional<String> setId,
      boolean keep,
      boolean strictChecksums,
      Duration volumeTimeout,
      Duration bindTimeout,
      RecoveryTarget replayTo) {
    this(
        namespace,
        statefulSet,
        setId,
        keep,
        strictChecksums,
        volumeTimeout,
        bindTimeout,
        DEFAULT_MOUNT_IMAGE,
        DEFAULT_MOUNT_TIMEOUT,
        Hydration.DEFAULT,
        replayTo);
  }
}
