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
    assertThat(h.describe(List.of(100, 20, 100)))
        .isEqualTo(
            "provisioned 200 MiB/s: full speed within ~8m (largest volume 100 GiB; 220 GiB in all,"
                + " initialized in parallel)");
    assertThat(Hydration.DEFAULT.describe(List.of(100)))
        .contains("EBS default initialization")
        .contains("--initialization-rate");
  }
}
