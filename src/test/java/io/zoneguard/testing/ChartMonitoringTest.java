package io.zoneguard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The series-name parser the chart's monitoring checks rely on. */
class ChartMonitoringTest {
  @Test
  void seriesNamesSkipFunctionsKeywordsMatchersRangesAndLabelLists() {
    assertThat(
            ChartMonitoring.seriesNames(
                "sum by (namespace, statefulset) (increase(a_total{job=\"up\",x=~\"b|c\"}[1h])) > 0"
                    + " or on (namespace) (time() - max(b_seconds offset 5m) > 1e3)"
                    + " unless ignoring (x) group_left (y) c and absent(up == 1)"))
        .containsExactlyInAnyOrder("a_total", "b_seconds", "c", "up");
  }

  @Test
  void aSeriesNameFollowedByAParenthesisIsNotTakenForAFunction() {
    assertThatThrownBy(() -> ChartMonitoring.seriesNames("zoneguard_leader (1)"))
        .hasMessageContaining("zoneguard_leader( is a PromQL function");
  }
}
