package io.zoneguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.zoneguard.testing.ChartMonitoring;
import io.zoneguard.testing.ChartMonitoring.Run;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's PrometheusRule and dashboard through Prometheus' own {@code promtool}: the rules the
 * chart renders pass {@code check rules} and the unit tests in alerts-test.yaml (each alert firing
 * and not), and every dashboard expression parses. That the series they read exist is ServeIT's
 * part: it scrapes a real serve.
 */
class ChartRulesIT {
  @TempDir Path tmp;

  @Test
  void theRenderedAlertsPassPromtoolsChecksAndUnitTests() throws Exception {
    Files.writeString(tmp.resolve("zoneguard-rules.yaml"), ChartMonitoring.rulesFile());
    try (InputStream tests = getClass().getResourceAsStream("alerts-test.yaml")) {
      Files.copy(tests, tmp.resolve("alerts-test.yaml"));
    }
    Run check = ChartMonitoring.promtool(tmp, "check", "rules", "zoneguard-rules.yaml");
    assertThat(check.exit()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 9 rules found");

    Run test = ChartMonitoring.promtool(tmp, "test", "rules", "alerts-test.yaml");
    assertThat(test.exit()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  void everyRenderedAlertHasASummaryADescriptionAndARunbookThatExists() {
    Map<?, ?> spec = Serialization.unmarshal(ChartMonitoring.rulesFile(), Map.class);
    List<Map<?, ?>> rules = new ArrayList<>();
    for (Object g : (List<?>) spec.get("groups")) {
      for (Object r : (List<?>) ((Map<?, ?>) g).get("rules")) {
        rules.add((Map<?, ?>) r);
      }
    }
    assertThat(rules).hasSize(9);
    String base = "https://github.com/zoneguard/zoneguard/blob/main/";
    for (Map<?, ?> rule : rules) {
      Map<?, ?> a = (Map<?, ?>) rule.get("annotations");
      assertThat(a.keySet().stream().map(Object::toString).toList())
          .as(rule.get("alert").toString())
          .containsExactlyInAnyOrder("summary", "description", "runbook_url");
      String runbook = a.get("runbook_url").toString();
      assertThat(runbook).startsWith(base + "runbooks/");
      assertThat(Path.of(runbook.substring(base.length()))).as(runbook).isRegularFile();
    }
  }

  @Test
  void everyDashboardExpressionParses() throws Exception {
    // promtool parses PromQL only inside rule files: each expression becomes a recording rule
    List<Map<String, Object>> records = new ArrayList<>();
    List<String> exprs = ChartMonitoring.dashboardExpressions();
    for (int i = 0; i < exprs.size(); i++) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("record", "zoneguard_dashboard:panel" + i);
      rule.put("expr", exprs.get(i));
      records.add(rule);
    }
    Files.writeString(
        tmp.resolve("dashboard-rules.yaml"),
        Serialization.asYaml(
            Map.of("groups", List.of(Map.of("name", "dashboard", "rules", records)))));
    Run check = ChartMonitoring.promtool(tmp, "check", "rules", "dashboard-rules.yaml");
    assertThat(check.exit()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: " + exprs.size() + " rules found");
  }

  @Test
  void aBrokenExpressionFailsPromtool() throws Exception {
    // the checks above can fail: promtool rejects what Prometheus would reject
    Files.writeString(
        tmp.resolve("bad.yaml"),
        "groups:\n- name: bad\n  rules:\n  - record: bad\n    expr: max by (namespace (up\n");
    Run check = ChartMonitoring.promtool(tmp, "check", "rules", "bad.yaml");
    assertThat(check.exit()).as(check.output()).isNotZero();
  }
}
