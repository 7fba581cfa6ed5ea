package io.zoneguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * charts/zoneguard/values.schema.json with real Helm: a bad value fails {@code helm template} and
 * {@code helm lint} before anything renders, with a message naming the key; the defaults and every
 * documented example still pass.
 */
class ChartSchemaIT {
  private static final String REQUIRED =
      """
      config:
        cluster: prod-eks
        region: eu-west-1
        bucket: zg-backups
      """;

  @TempDir Path tmp;

  /**
   * Pairs of lines: the key the error must name (as {@code a.b[0].c}, optionally followed by what
   * it must say about it), then a values file in flow style that breaks one rule.
   */
  private static final String BAD_VALUES =
      """
      config.schedules[0].backupCron
      {config: {schedules: [{namespace: shop, statefulSet: mysql, backupCron: "0 * * * *"}]}}
      config.schedules[0].consistency
      {config: {schedules: [{namespace: shop, statefulSet: mysql, backupCron: "0 0 * * * ?", consistency: snapshot}]}}
      config.schedules[0].database.via
      {config: {schedules: [{namespace: shop, statefulSet: mysql, backupCron: "0 0 * * * ?", database: {via: ssh}}]}}
      config.schedules[0].retention.daily
      {config: {schedules: [{namespace: shop, statefulSet: mysql, backupCron: "0 0 * * * ?", retention: {daily: -1}}]}}
      config.schedules[0].database.passwordSecret
      {config: {schedules: [{namespace: shop, statefulSet: mysql, backupCron: "0 0 * * * ?", database: {passwordSecret: mysql-auth}}]}}
      config.schedules[0]: missing property 'drill'
      {config: {schedules: [{namespace: shop, statefulSet: mysql, drillCron: "0 0 4 1 * ?"}]}}
      config.schedules[0].fastRestore.zones[0]
      {config: {schedules: [{namespace: shop, statefulSet: mysql, backupCron: "0 0 * * * ?", fastRestore: {zones: [US-EAST]}}]}}
      config.schedules[0]: missing property 'backupCron'
      {config: {schedules: [{namespace: shop, statefulSet: mysql, pruneCron: "0 0 * * * ?", fastRestore: {zones: [us-east-1a]}}]}}
      config.schedules[0].binlog.interval
      {config: {schedules: [{namespace: shop, statefulSet: mysql, binlog: {enabled: true, interval: 10 seconds}}]}}
      config.schedules[0].binlog.from
      {config: {schedules: [{namespace: shop, statefulSet: mysql, binlog: {enabled: true, from: leader}}]}}
      config.schedules[0].binlog: 'not' failed
      {config: {schedules: [{namespace: shop, statefulSet: mysql, binlog: {enabled: true, interval: 10s, intervalSeconds: 10}}]}}
      config.schedules[0]: 'anyOf' failed
      {config: {schedules: [{namespace: shop, statefulSet: mysql, binlog: {enabled: false}}]}}
      config.schedules[0].drillToLatest
      {config: {schedules: [{namespace: shop, statefulSet: mysql, drillCron: "0 0 4 1 * ?", drill: {host: s}, drillToLatest: latest}]}}
      config.schedules[0]: properties 'drillCron' required, if 'drillToLatest' exists
      {config: {schedules: [{namespace: shop, statefulSet: mysql, backupCron: "0 0 * * * ?", drillToLatest: true}]}}
      config.schedules[0]: 'anyOf' failed
      {config: {schedules: [{namespace: shop, statefulSet: mysql, databases: [shop]}]}}
      config.region
      {config: {region: Europe}}
      tmpSizeLimit
      {tmpSizeLimit: 2 GB}
      image.pullPolicy
      {image: {pullPolicy: Sometimes}}
      replicaCount
      {replicaCount: 0}
      replicaCount
      {replicaCount: two}
      serviceMonitor.interval
      {serviceMonitor: {interval: 30 seconds}}
      serviceMonitor: additional properties 'enable' not allowed
      {serviceMonitor: {enable: true}}
      prometheusRule.downFor
      {prometheusRule: {downFor: 5 minutes}}
      prometheusRule.rpoMultiplier
      {prometheusRule: {rpoMultiplier: 0.5}}
      prometheusRule.runbookBaseUrl
      {prometheusRule: {runbookBaseUrl: runbooks/}}
      grafanaDashboard: additional properties 'enable' not allowed
      {grafanaDashboard: {enable: true}}
      probes.liveness.timeoutSeconds
      {probes: {liveness: {timeoutSeconds: 0}}}
      networkPolicy.mysqlPort
      {networkPolicy: {mysqlPort: 70000}}
      terminationGracePeriodSeconds
      {terminationGracePeriodSeconds: 1h}
      """;

