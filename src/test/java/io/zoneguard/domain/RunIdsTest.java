package io.zoneguard.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.RunIds.Kind;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunIdsTest {
  private static final Instant T = Instant.parse("2026-11-24T10:15:30Z");

  @Test
  void idsNameKindAndUtcTimeAndDifferWithinOneSecond() {
    assertThat(RunIds.next(Kind.FAILOVER, T)).matches("fo-20261124-101530-[0-9a-f]{4}");
    assertThat(RunIds.next(Kind.FAILBACK, T)).startsWith("fb-20261124-101530-");
    assertThat(RunIds.next(Kind.DRILL, T)).startsWith("dr-20261124-101530-");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      ids.add(RunIds.next(Kind.FAILOVER, T));
    }
    // 50 draws from 65536: a collision would be a broken random source, not bad luck (p < 2%)
    assertThat(ids).hasSizeGreaterThan(48);
  }

  @Test
  void validAcceptsOnlyItsOwnKindAndShape() {
    String drill = RunIds.next(Kind.DRILL, T);
    assertThat(RunIds.valid(Kind.DRILL, drill)).isTrue();
    assertThat(RunIds.valid(Kind.FAILOVER, drill)).isFalse();
    assertThat(RunIds.valid(Kind.DRILL, "dr-20261124-101530-xyz1")).isFalse();
    assertThat(RunIds.valid(Kind.DRILL, "dr-20261124-101530-00aa; rm")).isFalse();
    assertThat(RunIds.valid(Kind.DRILL, null)).isFalse();
  }

  @Test
  void onlyDrillIdsAreDrills() {
    assertThat(RunIds.isDrill(RunIds.next(Kind.DRILL, T))).isTrue();
    assertThat(RunIds.isDrill(RunIds.next(Kind.FAILBACK, T))).isFalse();
  }
}
