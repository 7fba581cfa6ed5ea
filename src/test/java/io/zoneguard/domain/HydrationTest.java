package io.zoneguard.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HydrationTest {
  @Test
  void onlyTheRangeEc2AcceptsIsARate() {
    assertThat(Hydration.of(100).rateMiBps()).isEqualTo(100);
    assertThat(Hydration.of(300).rateMiBps()).isEqualTo(300);
    assertThat(Hydration.of(null)).isEqualTo(Hydration.DEFAULT);
    assertThat(Hydration.DEFAULT.provisioned()).isFalse();
    for (int bad : new int[] {0, 99, 301, -5}) {
      assertThatThrownBy(() -> Hydration.of(bad))
          .isInstanceOf(ZoneguardException.class)
          .hasMessageContaining("--initialization-rate must be between 100 and 300")
          .hasMessageContaining("got " + bad)
          .extracting(e -> ((ZoneguardException) e).exitCode())
          .isEqualTo(ExitCode.USAGE);
    }
  }

  @Test
  void theEstimateIsTheLargestVolumeOverTheRateRoundedUp() {
    Hydration h = Hydration.of(200);
    // 100 GiB = 102400 MiB at 200 MiB/s = 512 s
    assertThat(h.seconds(100)).isEqualTo(512);
    // 1 GiB = 1024 MiB at 300 MiB/s = 3.41 s, rounded up: never promise too early
    assertThat(Hydration.of(300).seconds(1)).isEqualTo(4);
    assertThat(Hydration.DEFAULT.seconds(100)).isEqualTo(-1);
    assertThat(h.describe(targets(false, 100, 20, 100)))
        .isEqualTo(
            "provisioned 200 MiB/s: full speed within ~8m (largest volume 100 GiB; 220 GiB in all,"
                + " initialized in parallel)");
    assertThat(Hydration.DEFAULT.describe(targets(false, 100)))
        .contains("EBS default initialization")
        .contains("--initialization-rate");
  }

  /**
   * EBS ignores FSR when a rate is sent with an FSR-enabled snapshot (CreateVolume API reference,
   * VolumeInitializationRate): so the rate goes only with volumes FSR does not cover, and FSR is
   * used only when asked for (--fast-restore), never because it happens to be enabled.
   */
  @Test
  void fastRestoreIsUsedOnlyWhereEnabledAndAskedForAndThenNoRateIsSent() {
    Hydration both = Hydration.of(200, true);
    assertThat(both.rateFor(true)).isNull();
    assertThat(both.rateFor(false)).isEqualTo(200);
    assertThat(Hydration.of(200, false).rateFor(true)).isEqualTo(200);
    assertThat(Hydration.of(null, true).rateFor(false)).isNull();

    assertThat(both.describe(targets(true, 100, 50)))
        .isEqualTo(
            "Fast Snapshot Restore: every new volume is fully initialized at creation (instant)");
    assertThat(
            both.describe(
                List.of(new Hydration.Target(100, true), new Hydration.Target(50, false))))
        .isEqualTo(
            "Fast Snapshot Restore for 1 of 2 volumes (instant); the others: provisioned 200"
                + " MiB/s: full speed within ~4m (largest volume 50 GiB; 50 GiB in all,"
                + " initialized in parallel)");
    assertThat(Hydration.of(null, true).describe(targets(false, 10)))
        .startsWith(
            "no snapshot has Fast Snapshot Restore enabled in its target zone; EBS default");
    // enabled but not asked for: not counted as instant
    assertThat(Hydration.of(null, false).describe(targets(true, 10)))
        .startsWith("EBS default initialization");
  }

  private static List<Hydration.Target> targets(boolean fsr, int... sizes) {
    return java.util.Arrays.stream(sizes).mapToObj(g -> new Hydration.Target(g, fsr)).toList();
  }

  /**
   * A refused plan can hold a volume without a snapshot (none completed) or target: the hydration
   * note must not fail on it (it did, with a NullPointerException from Map.of().getOrDefault(null),
   * turning "refused, exit 3" into "unexpected error, exit 1").
   */
  @Test
  void aVolumeWithoutSnapshotOrZoneHasNoFastRestore() {
    java.util.Map<String, java.util.Set<String>> none = java.util.Map.of();
    java.util.Map<String, java.util.Set<String>> some =
        java.util.Map.of("snap-1", java.util.Set.of("us-east-1c"));
    assertThat(Hydration.enabledIn(none, null, "us-east-1c")).isFalse();
    assertThat(Hydration.enabledIn(some, null, "us-east-1c")).isFalse();
    assertThat(Hydration.enabledIn(some, "snap-1", null)).isFalse();
    assertThat(Hydration.enabledIn(some, "snap-2", "us-east-1c")).isFalse();
    assertThat(Hydration.enabledIn(some, "snap-1", "us-east-1c")).isTrue();
  }
}
