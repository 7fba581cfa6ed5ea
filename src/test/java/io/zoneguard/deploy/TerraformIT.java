package io.zoneguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zoneguard.aws.AwsActions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * terraform/ (a module) and terraform/examples/eks (a root using it) without AWS: every .tf file
 * and the tfvars example is parsed by HashiCorp's HCL parser compiled to WebAssembly (npm {@code
 * @cdktf/hcl2json}, installed into target/ on first use), so a syntax error fails the build; then
 * the content is checked: the IAM policy holds exactly the actions the code needs ({@link
 * AwsActions}), no Allow wildcard, EC2 mutations conditioned on tags, KMS statements shaped like
 * the EBS CSI driver's, the backups' key and bucket protected from destroy, both credential
 * kinds. When a terraform binary is on the PATH (it is not required: without the registry it
 * cannot load the AWS provider anyway), it also checks formatting and evaluates names.tf,
 * statements.tf and the variables' validations for real.
 */
class TerraformIT {
  private static final Path TF = Path.of("terraform");
  private static final Path EXAMPLE = TF.resolve("examples/eks");
  private static final Path TOOL = Path.of("target/hcl2json");
  private static final Path EVAL = Path.of("target/terraform-eval");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OIDC_ARN =
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123";

  /** Each directory's files merged by block type and name, as terraform reads a module. */
  private static ObjectNode module;

  private static ObjectNode example;
  private static Map<String, JsonNode> files;

