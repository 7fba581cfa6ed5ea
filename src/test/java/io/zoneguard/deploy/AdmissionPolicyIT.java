package io.zoneguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zoneguard.domain.Keys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy, rendered by real Helm and its CEL expressions evaluated by
 * Google's CEL implementation (cel-java) on the variables the API server binds (request, object,
 * oldObject; see KEP-3488 and kubernetes/kubernetes
 * staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/validating): zoneguard's ServiceAccount
 * may create and delete only drill namespaces and drill PVs (and create failover PVs), everyone
 * else is not matched at all.
 */
class AdmissionPolicyIT {
  private static final String SA = "system:serviceaccount:zoneguard:zoneguard";
  private static ValidatingAdmissionPolicy policy;
  private static ValidatingAdmissionPolicyBinding binding;
  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("request", SimpleType.DYN)
          .addVar("object", SimpleType.DYN)
          .addVar("oldObject", SimpleType.DYN)
          .build();

  @BeforeAll
  static void render() {
    List<HasMetadata> objects =
        ChartIT.parse(
            new Helm(ChartIT.CHART)
                .template()
                .withName("zoneguard")
                .withNamespace("zoneguard")
                .set("config.cluster", "prod")
                .set("config.region", "eu-west-1")
                .set("config.bucket", "zg-backups")
                .set("config.schedules[0].namespace", "shop")
                .set("config.schedules[0].statefulSet", "mysql")
                .set("config.schedules[0].drillCron", "0 0 4 1 * ?")
                .set("config.schedules[0].drill.host", "scratch.dr.svc")
                .call());
    policy = ChartIT.one(objects, ValidatingAdmissionPolicy.class);
    binding = ChartIT.one(objects, ValidatingAdmissionPolicyBinding.class);
  }

