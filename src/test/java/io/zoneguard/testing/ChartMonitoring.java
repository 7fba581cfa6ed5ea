package io.zoneguard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chart's monitoring as Prometheus sees it: the PrometheusRule's rules rendered by real Helm
 * (helm-java), the dashboard's PromQL, the series names both read, and {@code promtool} to check
 * them. Shared by ChartRulesIT (promtool) and ServeIT (the names exist on a real serve's /metrics).
 */
public final class ChartMonitoring {
  public static final Path CHART = Path.of("charts/zoneguard");
  public static final Path DASHBOARD = CHART.resolve("dashboards/zoneguard.json");

  /** PromQL functions and keywords: every other identifier outside a matcher is a series name. */
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "offset", "bool", "inf", "nan");

  private static final Set<String> FUNCTIONS =
      Set.of(
          "time",
          "max",
          "min",
          "sum",
          "avg",
          "count",
          "absent",
          "increase",
          "rate",
          "irate",
          "delta",
          "changes",
          "resets",
          "timestamp",
          "clamp_min",
          "clamp_max",
          "histogram_quantile",
          "label_values",
          "max_over_time",
          "min_over_time",
          "avg_over_time",
          "last_over_time",
          "vector",
          "scalar",
          "topk",
          "bottomk");

  private ChartMonitoring() {}

  /** The chart rendered with the alerts and dashboard on, plus {@code extra} --set values. */
  public static List<GenericKubernetesResource> render(Map<String, String> extra) {
    var t =
        new Helm(CHART)
            .template()
            .withName("zoneguard")
            .withNamespace("zoneguard")
            .set("config.cluster", "prod-eks")
            .set("config.region", "eu-west-1")
            .set("config.bucket", "zg-backups")
            .set("prometheusRule.enabled", "true")
            .set("grafanaDashboard.enabled", "true");
    extra.forEach(t::set);
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (String doc : t.call().split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        out.add(Serialization.unmarshal(doc, GenericKubernetesResource.class));
      }
    }
    return out;
  }

  /** The rendered PrometheusRule's {@code spec}: a Prometheus rules file ({@code groups:}). */
  public static String rulesFile() {
    GenericKubernetesResource rule =
        render(Map.of()).stream()
            .filter(r -> r.getKind().equals("PrometheusRule"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the chart renders no PrometheusRule"));
    return Serialization.asYaml(rule.getAdditionalProperties().get("spec"));
  }

  /** Every alert's expression in the rendered rules. */
  public static List<String> ruleExpressions() {
    JsonNode spec = Serialization.unmarshal(rulesFile(), JsonNode.class);
    List<String> out = new ArrayList<>();
    spec.findValues("expr").forEach(e -> out.add(e.asText()));
    assertThat(out).as("rule expressions").isNotEmpty();
    return out;
  }

  /** Every panel target's expression in the dashboard file the chart ships. */
  public static List<String> dashboardExpressions() throws IOException {
    JsonNode d = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> out = new ArrayList<>();
    d.get("panels").findValues("expr").forEach(e -> out.add(e.asText()));
    assertThat(out).as("dashboard expressions").isNotEmpty();
    return out;
  }

  /**
   * The series names {@code expr} reads: identifiers outside strings, label matchers, ranges and
   * by/on/ignoring lists that are not a function call or keyword. An unknown function fails, so a
   * misspelt series name followed by a parenthesis is not taken for one.
   */
  public static Set<String> seriesNames(String expr) {
    String s =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
            .replaceAll("\\b(group_left|group_right)\\b", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(s);
    while (m.find()) {
      String id = m.group(1);
      if (KEYWORDS.contains(id.toLowerCase())) {
        continue;
      }
      if (m.group(2) != null) {
        assertThat(FUNCTIONS).as("%s( is a PromQL function, in: %s", id, expr).contains(id);
      } else {
        names.add(id);
      }
    }
    return names;
  }

  /** The series names every rule and dashboard expression reads. */
  public static Set<String> seriesNamesUsed() throws IOException {
    Set<String> names = new TreeSet<>();
    ruleExpressions().forEach(e -> names.addAll(seriesNames(e)));
    dashboardExpressions().forEach(e -> names.addAll(seriesNames(e)));
    return names;
  }

  /** The series names in a {@code /metrics} text exposition. */
  public static Set<String> exported(String exposition) {
    Set<String> names = new TreeSet<>();
    exposition
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
    return names;
  }

  /** promtool's output and exit code. */
  public record Run(int exit, String output) {}

  /** Runs {@code promtool args} in {@code dir}; fails saying how to install it when missing. */
  public static Run promtool(Path dir, String... args) throws Exception {
    Path promtool = onPath("promtool");
    List<String> command = new ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    return new Run(p.exitValue(), out);
  }

  private static Path onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(
        tool
            + " is not on PATH: the chart's alert tests run Prometheus' own rule checker. Install"
            + " it with 'apt-get install -y --no-install-recommends prometheus' (Debian/Ubuntu;"
            + " .ci/run does this) or put promtool from"
            + " https://prometheus.io/download/ on PATH");
  }
}
