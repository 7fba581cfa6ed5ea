package io.zoneguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * charts/zoneguard with real Helm (helm-java bundles the Go library): lint clean, templates render
 * with default and non-default values, every object parses into its fabric8 model type, the
 * rendered config file is valid zoneguard configuration, and the RBAC grants exactly {@link
 * KubePermissions} for the enabled features.
 */
class ChartIT {
  private static final Path CHART = Path.of("charts/zoneguard");
  private static final Map<String, Class<? extends HasMetadata>> TYPES =
      Map.of(
          "Deployment", Deployment.class,
          "ConfigMap", ConfigMap.class,
          "ServiceAccount", ServiceAccount.class,
          "Service", Service.class,
          "PodDisruptionBudget", PodDisruptionBudget.class,
          "ClusterRole", ClusterRole.class,
          "ClusterRoleBinding", ClusterRoleBinding.class,
          "Role", Role.class,
          "RoleBinding", RoleBinding.class,
          "ServiceMonitor", GenericKubernetesResource.class);

  @TempDir Path tmp;

  @Test
  void lintsCleanStrict() {
    LintResult r = new Helm(CHART).lint().strict().call();
    assertThat(r.isFailed()).as(String.join("\n", r.getMessages())).isFalse();
    assertThat(r.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void defaultsRenderAServeDeploymentWithLeastPrivilegeRbac() throws Exception {
    List<HasMetadata> objects = render(Map.of("config.bucket", "zg-backups"));

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
            "RoleBinding");
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
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("POD_NAMESPACE"));
    assertThat(pod.getTopologySpreadConstraints().get(0).getTopologyKey())
        .isEqualTo("topology.kubernetes.io/zone");

    ZoneguardConfig config = config(objects);
    assertThat(config.bucket()).isEqualTo("zg-backups");
    assertThat(config.schedules()).isEmpty();

    assertRbacIsExactly(objects, EnumSet.of(Feature.CORE), Set.of());
  }

  @Test
  void nonDefaultValuesRenderIrsaMonitoringExecDrillsAndSchedules() throws Exception {
    Path values = tmp.resolve("values.yaml");
    Files.writeString(
        values,
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
        rbac:
          secretNames: [scratch-auth]
          execDumps: true
          drills: true
        serviceMonitor:
          enabled: true
          labels: {release: prometheus}
        podDisruptionBudget:
          enabled: false
        """);
    List<HasMetadata> objects =
        parse(new Helm(CHART).template().withName("zg").withValuesFile(values).call());

    assertThat(objects).extracting(HasMetadata::getKind).contains("ServiceMonitor");
    assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("PodDisruptionBudget");
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

    assertRbacIsExactly(objects, EnumSet.allOf(Feature.class), Set.of("scratch-auth"));
  }

  @Test
  void aMissingBucketFailsTheRenderWithTheReason() {
    assertThatThrownBy(() -> render(Map.of())).hasMessageContaining("config.bucket is required");
  }

  private List<HasMetadata> render(Map<String, String> set) {
    var t = new Helm(CHART).template().withName("zoneguard").withNamespace("zoneguard");
    set.forEach(t::set);
    return parse(t.call());
  }

  /** Every document into its fabric8 type: a field the model does not know fails the parse. */
  private static List<HasMetadata> parse(String yaml) {
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

  private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }

  private ZoneguardConfig config(List<HasMetadata> objects) throws Exception {
    Path file = tmp.resolve("zoneguard.yaml");
    Files.writeString(file, one(objects, ConfigMap.class).getData().get("zoneguard.yaml"));
    return ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
  }

  /** group/resource verb for every rule; secrets additionally with their resourceNames. */
  private static void assertRbacIsExactly(
      List<HasMetadata> objects, Set<Feature> features, Set<String> secretNames) {
    Set<String> granted = new HashSet<>();
    List<PolicyRule> rules = new ArrayList<>(one(objects, ClusterRole.class).getRules());
    rules.addAll(one(objects, Role.class).getRules());
    for (PolicyRule r : rules) {
      assertThat(r.getVerbs()).doesNotContain("*");
      assertThat(r.getResources()).doesNotContain("*");
      assertThat(r.getApiGroups()).doesNotContain("*");
      if (r.getResources().contains("secrets")) {
        assertThat(r.getResourceNames()).as("secrets only by name").isNotEmpty();
        assertThat(Set.copyOf(r.getResourceNames())).isEqualTo(secretNames);
      }
      for (String g : r.getApiGroups()) {
        for (String res : r.getResources()) {
          for (String v : r.getVerbs()) {
            granted.add(g + "/" + res + " " + v);
          }
        }
      }
    }
    Set<String> required = new HashSet<>();
    for (KubePermissions.Permission p : KubePermissions.ALL) {
      boolean secrets = p.resource().equals("secrets");
      if (features.contains(p.feature()) && (!secrets || !secretNames.isEmpty())) {
        p.verbs().forEach(v -> required.add(p.group() + "/" + p.resource() + " " + v));
      }
    }
    assertThat(granted).as("the chart grants exactly KubePermissions").isEqualTo(required);
  }
}