  static Stream<Arguments> badValues() {
    List<String> lines = BAD_VALUES.lines().toList();
    return IntStream.range(0, lines.size() / 2)
        .mapToObj(i -> Arguments.of(lines.get(2 * i), lines.get(2 * i + 1) + "\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void helmTemplateRejectsABadValueNamingItsKey(String key, String bad) throws IOException {
    assertThatThrownBy(() -> template(REQUIRED, bad))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(jsonPointer(key));
  }

  @Test
  void aScheduleThatOnlyArchivesBinlogsRenders() throws IOException {
    // serve accepts a schedule with binlog.enabled alone (ConfigLoader): so must the schema
    List<HasMetadata> objects =
        ChartIT.parse(
            template(
                REQUIRED,
                "{config: {schedules: [{namespace: shop, statefulSet: mysql,"
                    + " database: {host: mysql-primary.shop.svc},"
                    + " binlog: {enabled: true, interval: 10s, from: primary}},"
                    + " {namespace: shop, statefulSet: mariadb,"
                    + " binlog: {enabled: true, interval: 1m, from: replica 1}}]}}\n"));
    assertThat(objects).extracting(HasMetadata::getKind).contains("ConfigMap");
  }

  @Test
  void helmLintRejectsABadDefaultNamingItsKey() throws IOException {
    Path chart = copyChart();
    Path values = chart.resolve("values.yaml");
    Files.writeString(
        values,
        Files.readString(values)
            .replace("pullPolicy: IfNotPresent", "pullPolicy: Sometimes")
            .replace("  interval: 30s", "  interval: half a minute"));
    LintResult r = new Helm(chart).lint().strict().call();
    assertThat(r.isFailed()).isTrue();
    assertThat(String.join("\n", r.getMessages()))
        .contains(jsonPointer("image.pullPolicy"))
        .contains(jsonPointer("serviceMonitor.interval"));
  }

  @Test
  void aNullRequiredValueIsRejectedNamingIt() {
    // '--set config.bucket=null' removes the key: the schema names it before any template runs
    var t = new Helm(ChartIT.CHART).template().withName("zoneguard").withNamespace("zoneguard");
    t.set("config.cluster", "prod").set("config.region", "eu-west-1").set("config.bucket", "null");
    assertThatThrownBy(t::call).hasMessageContaining("at '/config': missing property 'bucket'");
  }

  @Test
  void theDefaultsLintCleanAndTheDocumentedExamplesRender() throws IOException {
    LintResult lint = new Helm(ChartIT.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    // values.yaml's commented schedule example, uncommented, as a user would paste it
    String example = commentedScheduleExample();
    List<HasMetadata> objects =
        ChartIT.parse(template(REQUIRED, "config:\n  schedules:\n" + example));
    assertThat(objects).extracting(HasMetadata::getKind).contains("Role", "ConfigMap");
    // runbooks/install.md step 2: my-values.yaml with terraform's outputs filled in
    String runbook = Files.readString(Path.of("runbooks/install.md"));
    Matcher values =
        Pattern.compile("(?s)cat > my-values.yaml <<YAML\n(.*?)\nYAML\n").matcher(runbook);
    assertThat(values.find()).as("install.md shows my-values.yaml").isTrue();
    assertThat(
            ChartIT.parse(
                template(
                    values
                        .group(1)
                        .replace("$BUCKET", "zoneguard-prod-eks-backups")
                        .replace("$KEY", "arn:aws:kms:us-east-1:123456789012:key/abc"))))
        .extracting(HasMetadata::getKind)
        .contains("Deployment", "Role");
    // README "Install on EKS": the values it sets
    assertThat(
            new Helm(ChartIT.CHART)
                .template()
                .withName("zoneguard")
                .withNamespace("zoneguard")
                .set("config.cluster", "prod-eks")
                .set("config.region", "us-east-1")
                .set("config.bucket", "zoneguard-prod-eks-backups")
                .set("config.kmsKeyId", "arn:aws:kms:us-east-1:123456789012:key/abc")
                .set(
                    "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn",
                    "arn:aws:iam::123456789012:role/zoneguard")
                .call())
        .contains("kind: Deployment");
  }

  /** The {@code # - namespace: ...} block of values.yaml under "One entry per protected ...". */
  private static String commentedScheduleExample() throws IOException {
    String values = Files.readString(ChartIT.CHART.resolve("values.yaml"));
    Matcher m = Pattern.compile("(?m)^  # (- namespace:.*\\n(?:  #   .*\\n)*)").matcher(values);
    assertThat(m.find()).as("values.yaml documents a schedule example").isTrue();
    String block = m.group(1).replaceAll("(?m)^  #   ", "    ");
    assertThat(block).contains("backupCron").contains("drillCron").contains("fastRestore");
    return "  " + block;
  }

  /**
   * How Helm's schema validator names a key: {@code at '/config/schedules/0/backupCron'}; a key
   * followed by {@code ": what"} expects {@code at '/key': what}.
   */
  private static String jsonPointer(String key) {
    String[] parts = key.split(": ", 2);
    String at = "at '/" + parts[0].replace('.', '/').replaceAll("\\[(\\d+)]", "/$1") + "'";
    return parts.length == 1 ? at : at + ": " + parts[1];
  }

  private String template(String... valuesFiles) throws IOException {
    var t = new Helm(ChartIT.CHART).template().withName("zoneguard").withNamespace("zoneguard");
    for (String v : valuesFiles) {
      Path f = Files.createTempFile(tmp, "values", ".yaml");
      Files.writeString(f, v);
      t.withValuesFile(f);
    }
    return t.call();
  }

  private Path copyChart() throws IOException {
    Path target = tmp.resolve("zoneguard");
    try (Stream<Path> files = Files.walk(ChartIT.CHART)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(ChartIT.CHART.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return target;
  }
}
