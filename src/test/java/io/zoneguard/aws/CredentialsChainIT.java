package io.zoneguard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.FaultProxy;
import io.zoneguard.testing.FaultProxy.Seen;
import io.zoneguard.testing.PodIdentityAgentStandIn;
import io.zoneguard.testing.ShadedJar;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar run as on EKS: a real command ({@code backup list}, which reads S3) in its own
 * JVM with a clean environment holding only what EKS injects for one credential source, against
 * moto behind the recording proxy. Nothing else could sign: no keys, no profile files, and instance
 * metadata pointed at a closed loopback port (never the real 169.254.169.254).
 */
@ExtendWith(AwsExtension.class)
class CredentialsChainIT {
  private static final String ROLE = "arn:aws:iam::123456789012:role/zoneguard-prod";
  // A projected service account token's shape: JWT header.payload.signature.
  private static final String TOKEN =
      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6em9uZWd1YXJkOnpvbmVndWFyZCJ9.c2ln";

  @TempDir Path home;
  private AwsBackend backend;
  private String bucket;

  @BeforeEach
  void setUp(AwsBackend backend) {
    this.backend = backend;
    bucket = "zg-creds-" + UUID.randomUUID().toString().substring(0, 8);
    try (AwsClients aws = backend.clients()) {
      aws.s3().createBucket(b -> b.bucket(bucket));
    }
  }

  /** Settings a user gives zoneguard, and the isolation that keeps other sources out. */
  private Map<String, String> baseEnv(FaultProxy proxy) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("ZONEGUARD_BUCKET", bucket);
    env.put("ZONEGUARD_AWS_REGION", backend.region());
    env.put("ZONEGUARD_AWS_ENDPOINT", proxy.endpoint().toString());
    env.put("ZONEGUARD_AWS_PATH_STYLE", "true");
    env.put("HOME", home.toString());
    env.put("AWS_CONFIG_FILE", home.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-credentials").toString());
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + closedPort());
    return env;
  }

  /** What the EKS Pod Identity webhook's IRSA mutation injects, STS at the proxy. */
  private Map<String, String> irsaEnv(FaultProxy proxy) throws IOException {
    Path token = home.resolve("eks.amazonaws.com-token");
    Files.writeString(token, TOKEN, StandardCharsets.UTF_8);
    Map<String, String> env = baseEnv(proxy);
    env.put("AWS_ROLE_ARN", ROLE);
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
    env.put("AWS_ENDPOINT_URL_STS", proxy.endpoint().toString());
    return env;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Cli.Result backupList(Map<String, String> env) throws Exception {
    return ShadedJar.run(env, "backup", "list", "-n", "shop", "--statefulset", "mysql");
  }

  /** The access key id an S3 request was signed with (SigV4 Credential=AKID/date/...). */
  private static List<String> s3SigningKeys(FaultProxy proxy) {
    return proxy.seen().stream()
        .filter(s -> s.action() == null)
        .map(s -> s.header("authorization").orElse(""))
        .map(a -> a.replaceAll(".*Credential=([^/]+)/.*", "$1"))
        .toList();
  }

  private static void assertOneLine(Cli.Result r) {
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .doesNotContain("\tat ")
        .doesNotContain("AwsCredentialsProviderChain")
        .doesNotContain("Exception");
  }

  @Test
  void irsaWithOnlyTheRoleArnAndTokenFileSucceeds() throws Exception {
    try (FaultProxy proxy = new FaultProxy(backend.endpoint(), s -> false, 500, "none")) {
      Cli.Result r = backupList(irsaEnv(proxy));

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("No backup sets for shop/mysql.");
      assertThat(proxy.seen())
          .extracting(Seen::action)
          .containsOnlyOnce("AssumeRoleWithWebIdentity");
      // Signed with the temporary keys STS handed out for the role, nothing else.
      assertThat(s3SigningKeys(proxy))
          .isNotEmpty()
          .allSatisfy(k -> assertThat(k).startsWith("ASIA").isNotEqualTo(backend.accessKey()));
    }
  }

  /** What the EKS Pod Identity webhook injects, the agent's URI pointing at the stand-in. */
  private Map<String, String> podIdentityEnv(FaultProxy proxy, PodIdentityAgentStandIn agent)
      throws IOException {
    Map<String, String> env = baseEnv(proxy);
    env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.fullUri().toString());
    env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", podToken().toString());
    return env;
  }

  private Path podToken() throws IOException {
    Path token = home.resolve("eks-pod-identity-token");
    Files.writeString(token, TOKEN, StandardCharsets.UTF_8);
    return token;
  }

  @Test
  void podIdentityWithOnlyTheAgentUriAndTokenFileSucceeds() throws Exception {
    try (FaultProxy proxy = new FaultProxy(backend.endpoint(), s -> false, 500, "none");
        PodIdentityAgentStandIn agent = new PodIdentityAgentStandIn(podToken())) {
      Cli.Result r = backupList(podIdentityEnv(proxy, agent));

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("No backup sets for shop/mysql.");
      assertThat(agent.authorizations()).isNotEmpty().containsOnly(TOKEN);
      assertThat(s3SigningKeys(proxy))
          .isNotEmpty()
          .containsOnly(PodIdentityAgentStandIn.ACCESS_KEY_ID);
    }
  }

  @Test
  void podIdentityWithoutAnAssociationIsOneLineAndExit1() throws Exception {
    try (FaultProxy proxy = new FaultProxy(backend.endpoint(), s -> false, 500, "none");
        PodIdentityAgentStandIn agent =
            new PodIdentityAgentStandIn(podToken()).withoutAssociation()) {
      Cli.Result r = backupList(podIdentityEnv(proxy, agent));

      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      assertOneLine(r);
      assertThat(r.err())
          .startsWith("zoneguard: AWS credentials from container credentials (" + agent.fullUri())
          .contains("Pod Identity association exists")
          .doesNotContain(TOKEN);
      assertThat(proxy.seen()).as("nothing reached AWS").isEmpty();
    }
  }

  @Test
  void noCredentialsAtAllIsOneLineNamingEverySourceAndExit2() throws Exception {
    try (FaultProxy proxy = new FaultProxy(backend.endpoint(), s -> false, 500, "none")) {
      Cli.Result r = backupList(baseEnv(proxy));

      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertOneLine(r);
      assertThat(r.err())
          .startsWith("zoneguard: no AWS credentials found (tried ")
          .contains(
              "env AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
              "web identity token file",
              "profile 'default'",
              "container credentials",
              "EC2 instance metadata (IMDS): ",
              "eks.amazonaws.com/role-arn");
      assertThat(proxy.seen()).as("nothing reached AWS").isEmpty();
    }
  }

  @Test
  void stsRefusingTheRoleIsOneLineWithStssReasonAndExit1() throws Exception {
    try (FaultProxy proxy =
        new FaultProxy(
            backend.endpoint(),
            s -> "AssumeRoleWithWebIdentity".equals(s.action()),
            403,
            "AccessDenied")) {
      Cli.Result r = backupList(irsaEnv(proxy));

      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      assertOneLine(r);
      assertThat(r.err())
          .startsWith("zoneguard: AWS credentials from web identity token file (role " + ROLE)
          .contains("AccessDenied", "HTTP 403", "trust policy")
          .doesNotContain(TOKEN);
      assertThat(proxy.seen()).extracting(Seen::action).doesNotContainNull();
    }
  }
}