  @BeforeAll
  static void parseEveryFile() throws Exception {
    if (!Files.exists(TOOL.resolve("node_modules/@cdktf/hcl2json"))) {
      Files.createDirectories(TOOL);
      run(
          List.of(
              "npm",
              "install",
              "--no-audit",
              "--no-fund",
              "--silent",
              "--prefix",
              TOOL.toString(),
              "@cdktf/hcl2json@0.21.0"),
          "npm (Node.js 18+) is needed to parse terraform/ without a terraform binary: install"
              + " it (apt-get install nodejs npm) and make the npm registry reachable",
          null);
    }
    Path script = TOOL.resolve("parse.js");
    Files.writeString(
        script,
        """
        const { parse } = require('@cdktf/hcl2json');
        const fs = require('fs');
        (async () => {
          const out = {};
          for (const f of process.argv.slice(2)) {
            try { out[f] = await parse(f, fs.readFileSync(f, 'utf8')); }
            catch (e) { console.error(f + ': ' + e.message); process.exit(1); }
          }
          console.log(JSON.stringify(out));
        })();
        """);
    List<String> cmd = new ArrayList<>(List.of("node", script.toString()));
    for (Path dir : List.of(TF, EXAMPLE)) {
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(p -> p.toString().endsWith(".tf") || p.toString().endsWith(".example"))
            .sorted()
            .forEach(p -> cmd.add(TF.relativize(p).toString()));
      }
    }
    // relative names: parse from inside terraform/
    JsonNode parsed =
        JSON.readTree(
            run(
                cmd.stream().map(a -> a.equals(script.toString()) ? abs(script) : a).toList(),
                "node is needed to run the HCL parser: install Node.js 18+ (apt-get install"
                    + " nodejs)",
                TF));
    files = new LinkedHashMap<>();
    parsed.properties().forEach(e -> files.put(e.getKey(), e.getValue()));
    module = merge(files.keySet().stream().filter(f -> !f.contains("/")).toList());
    example = merge(files.keySet().stream().filter(f -> f.startsWith("examples/eks/")).toList());
  }

  private static String abs(Path p) {
    return p.toAbsolutePath().toString();
  }

  /** Blocks of the same type (resource, data, variable, ...) from several files in one object. */
  private static ObjectNode merge(List<String> names) {
    ObjectNode out = JSON.createObjectNode();
    for (String name : names) {
      files
          .get(name)
          .properties()
          .forEach(
              block -> {
                ObjectNode into = out.withObject("/" + block.getKey());
                if (block.getValue().isArray()) { // locals, terraform: a list of bodies
                  block.getValue().forEach(body -> deepMerge(into, body));
                } else {
                  deepMerge(into, block.getValue());
                }
              });
    }
    return out;
  }

  private static void deepMerge(ObjectNode into, JsonNode from) {
    from.properties()
        .forEach(
            e -> {
              if (e.getValue().isObject() && into.path(e.getKey()).isObject()) {
                deepMerge((ObjectNode) into.get(e.getKey()), e.getValue());
              } else {
                into.set(e.getKey(), e.getValue());
              }
            });
  }

  private static String run(List<String> cmd, String missing, Path dir) throws Exception {
    Path errors = Files.createTempFile("zoneguard-tf", ".err");
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(errors.toFile());
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      p = pb.start();
    } catch (IOException e) {
      throw new AssertionError(missing + " (" + e.getMessage() + ")", e);
    }
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(
          String.join(" ", cmd)
              + " failed: "
              + Files.readString(errors)
              + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void everyFileParsesAndTheModuleIsSplitFromItsExampleRoot() {
    assertThat(files.keySet())
        .contains(
            "main.tf",
            "names.tf",
            "statements.tf",
            "kms.tf",
            "bucket.tf",
            "iam.tf",
            "variables.tf",
            "outputs.tf",
            "versions.tf",
            "examples/eks/main.tf",
            "examples/eks/versions.tf",
            "examples/eks/variables.tf",
            "examples/eks/outputs.tf",
            "examples/eks/terraform.tfvars.example");
    // a module configures no provider: the root does
    assertThat(module.has("provider")).isFalse();
    assertThat(example.at("/module/zoneguard/0/source").asText()).isEqualTo("../..");
  }

  @Test
  void exampleRootPinsTerraformAndTheProviderWhileTheModuleOnlySetsAFloor() {
    assertThat(example.at("/terraform/required_providers/0/aws/version").asText())
        .isEqualTo("~> 6.0");
    assertThat(example.at("/terraform/required_version").asText()).contains(">= 1.9", "< 2.0");
    String moduleAws = module.at("/terraform/required_providers/0/aws/version").asText();
    assertThat(moduleAws).startsWith(">=").doesNotContain("<", "~>");
    // cross-variable validations (oidc_provider_arn refers to credentials) need 1.9
    assertThat(module.at("/terraform/required_version").asText()).isEqualTo(">= 1.9");
  }

  @Test
  void policyGrantsExactlyTheActionsTheCodeNeeds() {
    Set<String> actions = new HashSet<>();
    statements(policy("zoneguard"))
        .forEach(s -> s.get("actions").forEach(a -> actions.add(a.asText())));
    Set<String> expected = new HashSet<>();
    for (List<AwsActions.Action> list :
        List.of(
            AwsActions.EC2,
            AwsActions.S3,
            AwsActions.KMS_BACKUP_KEY,
            AwsActions.KMS_EBS_GRANTS,
            AwsActions.KMS_EBS_USE)) {
      list.forEach(a -> expected.add(a.iam()));
    }
    assertThat(actions).isEqualTo(expected);
  }

  @Test
  void noAllowStatementHasAWildcardActionOrResourceBeyondDescribes() {
    for (Map.Entry<String, JsonNode> doc :
        module.with("data").with("aws_iam_policy_document").properties()) {
      for (JsonNode s : statements(doc.getValue().get(0))) {
        if (s.path("effect").asText("Allow").equals("Deny")) {
          continue; // the bucket policy's denials are meant to cover everything (s3:*)
        }
        String sid = doc.getKey() + "/" + s.path("sid").asText();
        assertThat(texts(s.get("actions"))).as(sid).noneMatch(a -> a.contains("*"));
        if (texts(s.path("resources")).contains("*")) {
          // Describe* calls support no resource-level permissions: the only place for "*"
          assertThat(texts(s.get("actions"))).as(sid).allMatch(a -> a.startsWith("ec2:Describe"));
        }
      }
    }
  }

  @Test
  void ec2MutationsAreConditionedOnTagsAndStoppingNodesIsOptIn() {
    for (JsonNode s : statements(policy("zoneguard"))) {
      boolean mutation = false;
      for (JsonNode a : s.get("actions")) {
        mutation |= a.asText().startsWith("ec2:") && !a.asText().startsWith("ec2:Describe");
      }
      // snapshotting the CSI driver's volumes, which carry no zoneguard tag, is the exception
      if (mutation && !s.get("sid").asText().equals("SnapshotAnyVolume")) {
        assertThat(s.has("condition")).as(s.get("sid").asText() + " has a condition").isTrue();
        assertThat(s.get("condition").toString())
            .containsAnyOf("local.tag_key", "ec2:CreateAction", "var.node_cluster_tag_key");
      }
    }
    // one table row per tag-scoped statement; StopInstances only when asked for
    JsonNode stop = module.at("/locals/tag_scoped/FenceStopClusterInstances");
    assertThat(stop.get("enabled").asText()).isEqualTo("${var.allow_stop_instances}");
    JsonNode stopStatement = statement(policy("zoneguard"), "FenceStopClusterInstances");
    assertThat(texts(stopStatement.get("actions"))).containsExactly("ec2:StopInstances");
    assertThat(stopStatement.at("/condition/0/variable").asText())
        .isEqualTo("aws:ResourceTag/${var.node_cluster_tag_key}");
    assertThat(texts(stopStatement.at("/condition/0/values")))
        .containsExactly("${var.cluster_name}");
    assertThat(policy("zoneguard").at("/dynamic/statement/0/for_each").asText())
        .isEqualTo("${local.tag_scoped_enabled}");
    assertThat(module.at("/locals/tag_scoped_enabled").asText()).contains("if s.enabled");
    assertThat(module.at("/locals/tag_scoped/DrCopiesTagged/enabled").asText())
        .isEqualTo("${var.dr_region != \"\"}");
    JsonNode vars = module.get("variable");
    assertThat(vars.at("/allow_stop_instances/0/default").asBoolean(true)).isFalse();
    assertThat(vars.at("/node_cluster_tag_key/0/default").asText()).isEqualTo("eks:cluster-name");
  }

  @Test
  void kmsStatementsAreShapedLikeTheEbsCsiDriverPolicy() {
    JsonNode doc = policy("zoneguard");
    JsonNode grants = dynamicStatement(doc, "EbsKeyGrantsForAwsResources").at("/content/0");
    assertThat(Set.copyOf(texts(grants.get("actions")))).isEqualTo(iam(AwsActions.KMS_EBS_GRANTS));
    assertThat(grants.get("condition")).hasSize(1);
    assertThat(grants.at("/condition/0/test").asText()).isEqualTo("Bool");
    assertThat(grants.at("/condition/0/variable").asText()).isEqualTo("kms:GrantIsForAWSResource");
    assertThat(texts(grants.at("/condition/0/values"))).containsExactly("true");

    JsonNode use = dynamicStatement(doc, "EbsKeyUse").at("/content/0");
    assertThat(Set.copyOf(texts(use.get("actions")))).isEqualTo(iam(AwsActions.KMS_EBS_USE));
    assertThat(use.has("condition")).as("EbsKeyUse has no condition").isFalse();
    assertThat(use.get("resources").asText()).isEqualTo("${var.ebs_kms_key_arns}");

    // the condition key exists only on grant operations: anywhere else it denies
    for (JsonNode s : statements(doc)) {
      if (s.path("condition").toString().contains("GrantIsForAWSResource")) {
        assertThat(iam(AwsActions.KMS_EBS_GRANTS)).containsAll(texts(s.get("actions")));
      }
    }
    JsonNode backup = statement(doc, "BackupKey");
    assertThat(Set.copyOf(texts(backup.get("actions")))).isEqualTo(iam(AwsActions.KMS_BACKUP_KEY));
    assertThat(texts(backup.get("resources"))).containsExactly("${aws_kms_key.backups.arn}");
  }

  @Test
  void theKeyTheBucketAndItsProtectionsSurviveDestroyWhileTheRoleDoesNot() {
    JsonNode r = module.get("resource");
    for (String address :
        List.of(
            "aws_kms_key/backups",
            "aws_s3_bucket/backups",
            "aws_s3_bucket_versioning/backups",
            "aws_s3_bucket_server_side_encryption_configuration/backups",
            "aws_s3_bucket_object_lock_configuration/backups",
            "aws_s3_bucket_policy/backups",
            "aws_s3_bucket_public_access_block/backups",
            "aws_s3_bucket_ownership_controls/backups")) {
      assertThat(r.at("/" + address + "/0/lifecycle/0/prevent_destroy").asBoolean())
          .as(address + " prevent_destroy")
          .isTrue();
    }
    // the runbook's back-out removes exactly these with `terraform destroy -target`
    for (String address :
        List.of(
            "aws_iam_role/zoneguard",
            "aws_iam_policy/zoneguard",
            "aws_iam_role_policy_attachment/zoneguard",
            "aws_eks_pod_identity_association/zoneguard")) {
      assertThat(r.at("/" + address + "/0").isObject()).as(address).isTrue();
      assertThat(r.at("/" + address + "/0/lifecycle").isMissingNode()).as(address).isTrue();
    }
  }

  @Test
  void podIdentityTrustAndAssociationComeWithTheCredentialsChoice() {
    JsonNode trust = policy("trust");
    assertThat(trust.has("statement")).as("every trust statement is optional").isFalse();
    JsonNode pod = dynamicStatement(trust, "PodIdentity");
    assertThat(pod.get("for_each").asText()).isEqualTo("${local.pod_identity ? [1] : []}");
    JsonNode podBody = pod.at("/content/0");
    assertThat(texts(podBody.get("actions")))
        .containsExactlyInAnyOrder("sts:AssumeRole", "sts:TagSession");
    assertThat(podBody.at("/principals/0/type").asText()).isEqualTo("Service");
    assertThat(texts(podBody.at("/principals/0/identifiers")))
        .containsExactly("pods.eks.amazonaws.com");
    // scoped to this cluster's ServiceAccount through Pod Identity's session tags
    assertThat(podBody.get("condition").toString())
        .contains(
            "aws:RequestTag/eks-cluster-name",
            "${var.cluster_name}",
            "aws:RequestTag/kubernetes-namespace",
            "${var.service_account_namespace}",
            "aws:RequestTag/kubernetes-service-account",
            "${var.service_account_name}");

    JsonNode irsa = dynamicStatement(trust, "Irsa");
    assertThat(irsa.get("for_each").asText()).isEqualTo("${local.irsa ? [1] : []}");
    JsonNode irsaBody = irsa.at("/content/0");
    assertThat(texts(irsaBody.get("actions"))).containsExactly("sts:AssumeRoleWithWebIdentity");
    assertThat(irsaBody.get("condition").toString())
        .contains("${local.oidc_issuer}:sub", "${local.oidc_issuer}:aud", "system:serviceaccount:");

    JsonNode assoc = module.at("/resource/aws_eks_pod_identity_association/zoneguard/0");
    assertThat(assoc.get("count").asText()).isEqualTo("${local.pod_identity ? 1 : 0}");
    assertThat(assoc.get("role_arn").asText()).isEqualTo("${aws_iam_role.zoneguard.arn}");
    assertThat(assoc.get("namespace").asText()).isEqualTo("${var.service_account_namespace}");
    assertThat(assoc.get("service_account").asText()).isEqualTo("${var.service_account_name}");
    // the session tags the trust conditions need stay on
    assertThat(assoc.has("disable_session_tags")).isFalse();

    // the issuer comes from the provider ARN; OIDC inputs are optional
    JsonNode vars = module.get("variable");
    assertThat(vars.has("oidc_issuer")).isFalse();
    assertThat(vars.at("/oidc_provider_arn/0/default").asText("x")).isEmpty();
    assertThat(vars.at("/credentials/0/default").asText()).isEqualTo("irsa");
    // the example looks the provider up only when IRSA is used
    assertThat(example.at("/data/aws_iam_openid_connect_provider/cluster/0/count").asText())
        .isEqualTo("${var.credentials == \"pod_identity\" ? 0 : 1}");
  }

  @Test
  void everyNameStartsWithThePrefix() {
    JsonNode r = module.get("resource");
    assertThat(r.at("/aws_iam_role/zoneguard/0/name").asText()).isEqualTo("${local.name_prefix}");
    assertThat(r.at("/aws_iam_policy/zoneguard/0/name").asText()).isEqualTo("${local.name_prefix}");
    assertThat(r.at("/aws_kms_alias/backups/0/name").asText())
        .isEqualTo("alias/${local.name_prefix}-backups");
    assertThat(r.at("/aws_s3_bucket/backups/0/bucket").asText()).isEqualTo("${local.bucket}");
    assertThat(module.at("/locals/bucket").asText()).contains("${local.name_prefix}-backups-");
    // no other resource takes a name of its own
    for (Map.Entry<String, JsonNode> type : r.properties()) {
      for (Map.Entry<String, JsonNode> res : type.getValue().properties()) {
        for (String attr : List.of("name", "bucket", "name_prefix")) {
          String v = res.getValue().get(0).path(attr).asText("");
          if (!v.isEmpty() && !v.startsWith("${aws_")) {
            assertThat(v).as(type.getKey() + "." + res.getKey() + "." + attr).contains("local.");
          }
        }
      }
    }
  }

  @Test
  void bucketIsVersionedEncryptedPrivateTlsOnlyAndCleansUp() {
    JsonNode r = module.get("resource");
    assertThat(
            r.at("/aws_s3_bucket_versioning/backups/0/versioning_configuration/0/status").asText())
        .isEqualTo("Enabled");
    assertThat(
            r.at(
                    "/aws_s3_bucket_server_side_encryption_configuration/backups/0/rule/0"
                        + "/apply_server_side_encryption_by_default/0/sse_algorithm")
                .asText())
        .isEqualTo("aws:kms");
    JsonNode block = r.at("/aws_s3_bucket_public_access_block/backups/0");
    for (String k :
        List.of(
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets")) {
      assertThat(block.get(k).asBoolean()).as(k).isTrue();
    }
    JsonNode rules = r.at("/aws_s3_bucket_lifecycle_configuration/backups/0/rule");
    assertThat(rules.toString()).contains("abort_incomplete_multipart_upload");
    boolean markers = false;
    for (JsonNode rule : rules) {
      markers |= rule.at("/expiration/0/expired_object_delete_marker").asBoolean();
    }
    assertThat(markers).as("delete markers expire").isTrue();
    assertThat(r.has("aws_s3_bucket_object_lock_configuration")).isTrue();
    assertThat(r.at("/aws_kms_key/backups/0/enable_key_rotation").asBoolean()).isTrue();

    JsonNode doc = policy("bucket");
    JsonNode insecure = statement(doc, "DenyInsecureTransport");
    assertThat(insecure.get("effect").asText()).isEqualTo("Deny");
    assertThat(insecure.get("condition").toString()).contains("aws:SecureTransport", "false");
    JsonNode oldTls = statement(doc, "DenyTlsBelow12");
    assertThat(oldTls.get("effect").asText()).isEqualTo("Deny");
    assertThat(texts(oldTls.get("actions"))).containsExactly("s3:*");
    assertThat(oldTls.at("/condition/0/test").asText()).isEqualTo("NumericLessThan");
    assertThat(oldTls.at("/condition/0/variable").asText()).isEqualTo("s3:TlsVersion");
    assertThat(texts(oldTls.at("/condition/0/values"))).containsExactly("1.2");
    assertThat(module.at("/resource/aws_s3_bucket_policy/backups/0/policy").asText())
        .isEqualTo("${data.aws_iam_policy_document.bucket.json}");

    // an upload without an encryption header gets the bucket default (zoneguard sends none
    // without kmsKeyId): each encryption denial compares a header only when it is present
    for (String sid : List.of("DenyForeignEncryption", "DenyForeignKmsKey")) {
      JsonNode s = statement(doc, sid);
      assertThat(texts(s.get("actions"))).containsExactly("s3:PutObject");
      String compared = null;
      String present = null;
      for (JsonNode c : s.get("condition")) {
        if (c.get("test").asText().equals("StringNotEquals")) {
          compared = c.get("variable").asText();
        } else if (c.get("test").asText().equals("Null")
            && texts(c.get("values")).equals(List.of("false"))) {
          present = c.get("variable").asText();
        }
      }
      assertThat(compared).as(sid).isNotNull().isEqualTo(present);
    }
    assertThat(parsedOutputs()).contains("role_arn", "bucket", "kms_key_arn", "name_prefix");
  }

  @Test
  void variablesAreDescribedValidatedAndTheExampleUsesOnlyThem() {
    JsonNode vars = module.get("variable");
    for (JsonNode all : List.of(vars, example.get("variable"))) {
      for (Map.Entry<String, JsonNode> v : all.properties()) {
        assertThat(v.getValue().get(0).path("description").asText())
            .as(v.getKey() + " has a description")
            .isNotBlank();
      }
    }
    for (String validated :
        List.of(
            "cluster_name",
            "name_prefix",
            "credentials",
            "oidc_provider_arn",
            "bucket_name",
            "dr_region",
            "ebs_kms_key_arns")) {
      assertThat(vars.at("/" + validated + "/0/validation").isArray()).as(validated).isTrue();
    }
    assertThat(vars.at("/oidc_provider_arn/0/validation/0/condition").asText())
        .contains("var.credentials");
    files
        .get("examples/eks/terraform.tfvars.example")
        .fieldNames()
        .forEachRemaining(
            k -> assertThat(example.get("variable").has(k)).as(k + " is a variable").isTrue());
    example
        .at("/module/zoneguard/0")
        .fieldNames()
        .forEachRemaining(
            k ->
                assertThat(k.equals("source") || vars.has(k))
                    .as(k + " is a module variable")
                    .isTrue());
  }

  // ---- with a real terraform, when installed ----

  @Test
  void terraformFormatsEveryFile() throws Exception {
    assumeTerraform();
    run(List.of("terraform", "fmt", "-check", "-recursive", "-diff", "-no-color"), "", TF);
  }

  @Test
  void terraformEvaluatesTheCredentialsChoices() throws Exception {
    assumeTerraform();
    JsonNode pod = evaluate("cluster_name=prod", "credentials=pod_identity");
    assertThat(pod.at("/irsa/value").asBoolean()).isFalse();
    assertThat(pod.at("/pod_identity/value").asBoolean()).isTrue();
    assertThat(pod.at("/oidc_issuer/value").asText()).isEmpty();

    JsonNode both =
        evaluate("cluster_name=prod", "credentials=both", "oidc_provider_arn=" + OIDC_ARN);
    assertThat(both.at("/irsa/value").asBoolean()).isTrue();
    assertThat(both.at("/pod_identity/value").asBoolean()).isTrue();
    assertThat(both.at("/oidc_issuer/value").asText())
        .isEqualTo("oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123");

    assertThat(evaluationError("cluster_name=prod", "credentials=irsa"))
        .contains("oidc_provider_arn is required with credentials = \"irsa\" or \"both\"");
    assertThat(evaluationError("cluster_name=prod", "credentials=oidc"))
        .contains("credentials must be \"irsa\", \"pod_identity\" or \"both\"");
    assertThat(
            evaluationError(
                "cluster_name=prod", "oidc_provider_arn=oidc.eks.us-east-1.amazonaws.com/id/X"))
        .contains("must look like arn:aws:iam::");
  }

  @Test
  void terraformDerivesPrefixesThatFitAwsLimitsAndDoNotCollide() throws Exception {
    assumeTerraform();
    JsonNode plain = evaluate("cluster_name=Prod_EKS", "credentials=pod_identity");
    assertThat(plain.at("/name_prefix/value").asText()).isEqualTo("zoneguard-prod-eks");
    assertThat(plain.at("/bucket/value").asText())
        .isEqualTo("zoneguard-prod-eks-backups-123456789012");

    String common = "a".repeat(60);
    JsonNode one = evaluate("cluster_name=" + common + "-one", "credentials=pod_identity");
    JsonNode two = evaluate("cluster_name=" + common + "-two", "credentials=pod_identity");
    for (JsonNode n : List.of(one, two)) {
      assertThat(n.at("/name_prefix/value").asText()).hasSizeLessThanOrEqualTo(42);
      // S3 bucket names: 3-63 lowercase letters, digits, '-' and '.'
      assertThat(n.at("/bucket/value").asText()).matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    }
    assertThat(one.at("/name_prefix/value").asText())
        .startsWith("zoneguard-aaaa")
        .isNotEqualTo(two.at("/name_prefix/value").asText());

    JsonNode given =
        evaluate("cluster_name=prod", "credentials=pod_identity", "name_prefix=zoneguard");
    assertThat(given.at("/bucket/value").asText()).isEqualTo("zoneguard-backups-123456789012");
  }

  @Test
  void terraformLeavesOutTheOptionalStatementsUnlessAskedFor() throws Exception {
    assumeTerraform();
    JsonNode plain = evaluate("cluster_name=prod", "credentials=pod_identity");
    assertThat(plain.at("/tag_scoped_enabled/value").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "CreateTaggedSnapshots",
            "CreateTaggedVolumes",
            "UseOwnSnapshots",
            "RetentionDeletesOwnSnapshots",
            "FastRestoreOnOwnSnapshots",
            "FastRestoreOffOnOwnSnapshots");

    JsonNode all =
        evaluate(
            "cluster_name=prod",
            "credentials=pod_identity",
            "dr_region=us-west-2",
            "allow_stop_instances=true",
            "node_cluster_tag_key=eks:eks-cluster-name");
    JsonNode rows = all.at("/tag_scoped_enabled/value");
    assertThat(rows.fieldNames())
        .toIterable()
        .contains("DrCopyOwnSnapshots", "DrCopiesTagged", "FenceStopClusterInstances");
    assertThat(rows.at("/DrCopiesTagged/resource").asText())
        .isEqualTo("arn:aws:ec2:us-west-2::snapshot/*");
    assertThat(rows.at("/FenceStopClusterInstances/resource").asText())
        .isEqualTo("arn:aws:ec2:*:*:instance/*");
    assertThat(rows.at("/FenceStopClusterInstances/tag").asText())
        .isEqualTo("aws:ResourceTag/eks:eks-cluster-name");
    assertThat(rows.at("/CreateTaggedVolumes/tag").asText())
        .isEqualTo("aws:RequestTag/zoneguard.io/cluster");

    JsonNode key = all.at("/bucket_denials/value/DenyForeignKmsKey/conditions/1");
    assertThat(key.get("test").asText()).isEqualTo("StringNotEquals");
    assertThat(texts(key.get("values")))
        .containsExactly("arn:aws:kms:us-east-1:123456789012:key/backups");
  }

  private static void assumeTerraform() {
    boolean found =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "terraform")));
    // A missing real component fails, never skips (DEVELOPERS.md): CI machines have terraform in
    // /usr/local/bin; a developer machine without it must learn how to get it, not go green.
    assertThat(found)
        .as(
            "terraform is not on the PATH: names.tf and statements.tf cannot be evaluated; install"
                + " Terraform 1.9+ (https://developer.hashicorp.com/terraform/install) and re-run")
        .isTrue();
  }

  /**
   * names.tf, statements.tf and variables.tf, copied into an otherwise empty root that sets the
   * locals the rest of the module computes from AWS and outputs the ones under test: no provider is
   * needed, so terraform evaluates them offline.
   */
  private static Path harness() throws IOException {
    Files.createDirectories(EVAL);
    Path dir = Files.createTempDirectory(EVAL, "root");
    for (String f : List.of("names.tf", "statements.tf", "variables.tf")) {
      Files.copy(TF.resolve(f), dir.resolve(f));
    }
    Files.writeString(
        dir.resolve("harness.tf"),
        Stream.of(
                "name_prefix",
                "bucket",
                "irsa",
                "pod_identity",
                "oidc_issuer",
                "tag_scoped_enabled",
                "bucket_denials")
            .map(o -> "output \"" + o + "\" {\n  value = local." + o + "\n}\n")
            .collect(
                Collectors.joining(
                    "",
                    """
                    locals {
                      account_id      = "123456789012"
                      partition       = "aws"
                      backups_key_arn = "arn:aws:kms:us-east-1:123456789012:key/backups"
                    }
                    """,
                    "")));
    return dir;
  }

  private static List<String> apply(String... vars) {
    List<String> cmd =
        new ArrayList<>(
            List.of("terraform", "apply", "-auto-approve", "-input=false", "-no-color"));
    for (String v : vars) {
      cmd.add("-var");
      cmd.add(v);
    }
    return cmd;
  }

  private static JsonNode evaluate(String... vars) throws Exception {
    Path dir = harness();
    run(List.of("terraform", "init", "-input=false", "-no-color"), "terraform init", dir);
    run(apply(vars), "terraform apply", dir);
    return JSON.readTree(run(List.of("terraform", "output", "-json"), "terraform output", dir));
  }

  private static String evaluationError(String... vars) throws Exception {
    Path dir = harness();
    run(List.of("terraform", "init", "-input=false", "-no-color"), "terraform init", dir);
    Process p =
        new ProcessBuilder(apply(vars)).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isNotZero();
    // terraform wraps long messages: compare with single spaces
    return out.replaceAll("\\s+", " ");
  }

  // ---- helpers over the parsed HCL ----

  private static List<String> parsedOutputs() {
    List<String> out = new ArrayList<>();
    module.get("output").fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static JsonNode policy(String name) {
    JsonNode doc = module.at("/data/aws_iam_policy_document/" + name + "/0");
    assertThat(doc.isObject()).as("policy document " + name).isTrue();
    return doc;
  }

  /**
   * Plain statements and the content of dynamic ones; a dynamic statement over a table in locals
   * (tag_scoped, bucket_denials) gives one statement per row, with {@code statement.key} and {@code
   * statement.value.*} replaced by the row's text (and its nested dynamic conditions expanded the
   * same way), as terraform would.
   */
  private static List<JsonNode> statements(JsonNode doc) {
    List<JsonNode> out = new ArrayList<>();
    doc.path("statement").forEach(out::add);
    for (JsonNode d : doc.path("dynamic").path("statement")) {
      JsonNode rows = table(d.get("for_each").asText());
      if (rows == null) {
        d.path("content").forEach(out::add);
        continue;
      }
      rows.properties()
          .forEach(
              row ->
                  out.add(expand(d.at("/content/0"), "statement", row.getKey(), row.getValue())));
    }
    return out;
  }

  private static final Pattern LOCAL = Pattern.compile("local\\.(\\w+)");

  /** The table (an object literal in locals) an expression iterates, through other locals. */
  private static JsonNode table(String expression) {
    Matcher local = LOCAL.matcher(expression);
    while (local.find()) {
      JsonNode value = module.path("locals").path(local.group(1));
      JsonNode rows = value.isObject() ? value : value.isTextual() ? table(value.asText()) : null;
      if (rows != null) {
        return rows;
      }
    }
    return null;
  }

  private static JsonNode expand(JsonNode template, String iterator, String key, JsonNode value) {
    if (template.isTextual()) {
      String t = template.asText();
      if (t.equals("${" + iterator + ".key}")) {
        return JSON.getNodeFactory().textNode(key);
      }
      String field = "${" + iterator + ".value.";
      if (t.startsWith(field) && t.endsWith("}")) {
        return value.get(t.substring(field.length(), t.length() - 1));
      }
      return template;
    }
    if (template.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
      template.forEach(e -> out.add(expand(e, iterator, key, value)));
      return out;
    }
    if (!template.isObject()) {
      return template;
    }
    ObjectNode out = JSON.createObjectNode();
    template
        .properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("dynamic")) {
                out.set(e.getKey(), expand(e.getValue(), iterator, key, value));
              }
            });
    // nested dynamic blocks (condition) over a list in the row
    template
        .path("dynamic")
        .properties()
        .forEach(
            block -> {
              com.fasterxml.jackson.databind.node.ArrayNode blocks =
                  out.withArray("/" + block.getKey());
              for (JsonNode nested : block.getValue()) {
                JsonNode items = expand(nested.get("for_each"), iterator, key, value);
                items.forEach(
                    item -> blocks.add(expand(nested.at("/content/0"), block.getKey(), "", item)));
              }
            });
    return out;
  }

  private static JsonNode statement(JsonNode doc, String sid) {
    return statements(doc).stream()
        .filter(s -> s.path("sid").asText().equals(sid))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no statement " + sid));
  }

  /** The dynamic block (for_each and content) whose statement has this sid. */
  private static JsonNode dynamicStatement(JsonNode doc, String sid) {
    for (JsonNode d : doc.path("dynamic").path("statement")) {
      if (d.at("/content/0/sid").asText().equals(sid)) {
        return d;
      }
    }
    throw new AssertionError("no dynamic statement " + sid);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(a -> out.add(a.asText()));
    return out;
  }

  private static Set<String> iam(List<AwsActions.Action> actions) {
    return actions.stream().map(AwsActions.Action::iam).collect(Collectors.toSet());
  }
}
