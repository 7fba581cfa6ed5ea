package io.zoneguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zoneguard.config.ConfigLoader;
import io.zoneguard.config.ZoneguardConfig;
import io.zoneguard.kube.KubePermissions;
import io.zoneguard.kube.KubePermissions.Feature;
import io.zoneguard.kube.KubePermissions.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * charts/zoneguard with real Helm (helm-java bundles the Go library): lint clean, templates render
 * with default and non-default values, every object parses into its fabric8 model type, the
 * rendered config file is valid zoneguard configuration, and the RBAC grants exactly {@link
 * KubePermissions} per scope: a Role per schedule namespace, a ClusterRole for cluster-scoped kinds
 * (and drills' scratch namespaces), a Role for the Lease.
 */
class ChartIT {
  static final Path CHART = Path.of("charts/zoneguard");
  private static final Map<String, Class<? extends HasMetadata>> TYPES =
      Map.ofEntries(
          Map.entry("Deployment", Deployment.class),
          Map.entry("ConfigMap", ConfigMap.class),
          Map.entry("ServiceAccount", ServiceAccount.class),
          Map.entry("Service", Service.class),
          Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("ClusterRole", ClusterRole.class),
          Map.entry("ClusterRoleBinding", ClusterRoleBinding.class),
          Map.entry("Role", Role.class),
          Map.entry("RoleBinding", RoleBinding.class),
          Map.entry("ValidatingAdmissionPolicy", ValidatingAdmissionPolicy.class),
          Map.entry("ValidatingAdmissionPolicyBinding", ValidatingAdmissionPolicyBinding.class),
          Map.entry("NetworkPolicy", NetworkPolicy.class),
          Map.entry("Pod", Pod.class),
          Map.entry("ServiceMonitor", GenericKubernetesResource.class),
          Map.entry("PrometheusRule", GenericKubernetesResource.class));

  /** What every install must set: no defaults exist for them. */
  private static final Map<String, String> REQUIRED =
      Map.of(
          "config.cluster",
          "prod-eks",
          "config.region",
          "eu-west-1",
          "config.bucket",
          "zg-backups");

  private static final String SCHEDULES =
      """
      config:
        cluster: prod
        region: eu-west-1
        bucket: zg-prod
        schedules:
        - namespace: shop
          statefulSet: mysql
          backupCron: "0 0 * * * ?"
          database: {user: root, passwordSecret: mysql-auth/root-password, replica: 1}
          drillCron: "0 0 4 1 * ?"
          drill: {host: scratch.dr.svc, passwordSecret: scratch-auth/password}
        - namespace: shop
          statefulSet: mysql-eu
          backupCron: "0 0 * * * ?"
          database: {user: root, passwordSecret: mysql-auth/eu-password}
        - namespace: billing
          statefulSet: ledger
          backupCron: "0 0 * * * ?"
          database: {via: exec, replica: 1}
      """;

  @TempDir Path tmp;

  @Test
  void lintsCleanStrict() {
    LintResult r = new Helm(CHART).lint().strict().call();
    assertThat(r.isFailed()).as(String.join("\n", r.getMessages())).isFalse();
    assertThat(r.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void defaultValuesFailTheRenderNamingEachRequiredValue() {
    assertThatThrownBy(() -> render(Map.of()))
        .hasMessageContaining("config.cluster is required")
        .hasMessageContaining("--set config.cluster=");
    assertThatThrownBy(() -> render(Map.of("config.cluster", "prod-eks")))
        .hasMessageContaining("config.region is required");
    assertThatThrownBy(
            () -> render(Map.of("config.cluster", "prod-eks", "config.region", "eu-west-1")))
        .hasMessageContaining("config.bucket is required");
  }

  @Test
  void requiredValuesAloneRenderAnIdlingServeWithLeastPrivilegeRbac() throws Exception {
    List<HasMetadata> objects = render(REQUIRED);

    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder(
            "ConfigMap",
            "ServiceAccount",
            "Deployment",
            "Service",
            "PodDisruptionBudget",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding");
    Deployment d = one(objects, Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    var pod = d.getSpec().getTemplate().getSpec();
    var c = pod.getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("serve", "--config", "/etc/zoneguard/zoneguard.yaml");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("POD_NAMESPACE"));
    assertThat(pod.getTopologySpreadConstraints().get(0).getTopologyKey())
        .isEqualTo("topology.kubernetes.io/zone");

    // a rollout must not kill a running dump: an hour of grace, and serve drains 30 s less
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(3600L);
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getTimeoutSeconds()).isEqualTo(3);
    assertThat(c.getLivenessProbe().getTimeoutSeconds()).isEqualTo(5);
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .isEqualTo(120);

    ZoneguardConfig config = config(objects);
    assertThat(config.cluster()).isEqualTo("prod-eks");
    assertThat(config.region()).isEqualTo("eu-west-1");
    assertThat(config.bucket()).isEqualTo("zg-backups");
    assertThat(config.schedules()).isEmpty();
    assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(3570));

    // no schedules: no namespace to grant anything in, no drills
    assertThat(roles(objects)).containsOnlyKeys("zoneguard");
    assertThat(rules(one(objects, ClusterRole.class).getRules()))
        .isEqualTo(expected(EnumSet.of(Scope.CLUSTER), EnumSet.of(Feature.CORE), Set.of()));
    assertThat(rules(roles(objects).get("zoneguard").getRules()))
        .isEqualTo(expected(EnumSet.of(Scope.RELEASE), EnumSet.of(Feature.CORE), Set.of()));
  }

  @Test
  void theNamespacedRbacOfEachScheduleNamespaceIsExactlyKubePermissions() throws Exception {
    List<HasMetadata> objects = renderFile(SCHEDULES);
    Map<String, Role> roles = roles(objects);
    assertThat(roles).containsOnlyKeys("zoneguard", "shop", "billing");

    // shop: TCP dumps with two Secrets named by passwordSecret (database and drill), no exec
    assertThat(rules(roles.get("shop").getRules()))
        .isEqualTo(
            expected(
                EnumSet.of(Scope.WORKLOAD),
                EnumSet.of(Feature.CORE, Feature.DRILL),
                Set.of("mysql-auth", "scratch-auth")));
    // billing: exec dumps, no Secret at all
    assertThat(rules(roles.get("billing").getRules()))
        .isEqualTo(
            expected(EnumSet.of(Scope.WORKLOAD), EnumSet.of(Feature.CORE, Feature.EXEC), Set.of()));
    assertThat(rules(roles.get("billing").getRules())).noneMatch(r -> r.contains("secrets"));
    assertThat(rules(roles.get("shop").getRules())).noneMatch(r -> r.contains("pods/exec"));
    // a drill is scheduled: drill namespaces and drill-only cluster verbs; nothing namespaced else
    assertThat(rules(one(objects, ClusterRole.class).getRules()))
        .isEqualTo(
            expected(
                EnumSet.of(Scope.CLUSTER, Scope.DRILL_NAMESPACES),
                EnumSet.of(Feature.CORE, Feature.DRILL),
                Set.of()));
    assertThat(rules(roles.get("zoneguard").getRules()))
        .isEqualTo(expected(EnumSet.of(Scope.RELEASE), EnumSet.allOf(Feature.class), Set.of()));

    // every Role is bound to the release's ServiceAccount in its own namespace
    for (RoleBinding b : all(objects, RoleBinding.class)) {
      assertThat(b.getRoleRef().getName()).startsWith("zoneguard");
      assertThat(b.getSubjects())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getName()).isEqualTo("zoneguard");
                assertThat(s.getNamespace()).isEqualTo("zoneguard");
              });
    }
    assertThat(all(objects, RoleBinding.class))
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("zoneguard", "shop", "billing");
  }

  @Test
  void clusterScopeGrantsOneClusterRoleAsBefore() throws Exception {
    List<HasMetadata> objects = renderFile(SCHEDULES + "rbac: {clusterScope: true}\n");
    assertThat(roles(objects)).containsOnlyKeys("zoneguard");
    assertThat(rules(one(objects, ClusterRole.class).getRules()))
        .isEqualTo(
            expected(
                EnumSet.of(Scope.CLUSTER, Scope.WORKLOAD, Scope.DRILL_NAMESPACES),
                EnumSet.allOf(Feature.class),
                Set.of("mysql-auth", "scratch-auth")));
  }

  @Test
  void thePdbLetsANodeDrainEvictASingleReplica() throws Exception {
    for (int replicas : new int[] {1, 2}) {
      var pdb = one(render(with("replicaCount", "" + replicas)), PodDisruptionBudget.class);
      assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).as("replicas " + replicas).isOne();
      assertThat(pdb.getSpec().getMinAvailable()).isNull();
    }
    var pdb = one(render(with("replicaCount", "3")), PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
    assertThat(pdb.getSpec().getMaxUnavailable()).isNull();
  }

  @Test
  void changingTheServiceAccountsAnnotationsRollsThePods() {
    String role = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn";
    Map<String, String> a = annotations(render(with(role, "arn:aws:iam::1:role/a")));
    Map<String, String> b = annotations(render(with(role, "arn:aws:iam::1:role/b")));
    assertThat(a.get("checksum/serviceaccount"))
        .isNotBlank()
        .isNotEqualTo(b.get("checksum/serviceaccount"));
    assertThat(a.get("checksum/config")).isEqualTo(b.get("checksum/config"));
  }

  @Test
  void theTerminationGraceProbesAndTmpSizeAreValues() throws Exception {
    Map<String, String> set = new HashMap<>(REQUIRED);
    set.put("terminationGracePeriodSeconds", "900");
    set.put("probes.liveness.timeoutSeconds", "9");
    set.put("tmpSizeLimit", "2Gi");
    List<HasMetadata> objects = render(set);
    var pod = one(objects, Deployment.class).getSpec().getTemplate().getSpec();
    // /tmp holds the binlog spool and the files a drillToLatest drill replays
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("tmp"))
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit().toString()).isEqualTo("2Gi"));
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(900L);
    assertThat(pod.getContainers().get(0).getLivenessProbe().getTimeoutSeconds()).isEqualTo(9);
    assertThat(config(objects).drainTimeout()).isEqualTo(Duration.ofSeconds(870));
  }

  @Test
  void theHelmTestPodChecksReadyzThroughTheService() throws Exception {
    // helm-java's template leaves hooks out of its output: assert the hook annotation on the
    // source, then render a copy of the chart with it removed to check the pod itself
    Path hook = CHART.resolve("templates/tests/readyz.yaml");
    assertThat(Files.readString(hook)).contains("helm.sh/hook: test");
    Path copy = tmp.resolve("chart");
    try (var files = Files.walk(CHART)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(CHART.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path copied = copy.resolve("templates/tests/readyz.yaml");
    Files.writeString(copied, Files.readString(copied).replaceAll("(?m)^.*helm\\.sh/hook.*$", ""));
    var t = new Helm(copy).template().withName("zoneguard").withNamespace("zoneguard");
    REQUIRED.forEach(t::set);
    List<HasMetadata> objects = parse(t.call());
    Pod test = one(objects, Pod.class);
    assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(test.getSpec().getContainers().get(0).getCommand())
        .last()
        .isEqualTo("http://zoneguard:8080/readyz");
    // not adoptable by the serve ReplicaSet
    var selector = one(render(REQUIRED), Deployment.class).getSpec().getSelector().getMatchLabels();
    assertThat(test.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
        .as("the serve selector matches the test pod")
        .isFalse();
  }

  @Test
  void theNetworkPolicyLetsMetricsInAndDnsHttpsAndMysqlOut() {
    Map<String, String> set = new HashMap<>(REQUIRED);
    set.put("networkPolicy.enabled", "true");
    NetworkPolicy np = one(render(set), NetworkPolicy.class);
    assertThat(np.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(np.getSpec().getIngress())
        .singleElement()
        .satisfies(i -> assertThat(i.getPorts().get(0).getPort().getStrVal()).isEqualTo("http"));
    Set<String> out = new TreeSet<>();
    np.getSpec()
        .getEgress()
        .forEach(
            e ->
                e.getPorts()
                    .forEach(p -> out.add(p.getProtocol() + "/" + p.getPort().getIntVal())));
    assertThat(out).containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/443", "TCP/3306");
    assertThat(render(REQUIRED)).noneMatch(NetworkPolicy.class::isInstance);
  }

  @Test
  void nonDefaultValuesRenderIrsaMonitoringAndSchedules() throws Exception {
    List<HasMetadata> objects =
        renderFile(
            """
            replicaCount: 3
            serviceAccount:
              annotations:
                eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/zoneguard
            config:
              cluster: prod
              region: eu-west-1
              bucket: zg-prod
              kmsKeyId: arn:aws:kms:eu-west-1:123456789012:key/abc
              drRegion: eu-central-1
              schedules:
              - namespace: shop
                statefulSet: mysql
                backupCron: "0 0 * * * ?"
                pruneCron: "0 30 3 * * ?"
                database: {via: exec, replica: 1}
                drillCron: "0 0 4 1 * ?"
                drill: {host: scratch.dr.svc, passwordSecret: scratch-auth/password}
            serviceMonitor:
              enabled: true
              labels: {release: prometheus}
            podDisruptionBudget:
              enabled: false
            admissionPolicy:
              enabled: false
            """);
    assertThat(objects).extracting(HasMetadata::getKind).contains("ServiceMonitor");
    // the series' namespace label (the StatefulSet's) must survive the scrape: the alerts group
    // by it
    assertThat(
            Serialization.asYaml(
                objects.stream()
                    .filter(o -> o.getKind().equals("ServiceMonitor"))
                    .findFirst()
                    .orElseThrow()))
        .contains("honorLabels: true");
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .doesNotContain("PodDisruptionBudget", "ValidatingAdmissionPolicy");
    assertThat(one(objects, Deployment.class).getSpec().getReplicas()).isEqualTo(3);
    assertThat(one(objects, ServiceAccount.class).getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/zoneguard");
    ZoneguardConfig config = config(objects);
    assertThat(config.region()).isEqualTo("eu-west-1");
    assertThat(config.drRegion()).contains("eu-central-1");
    assertThat(config.schedules())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.database().via()).isEqualTo("exec");
              assertThat(s.drill().host()).isEqualTo("scratch.dr.svc");
            });
    assertThat(rules(roles(objects).get("shop").getRules()))
        .isEqualTo(
            expected(
                EnumSet.of(Scope.WORKLOAD), EnumSet.allOf(Feature.class), Set.of("scratch-auth")));
  }

  @Test
  void theAlertsAndTheDashboardRenderOnlyWhenEnabled() throws Exception {
    assertThat(render(REQUIRED))
        .extracting(HasMetadata::getKind)
        .doesNotContain("PrometheusRule", "ServiceMonitor")
        .containsOnlyOnce("ConfigMap");

    List<HasMetadata> objects =
        renderFile(
            """
            config: {cluster: prod, region: eu-west-1, bucket: zg-prod}
            prometheusRule:
              enabled: true
              labels: {release: prometheus}
              job: zg
              runbookBaseUrl: https://wiki.example.com/zoneguard/
              rpoMultiplier: 3
              failoverUnfinishedMinutes: 45
              downFor: 10m
            grafanaDashboard:
              enabled: true
              annotations: {grafana_folder: Databases}
            """);
    GenericKubernetesResource rule =
        (GenericKubernetesResource)
            objects.stream().filter(o -> o.getKind().equals("PrometheusRule")).findFirst().get();
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
    String spec = Serialization.asYaml(rule.getAdditionalProperties().get("spec"));
    assertThat(spec)
        .contains("zoneguard_backup_last_success_timestamp_seconds{job=\"zg\"}")
        .contains("3 * max by (namespace, statefulset) (zoneguard_backup_rpo_seconds")
        .contains("> 2700\n")
        .contains("for: \"10m\"")
        .contains("https://wiki.example.com/zoneguard/zoneguard-down.md")
        .doesNotContain("job=\"zoneguard\"");

    ConfigMap dashboard =
        all(objects, ConfigMap.class).stream()
            .filter(c -> c.getData().containsKey("zoneguard.json"))
            .findFirst()
            .orElseThrow();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getMetadata().getAnnotations())
        .containsEntry("grafana_folder", "Databases");
    // the file as shipped, byte for byte, and valid JSON
    assertThat(dashboard.getData().get("zoneguard.json"))
        .isEqualTo(Files.readString(CHART.resolve("dashboards/zoneguard.json")).strip());
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dashboard.getData().get("zoneguard.json"))
                .get("uid")
                .asText())
        .isEqualTo("zoneguard");
  }

  private static Map<String, String> with(String key, String value) {
    Map<String, String> set = new HashMap<>(REQUIRED);
    set.put(key, value);
    return set;
  }

  private List<HasMetadata> render(Map<String, String> set) {
    var t = new Helm(CHART).template().withName("zoneguard").withNamespace("zoneguard");
    set.forEach(t::set);
    return parse(t.call());
  }

  private List<HasMetadata> renderFile(String valuesYaml) throws Exception {
    Path values = Files.createTempFile(tmp, "values", ".yaml");
    Files.writeString(values, valuesYaml);
    return parse(
        new Helm(CHART)
            .template()
            .withName("zoneguard")
            .withNamespace("zoneguard")
            .withValuesFile(values)
            .call());
  }

  /** Every document into its fabric8 type: a field the model does not know fails the parse. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.strip().isEmpty() || doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      GenericKubernetesResource g = Serialization.unmarshal(doc, GenericKubernetesResource.class);
      Class<? extends HasMetadata> type = TYPES.get(g.getKind());
      assertThat(type).as("an expected kind: " + g.getKind()).isNotNull();
      out.add(Serialization.unmarshal(doc, type));
    }
    return out;
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> all = all(objects, type);
    assertThat(all).as(type.getSimpleName()).hasSize(1);
    return all.get(0);
  }

  private static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Roles by namespace. */
  private static Map<String, Role> roles(List<HasMetadata> objects) {
    Map<String, Role> out = new HashMap<>();
    for (Role r : all(objects, Role.class)) {
      assertThat(out.put(r.getMetadata().getNamespace(), r)).as("one Role per namespace").isNull();
    }
    return out;
  }

  private static Map<String, String> annotations(List<HasMetadata> objects) {
    return one(objects, Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations();
  }

  private ZoneguardConfig config(List<HasMetadata> objects) throws Exception {
    Path file = tmp.resolve("zoneguard.yaml");
    Files.writeString(file, one(objects, ConfigMap.class).getData().get("zoneguard.yaml"));
    return ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
  }

  /** {@code group/resource verb} for every rule; Secrets with their resourceNames. */
  private static Set<String> rules(List<PolicyRule> rules) {
    Set<String> granted = new HashSet<>();
    for (PolicyRule r : rules) {
      assertThat(r.getVerbs()).doesNotContain("*");
      assertThat(r.getResources()).doesNotContain("*");
      assertThat(r.getApiGroups()).doesNotContain("*");
      boolean secrets = r.getResources().contains("secrets");
      assertThat(secrets ? r.getResourceNames() : List.of("-"))
          .as("secrets only by name, everything else not")
          .isNotEmpty();
      assertThat(!secrets && r.getResourceNames() != null && !r.getResourceNames().isEmpty())
          .isFalse();
      for (String g : r.getApiGroups()) {
        for (String res : r.getResources()) {
          for (String v : r.getVerbs()) {
            String names = secrets ? " " + new TreeSet<>(r.getResourceNames()) : "";
            granted.add(g + "/" + res + " " + v + names);
          }
        }
      }
    }
    return granted;
  }

  /** What {@link KubePermissions#ALL} says these scopes and features need, in the same form. */
  private static Set<String> expected(
      Set<Scope> scopes, Set<Feature> features, Set<String> secretNames) {
    Set<String> required = new HashSet<>();
    for (KubePermissions.Permission p : KubePermissions.ALL) {
      boolean secrets = p.resource().equals("secrets");
      if (scopes.contains(p.scope())
          && features.contains(p.feature())
          && (!secrets || !secretNames.isEmpty())) {
        String names = secrets ? " " + new TreeSet<>(secretNames) : "";
        p.verbs().forEach(v -> required.add(p.group() + "/" + p.resource() + " " + v + names));
      }
    }
    return required;
  }
}
