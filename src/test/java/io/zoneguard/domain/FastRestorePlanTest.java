package io.zoneguard.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which FSR pairs to enable and disable so that only the newest set has FSR, where chosen. */
class FastRestorePlanTest {
  private static final List<String> A_C = List.of("us-east-1a", "us-east-1c");

  @Test
  void aFirstSetGetsFsrInEveryChosenZoneAndNothingIsDisabled() {
    FastRestorePlan p = FastRestorePlan.of(List.of("snap-n1", "snap-n2"), A_C, Map.of());

    assertThat(p.enable())
        .containsExactly(
            Map.entry("us-east-1a", Set.of("snap-n1", "snap-n2")),
            Map.entry("us-east-1c", Set.of("snap-n1", "snap-n2")));
    assertThat(p.disable()).isEmpty();
    assertThat(FastRestorePlan.pairs(p.enable())).isEqualTo(4);
  }

  @Test
  void theOlderSetsActivePairsAreDisabledAndTheNewSetEnabled() {
    FastRestorePlan p =
        FastRestorePlan.of(
            List.of("snap-n1"),
            A_C,
            Map.of(
                "snap-o1", Map.of("us-east-1a", "enabled", "us-east-1c", "optimizing"),
                // already going away or gone: nothing to do
                "snap-o2", Map.of("us-east-1a", "disabling", "us-east-1c", "disabled"),
                "snap-o3", Map.of("us-east-1b", "enabling")));

    assertThat(p.enable())
        .containsExactly(
            Map.entry("us-east-1a", Set.of("snap-n1")), Map.entry("us-east-1c", Set.of("snap-n1")));
    assertThat(p.disable())
        .containsExactly(
            Map.entry("us-east-1a", Set.of("snap-o1")),
            Map.entry("us-east-1b", Set.of("snap-o3")),
            Map.entry("us-east-1c", Set.of("snap-o1")));
  }

  @Test
  void aNewSetPairAlreadyUnderWayIsLeftAloneAndAZoneNoLongerChosenIsTurnedOff() {
    FastRestorePlan p =
        FastRestorePlan.of(
            List.of("snap-n1", "snap-n2"),
            A_C,
            Map.of(
                "snap-n1",
                Map.of(
                    "us-east-1a", "optimizing", "us-east-1b", "enabled", "us-east-1c", "enabled"),
                "snap-n2",
                Map.of("us-east-1a", "disabling", "us-east-1c", "enabling")));

    // a disabling pair must be enabled again; active ones need nothing
    assertThat(p.enable()).containsExactly(Map.entry("us-east-1a", Set.of("snap-n2")));
    // the newest set itself loses FSR in a zone the config no longer names
    assertThat(p.disable()).containsExactly(Map.entry("us-east-1b", Set.of("snap-n1")));
  }

  @Test
  void whenEverythingIsInPlaceThereIsNothingToDo() {
    FastRestorePlan p =
        FastRestorePlan.of(
            List.of("snap-n1"),
            A_C,
            Map.of(
                "snap-n1", Map.of("us-east-1a", "enabled", "us-east-1c", "enabling"),
                "snap-o1", Map.of("us-east-1a", "disabled")));

    assertThat(p.nothingToDo()).isTrue();
  }

  @Test
  void noZonesTurnsFsrOffEverywhere() {
    FastRestorePlan p =
        FastRestorePlan.of(
            List.of("snap-n1"), List.of(), Map.of("snap-n1", Map.of("us-east-1a", "enabled")));

    assertThat(p.enable()).isEmpty();
    assertThat(p.disable()).containsExactly(Map.entry("us-east-1a", Set.of("snap-n1")));
  }
}
