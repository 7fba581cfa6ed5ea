package io.zoneguard.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.backup.RetentionPolicy.Decision;
import io.zoneguard.backup.RetentionPolicy.SetInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:30:00Z");
  private static final Duration GRACE = Duration.ofHours(6);

  private static SetInfo set(String at, boolean complete) {
    return new SetInfo("set@" + at, Instant.parse(at), complete);
  }

  /** Every hour for {@code hours} hours back from NOW, complete. */
  private static List<SetInfo> hourly(int hours) {
    List<SetInfo> out = new ArrayList<>();
    for (int i = 0; i < hours; i++) {
      out.add(set(NOW.minus(Duration.ofHours(i)).toString(), true));
    }
    return out;
  }

  @Test
  void everySetLandsInExactlyOneList() {
    List<SetInfo> sets = hourly(24 * 40);
    Decision d = new RetentionPolicy(6, 7, 4, 3, GRACE).decide(sets, Set.of(), NOW);
    assertThat(d.keep().size() + d.delete().size()).isEqualTo(sets.size());
    Set<String> both = new HashSet<>(d.keep());
    both.retainAll(d.delete());
    assertThat(both).isEmpty();
  }

  @Test
  void keepsNewestOfEachOfTheLastNHoursDaysWeeksAndMonths() {
    List<SetInfo> sets = hourly(24 * 70); // 70 days of hourly sets
    Decision d = new RetentionPolicy(3, 2, 2, 3, GRACE).decide(sets, Set.of(), NOW);

    assertThat(d.keep())
        .containsExactly(
            "set@2026-11-23T12:30:00Z", // newest, hourly, daily, weekly, monthly
            "set@2026-11-23T11:30:00Z", // hourly
            "set@2026-11-23T10:30:00Z", // hourly
            "set@2026-11-22T23:30:00Z", // daily (22nd), weekly (week 47 ends Sunday 22nd)
            "set@2026-10-31T23:30:00Z", // monthly (October)
            "set@2026-09-30T23:30:00Z"); // monthly (September)
    assertThat(d.reasons().get("set@2026-11-23T12:30:00Z")).isEqualTo("newest complete set");
    assertThat(d.reasons().get("set@2026-10-31T23:30:00Z")).isEqualTo("monthly");
  }

  @Test
  void allZeroCountsStillKeepTheNewestCompleteSet() {
    List<SetInfo> sets = new ArrayList<>(hourly(5));
    sets.add(0, set("2026-11-23T12:20:00Z", false)); // incomplete, past the zero grace
    Decision d = new RetentionPolicy(0, 0, 0, 0, Duration.ZERO).decide(sets, Set.of(), NOW);
    assertThat(d.keep()).containsExactly("set@2026-11-23T12:30:00Z");
  }

  @Test
  void neverDeletesWhenTheOnlyCompleteSetIsOld() {
    List<SetInfo> sets =
        List.of(set("2025-01-01T00:00:00Z", true), set("2025-01-02T00:00:00Z", false));
    Decision d = new RetentionPolicy(0, 1, 0, 0, GRACE).decide(sets, Set.of(), NOW);
    assertThat(d.keep()).containsExactly("set@2025-01-01T00:00:00Z");
    assertThat(d.delete()).containsExactly("set@2025-01-02T00:00:00Z");
  }

  @Test
  void recentIncompleteSetsMayStillBeRunningAndAreKept() {
    List<SetInfo> sets =
        List.of(
            set("2026-11-23T12:29:00Z", false),
            set("2026-11-23T01:00:00Z", false),
            set("2026-11-22T00:00:00Z", true));
    Decision d = new RetentionPolicy(1, 1, 1, 1, GRACE).decide(sets, Set.of(), NOW);
    assertThat(d.keep()).containsExactly("set@2026-11-23T12:29:00Z", "set@2026-11-22T00:00:00Z");
    assertThat(d.delete()).containsExactly("set@2026-11-23T01:00:00Z");
  }

  @Test
  void setsInUseByAFailoverOrDrillAreKept() {
    List<SetInfo> sets = hourly(48);
    String old = "set@" + NOW.minus(Duration.ofHours(47));
    Decision d = new RetentionPolicy(1, 0, 0, 0, GRACE).decide(sets, Set.of(old), NOW);
    assertThat(d.keep()).contains(old);
    assertThat(d.reasons().get(old)).isEqualTo("in use by a failover or drill");
  }

  @Test
  void noSetsNoDecisions() {
    Decision d = new RetentionPolicy(1, 1, 1, 1, GRACE).decide(List.of(), Set.of(), NOW);
    assertThat(d.keep()).isEmpty();
    assertThat(d.delete()).isEmpty();
  }

  @Test
  void negativeCountsAreRejected() {
    assertThatThrownBy(() -> new RetentionPolicy(-1, 0, 0, 0, GRACE))
        .hasMessageContaining("negative");
  }
}
