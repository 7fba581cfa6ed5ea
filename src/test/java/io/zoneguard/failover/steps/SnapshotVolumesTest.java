package io.zoneguard.failover.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.VolumeSpec;
import io.zoneguard.domain.Zone;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.failover.FailoverOptions;
import io.zoneguard.failover.FenceMode;
import io.zoneguard.failover.Progress;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.testing.Plans;
import io.zoneguard.testing.ReadOnlyCluster;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * I3: a failback snapshot starts only once the source volume is detached. The pod object being gone
 * is not enough: upstream the attach-detach controller ({@code reconciler.go}) detaches a volume
 * only after the pod is deleted, and EBS reports it {@code in-use}/{@code detaching} meanwhile:
 * only {@code available} proves no instance can still write to it. The old failback snapshotted as
 * soon as the pods were gone. (Mutation evidence in docs/design-notes.md: FailoverScenariosIT
 * zone-b-dead seeds 1 and 2 did not catch a snapshot step that skips the wait for {@code
 * available}: the simulated attach/detach controller detaches in the same round the kubelet deletes
 * the pod object, so the window never shows there.)
 */
class SnapshotVolumesTest {
  private final ReadOnlyCluster cluster = new ReadOnlyCluster();
  private final List<String> snapshotted = new ArrayList<>();
  private final PlannedVolume moved =
      Plans.move(1, "vol-c", "us-east-1c", "zoneguard-fo-1-data-mysql-1", "us-east-1b");

  /** EC2 that still reports the moved replica's volume attached, and records snapshot starts. */
  private final BlockStorage stillAttached =
      (BlockStorage)
          Proxy.newProxyInstance(
              BlockStorage.class.getClassLoader(),
              new Class<?>[] {BlockStorage.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "findSnapshots" -> List.of();
                    case "volumes" -> Map.of(moved.oldVolumeId(), attached(moved));
                    case "createSnapshot" -> {
                      snapshotted.add((String) args[0]);
                      throw new IllegalStateException("snapshot started while attached");
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                  });

  /** The moved replica's current volume as EC2 describes it while still attached. */
  private static VolumeSpec attached(PlannedVolume v) {
    return new VolumeSpec(
        v.oldVolumeId(),
        Zone.of(v.oldZone()),
        v.sizeGiB(),
        v.volumeType(),
        v.iops(),
        v.throughputMiBps(),
        v.encrypted(),
        v.kmsKeyId(),
        "in-use",
        null,
        Map.of());
  }

  @Test
  void noSnapshotWhileTheVolumeIsStillAttachedThoughItsPodIsGone() {
    FailoverPlan plan = Plans.failback("us-east-1b", List.of(moved), List.of(), List.of());
    Duration quick = Duration.ofMillis(200);
    StepContext ctx =
        new StepContext(
            cluster.port(),
            stillAttached,
            null,
            null,
            "c",
            new FailoverOptions(
                false,
                FenceMode.VERIFY,
                quick,
                quick,
                quick,
                quick,
                Duration.ofMillis(20),
                Duration.ofMinutes(2),
                1,
                null),
            Progress.SILENT,
            Clock.systemUTC(),
            FailoverRecord.start("fb-1", "me", "2026-11-24T10:00:00Z", plan),
            r -> r);

    assertThatThrownBy(() -> new SnapshotVolumes().run(ctx))
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining("not quiet yet: [vol-c in-use]");
    assertThat(snapshotted).as("snapshots started").isEmpty();
  }
}