  @Test
  void theBindingDeniesAndThePolicyMatchesNamespaceAndPvWrites() {
    assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
    var rule = policy.getSpec().getMatchConstraints().getResourceRules().get(0);
    assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "DELETE");
    assertThat(rule.getResources()).containsExactlyInAnyOrder("namespaces", "persistentvolumes");
    var claims = policy.getSpec().getMatchConstraints().getResourceRules().get(1);
    assertThat(claims.getResources()).containsExactly("persistentvolumeclaims");
  }

  @Test
  void onlyZoneguardsServiceAccountIsMatched() throws Exception {
    var pv = request("persistentvolumes", "DELETE", "pv-x");
    assertThat(matches(SA, pv)).isTrue();
    assertThat(matches("kubernetes-admin", pv)).isFalse();
    assertThat(matches("system:serviceaccount:other:zoneguard", pv)).isFalse();
  }

  @Test
  void namespacesOnlyForDrills() throws Exception {
    assertThat(denials(namespace("CREATE", "zoneguard-drill-dr-20260101-1200-ab12"))).isEmpty();
    assertThat(denials(namespace("DELETE", "zoneguard-drill-dr-20260101-1200-ab12"))).isEmpty();
    assertThat(denials(namespace("DELETE", "shop")))
        .containsExactly("zoneguard may only create and delete namespaces named zoneguard-drill-*");
    assertThat(denials(namespace("CREATE", "kube-system"))).hasSize(1);
    // zoneguard's own namespaces are not drills either
    assertThat(denials(namespace("DELETE", "zoneguard"))).hasSize(1);
    assertThat(denials(namespace("DELETE", "zoneguard-system"))).hasSize(1);
  }

  @Test
  void pvsDeletedOnlyWhenDrillLabelledCreatedWhenDrillOrFailoverLabelled() throws Exception {
    assertThat(denials(pv("DELETE", Keys.TAG_DRILL_ID))).isEmpty();
    assertThat(denials(pv("DELETE", Keys.TAG_FAILOVER_ID)))
        .containsExactly(
            "zoneguard may only delete PVs labelled zoneguard.io/drill-id (its drills' own)");
    assertThat(denials(pv("DELETE", null))).hasSize(1);
    assertThat(denials(pv("CREATE", Keys.TAG_DRILL_ID))).isEmpty();
    assertThat(denials(pv("CREATE", Keys.TAG_FAILOVER_ID))).isEmpty();
    assertThat(denials(pv("CREATE", null))).hasSize(1);
  }

  @Test
  void claimsOnlyInDrillNamespacesAndTheSchedulesNamespaces() throws Exception {
    assertThat(denials(claim("CREATE", "zoneguard-drill-dr-20260101-1200-ab12"))).isEmpty();
    assertThat(denials(claim("DELETE", "zoneguard-drill-dr-20260101-1200-ab12"))).isEmpty();
    assertThat(denials(claim("DELETE", "shop"))).isEmpty();
    assertThat(denials(claim("CREATE", "shop"))).isEmpty();
    assertThat(denials(claim("DELETE", "billing")))
        .containsExactly(
            "zoneguard may only create and delete claims in zoneguard-drill-* namespaces and the"
                + " namespaces of config.schedules");
    assertThat(denials(claim("CREATE", "kube-system"))).hasSize(1);
  }

  private static Map<String, Object> request(String resource, String operation, String name) {
    return request(resource, operation, name, "");
  }

  /** request.namespace is "" for cluster-scoped kinds, as the API server binds it. */
  private static Map<String, Object> request(
      String resource, String operation, String name, String namespace) {
    return Map.of(
        "operation", operation,
        "name", name,
        "namespace", namespace,
        "resource", Map.of("group", "", "version", "v1", "resource", resource),
        "userInfo", Map.of("username", SA));
  }

  private static Map<String, Object> claim(String operation, String namespace) {
    Object pvc =
        json(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data-mysql-0")
                .withNamespace(namespace)
                .endMetadata()
                .build());
    return vars(
        request("persistentvolumeclaims", operation, "data-mysql-0", namespace), operation, pvc);
  }

  private static Map<String, Object> namespace(String operation, String name) {
    Object ns = json(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build());
    return vars(request("namespaces", operation, name), operation, ns);
  }

  /** A PV as zoneguard builds them, with the given label key (or none). */
  private static Map<String, Object> pv(String operation, String label) {
    var b = new PersistentVolumeBuilder().withNewMetadata().withName("pv-x").endMetadata();
    if (label != null) {
      b.editMetadata().addToLabels(label, "dr-1").endMetadata();
    }
    Object pv = json(b.build());
    return vars(request("persistentvolumes", operation, "pv-x"), operation, pv);
  }

  /** What the API server binds: object on CREATE, oldObject on DELETE, the other null. */
  private static Map<String, Object> vars(Map<String, Object> request, String op, Object obj) {
    Map<String, Object> v = new HashMap<>();
    v.put("request", request);
    v.put("object", op.equals("CREATE") ? obj : null);
    v.put("oldObject", op.equals("DELETE") ? obj : null);
    return v;
  }

  private static Object json(Object o) {
    return Serialization.jsonMapper().convertValue(o, Map.class);
  }

  private static boolean matches(String user, Map<String, Object> request) throws Exception {
    Map<String, Object> r = new HashMap<>(request);
    r.put("userInfo", Map.of("username", user));
    for (var c : policy.getSpec().getMatchConditions()) {
      if (!(Boolean) eval(c.getExpression(), Map.of("request", r))) {
        return false;
      }
    }
    return true;
  }

  /** Messages of the validations that fail: empty means admitted. */
  private static List<String> denials(Map<String, Object> vars) throws Exception {
    assertThat(matches(SA, (Map<String, Object>) vars.get("request"))).isTrue();
    List<String> out = new java.util.ArrayList<>();
    for (var v : policy.getSpec().getValidations()) {
      if (!(Boolean) eval(v.getExpression(), vars)) {
        out.add(v.getMessage());
      }
    }
    return out;
  }

  private static Object eval(String expression, Map<String, ?> vars) throws Exception {
    var ast = CEL.compile(expression).getAst();
    return CEL.createProgram(ast).eval(vars);
  }
}
