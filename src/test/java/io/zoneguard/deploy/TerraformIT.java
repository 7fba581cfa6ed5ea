package io.zoneguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.aws.AwsActions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * terraform/ without a terraform binary: every .tf file (and the tfvars example) is parsed by
 * HashiCorp's HCL parser compiled to WebAssembly (npm {@code @cdktf/hcl2json}, installed into
 * target/ on first use), so a syntax error fails the build; then the module's content is checked:
 * the IAM policy holds exactly the actions the code calls ({@link AwsActions}) plus the KMS ones,
 * no wildcards, EC2 mutations conditioned on zoneguard's tags, and the bucket's protections.
 */
class TerraformIT {
  private static final Path TF = Path.of("terraform");
  private static final Path TOOL = Path.of("target/hcl2json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KMS =
      Set.of(
          "kms:GenerateDataKey",
          "kms:Decrypt",
          "kms:CreateGrant",
          "kms:DescribeKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo");

  private static JsonNode parsed;

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
              + " it (apt-get install nodejs npm) and make the npm registry reachable");
    }
    Path script = TOOL.resolve("parse.js");
    Files.writeString(
        script,
        """
        const { parse } = require('@cdktf/hcl2json');
        const fs = require('fs'), path = require('path');
        (async () => {
          const out = {};
          for (const f of process.argv.slice(2)) {
            try { out[path.basename(f)] = await parse(f, fs.readFileSync(f, 'utf8')); }
            catch (e) { console.error(f + ': ' + e.message); process.exit(1); }
          }
          console.log(JSON.stringify(out));
        })();
        """);
    List<String> cmd = new ArrayList<>(List.of("node", script.toString()));
    try (Stream<Path> files = Files.list(TF)) {
      files
          .filter(p -> p.toString().endsWith(".tf") || p.toString().endsWith(".example"))
          .sorted()
          .forEach(p -> cmd.add(p.toString()));
    }
    parsed =
        JSON.readTree(
            run(
                cmd,
                "node is needed to run the HCL parser: install Node.js 18+ (apt-get install"
                    + " nodejs)"));
  }

  private static String run(List<String> cmd, String missing) throws Exception {
    Path errors = Files.createTempFile("zoneguard-hcl", ".err");
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectError(errors.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError(missing + " (" + e.getMessage() + ")", e);
    }
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + Files.readString(errors));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void everyFileParses() {
    assertThat(parsed.fieldNames())
        .toIterable()
        .contains(
            "main.tf", "variables.tf", "outputs.tf", "versions.tf", "terraform.tfvars.example");
  }

  @Test
  void policyGrantsExactlyTheActionsTheCodeCallsWithoutWildcards() {
    JsonNode doc = parsed.at("/main.tf/data/aws_iam_policy_document/zoneguard/0");
    List<JsonNode> statements = statements(doc);
    Set<String> actions = new HashSet<>();
    for (JsonNode s : statements) {
      s.get("actions").forEach(a -> actions.add(a.asText()));
    }
    assertThat(actions).noneMatch(a -> a.contains("*"));
    Set<String> expected = new HashSet<>(KMS);
    AwsActions.EC2.forEach(a -> expected.add(a.iam()));
    AwsActions.S3.forEach(a -> expected.add(a.iam()));
    assertThat(actions).isEqualTo(expected);

    // every EC2 mutation is conditioned on zoneguard's tags (or the creating action), except
    // snapshotting the CSI driver's volumes, which carry no zoneguard tag
    for (JsonNode s : statements) {
      boolean mutation = false;
      for (JsonNode a : s.get("actions")) {
        mutation |= a.asText().startsWith("ec2:") && !a.asText().startsWith("ec2:Describe");
      }
      if (mutation && !s.get("sid").asText().equals("SnapshotAnyVolume")) {
        assertThat(s.has("condition")).as(s.get("sid").asText() + " has a condition").isTrue();
        assertThat(s.get("condition").toString())
            .containsAnyOf("zoneguard.io/", "local.tag_key", "ec2:CreateAction");
      }
    }
    assertThat(parsed.at("/main.tf/data/aws_iam_policy_document/trust/0/statement/0").toString())
        .contains("sts:AssumeRoleWithWebIdentity", ":sub", ":aud", "system:serviceaccount:");
  }

  @Test
  void bucketIsVersionedEncryptedPrivateAndCleansUpIncompleteUploads() {
    JsonNode r = parsed.at("/main.tf/resource");
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
    assertThat(r.at("/aws_s3_bucket_lifecycle_configuration/backups/0").toString())
        .contains("abort_incomplete_multipart_upload");
    assertThat(r.has("aws_s3_bucket_object_lock_configuration")).isTrue();
    assertThat(r.at("/aws_kms_key/backups/0/enable_key_rotation").asBoolean()).isTrue();
    assertThat(parsed.at("/outputs.tf/output").fieldNames())
        .toIterable()
        .contains("role_arn", "bucket", "kms_key_arn");
  }

  @Test
  void variablesAreDescribedValidatedAndTheExampleUsesOnlyThem() {
    JsonNode vars = parsed.at("/variables.tf/variable");
    for (Map.Entry<String, JsonNode> v : vars.properties()) {
      assertThat(v.getValue().get(0).path("description").asText())
          .as(v.getKey() + " has a description")
          .isNotBlank();
    }
    for (String validated :
        List.of("name", "cluster_name", "oidc_provider_arn", "oidc_issuer", "dr_region")) {
      assertThat(vars.at("/" + validated + "/0/validation").isArray()).as(validated).isTrue();
    }
    parsed
        .get("terraform.tfvars.example")
        .fieldNames()
        .forEachRemaining(k -> assertThat(vars.has(k)).as(k + " is a variable").isTrue());
  }

  /** Plain statements and the content of dynamic ones. */
  private static List<JsonNode> statements(JsonNode doc) {
    List<JsonNode> out = new ArrayList<>();
    doc.path("statement").forEach(out::add);
    doc.path("dynamic").path("statement").forEach(d -> d.path("content").forEach(out::add));
    return out;
  }
}
