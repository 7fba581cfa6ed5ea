package io.zoneguard.failover.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.ZoneguardException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepIdTest {

  @Test
  void everyStepHasAUniqueIdAnImplementationAndAPlaceInAnOrder() {
    assertThat(new HashSet<>(Arrays.stream(StepId.values()).map(StepId::id).toList()))
        .hasSize(StepId.values().length);
    for (StepId s : StepId.values()) {
      assertThat(StepId.of(s.id())).isSameAs(s);
      assertThat(s.implementation()).isNotNull();
      assertThat(StepId.FAILOVER.contains(s) || StepId.FAILBACK.contains(s)).as(s.id()).isTrue();
    }
  }

  @Test
  void failbackReleasesTheHoldOnlyAfterThePreBoundPvsExistAndSnapshotsAfterThePodsStop() {
    List<StepId> fb = StepId.FAILBACK;
    assertThat(fb.indexOf(StepId.HOLD_CLAIMS)).isLessThan(fb.indexOf(StepId.DELETE_CLAIMS));
    assertThat(fb.indexOf(StepId.DELETE_CLAIMS)).isLessThan(fb.indexOf(StepId.STOP_PODS));
    assertThat(fb.indexOf(StepId.STOP_PODS)).isLessThan(fb.indexOf(StepId.SNAPSHOT_VOLUMES));
    assertThat(fb.indexOf(StepId.CREATE_PVS)).isLessThan(fb.indexOf(StepId.RELEASE_CLAIMS));
    List<StepId> fo = StepId.FAILOVER;
    assertThat(fo.indexOf(StepId.RETAIN_OLD_PVS)).isLessThan(fo.indexOf(StepId.DELETE_OLD_PVCS));
    assertThat(fo.indexOf(StepId.CREATE_PVS)).isLessThan(fo.indexOf(StepId.DELETE_OLD_PVCS));
  }

  @Test
  void anUnknownRecordedStepIsAUsageErrorNotAGuess() {
    assertThatThrownBy(() -> StepId.of("release-pvcs"))
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining("step 'release-pvcs' of the recorded plan is unknown")
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void helpListsEveryStepInOrderWithItsDescription() {
    String help = StepId.help(StepId.FAILBACK).replace("%n", "\n");
    int at = -1;
    for (StepId s : StepId.FAILBACK) {
      int i = help.indexOf(". " + s.id() + " ");
      assertThat(i).as(s.id()).isGreaterThan(at);
      at = i;
    }
    assertThat(help.lines()).allMatch(l -> l.length() <= 100);
    assertThat(help).contains("zoneguard.io/hold");
  }

  @Test
  void outcomesSayWhetherTheStepHadToAct() {
    assertThat(StepOutcome.noop("all old PVs already Retain").summary())
        .isEqualTo("all old PVs already Retain (already done)");
    assertThat(StepOutcome.changed("Retain on [pv-1]").summary()).isEqualTo("Retain on [pv-1]");
    assertThat(StepOutcome.of(false, "x").kind()).isEqualTo(StepOutcome.Kind.NOOP);
  }
}
