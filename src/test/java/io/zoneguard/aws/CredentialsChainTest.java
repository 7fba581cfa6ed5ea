package io.zoneguard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.ZoneguardException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The one-line credential failures: which source was chosen, what it answered, or, when none is
 * configured, every source tried and how to set one up. Real providers run in CredentialsChainIT.
 */
class CredentialsChainTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/zoneguard";
  private static final String TOKEN_FILE =
      "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";

  private final List<CredentialSource> asked = new ArrayList<>();

  private static CredentialSettings settings(Map<String, String> env) {
    return new CredentialSettings(Map.of(), env, Optional.empty());
  }

  private static CredentialSettings withProfile(Map<String, String> env, String config) {
    ProfileFile f =
        ProfileFile.builder()
            .content(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)))
            .type(ProfileFile.Type.CONFIGURATION)
            .build();
    return new CredentialSettings(Map.of(), env, Optional.of(f));
  }

  /** A chain whose every provider fails with {@code failure}, recording which it was asked for. */
  private CredentialsChain failingWith(CredentialSettings s, RuntimeException failure) {
    return new CredentialsChain(
        s,
        source -> {
          asked.add(source);
          return (AwsCredentialsProvider)
              () -> {
                throw failure;
              };
        });
  }

  private static ZoneguardException failure(CredentialsChain chain) {
    Throwable t = catchThrowable(chain::resolveCredentials);
    assertThat(t).isInstanceOf(SdkClientException.class);
    ZoneguardException ze =
        AwsErrors.translate("S3 ListObjectsV2 s3://b/p", (SdkClientException) t);
    assertThat(ze.getMessage()).doesNotContain("\n").doesNotContain("AwsCredentialsProviderChain");
    return ze;
  }

  @Test
  void nothingConfiguredListsEverySourceTriedAndHowToFixItWithExit2() {
    CredentialsChain chain =
        failingWith(
            settings(Map.of()), SdkClientException.create("Failed to load credentials from IMDS."));

    ZoneguardException e = failure(chain);

    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage())
        .startsWith("no AWS credentials found (tried ")
        .contains(
            "system properties aws.accessKeyId/aws.secretAccessKey",
            "env AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
            "web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, IRSA)",
            "profile 'default' (~/.aws/config, ~/.aws/credentials)",
            "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI/RELATIVE_URI, EKS Pod"
                + " Identity)",
            "EC2 instance metadata (IMDS): Failed to load credentials from IMDS.",
            "eks.amazonaws.com/role-arn",
            "Pod Identity association");
    assertThat(asked).containsExactly(CredentialSource.INSTANCE_METADATA);
  }

  @Test
  void imdsDisabledMeansNothingIsAskedAtAll() {
    CredentialsChain chain =
        failingWith(
            settings(Map.of("AWS_EC2_METADATA_DISABLED", "true")),
            new IllegalStateException("never called"));

    ZoneguardException e = failure(chain);

    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage())
        .contains("EC2 instance metadata (IMDS): disabled by AWS_EC2_METADATA_DISABLED");
    assertThat(asked).isEmpty();
  }

  @Test
  void stsRefusingTheWebIdentityIsExit1WithStssOwnReasonAndNoFallThroughToImds() {
    StsException refused =
        (StsException)
            StsException.builder()
                .statusCode(403)
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .serviceName("Sts")
                        .errorCode("AccessDenied")
                        .errorMessage("Not authorized to perform sts:AssumeRoleWithWebIdentity")
                        .build())
                .build();
    CredentialsChain chain =
        failingWith(
            settings(Map.of("AWS_ROLE_ARN", ROLE, "AWS_WEB_IDENTITY_TOKEN_FILE", TOKEN_FILE)),
            SdkClientException.create("Unable to load credentials from STS", refused));

    ZoneguardException e = failure(chain);

    assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(e.getMessage())
        .isEqualTo(
            "AWS credentials from web identity token file (role "
                + ROLE
                + ", token file "
                + TOKEN_FILE
                + ") failed: Sts answered AccessDenied: Not authorized to perform"
                + " sts:AssumeRoleWithWebIdentity (HTTP 403); "
                + CredentialSource.WEB_IDENTITY.fix());
    assertThat(asked).containsExactly(CredentialSource.WEB_IDENTITY);
  }

  @Test
  void aMissingTokenFileIsSaidPlainly() {
    CredentialsChain chain =
        failingWith(
            settings(Map.of("AWS_ROLE_ARN", ROLE, "AWS_WEB_IDENTITY_TOKEN_FILE", TOKEN_FILE)),
            SdkClientException.create(
                "java.nio.file.NoSuchFileException: " + TOKEN_FILE,
                new java.nio.file.NoSuchFileException(TOKEN_FILE)));

    assertThat(failure(chain).getMessage()).contains(") failed: no such file " + TOKEN_FILE + ";");
  }

  @Test
  void aSecretNeverReachesTheMessageEvenWhenAProviderQuotesIt() {
    String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    CredentialsChain chain =
        failingWith(
            settings(Map.of("AWS_SECRET_ACCESS_KEY", secret)),
            SdkClientException.create("Access key must be specified, got secret " + secret));

    ZoneguardException e = failure(chain);

    assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(e.getMessage())
        .startsWith("AWS credentials from env AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY failed: ")
        .doesNotContain(secret)
        .contains("****");
  }

  @Test
  void theSourceIsTheFirstConfiguredOneInTheSdksOrder() {
    Map<String, String> irsaAndKeys =
        Map.of(
            "AWS_ACCESS_KEY_ID",
            "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY",
            "x",
            "AWS_ROLE_ARN",
            ROLE,
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            TOKEN_FILE);
    assertThat(CredentialsChain.choose(settings(irsaAndKeys)))
        .contains(CredentialSource.ENVIRONMENT);
    assertThat(
            CredentialsChain.choose(
                settings(
                    Map.of(
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                        "http://169.254.170.23/v1/credentials",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                        "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token"))))
        .contains(CredentialSource.CONTAINER);
    // A profile that only sets a region is no credential source: the chain goes on.
    assertThat(CredentialsChain.choose(withProfile(Map.of(), "[default]\nregion = eu-west-1\n")))
        .contains(CredentialSource.INSTANCE_METADATA);
    assertThat(
            CredentialsChain.choose(
                withProfile(
                    Map.of(),
                    "[default]\nrole_arn = "
                        + ROLE
                        + "\ncredential_source = Ec2InstanceMetadata\n")))
        .contains(CredentialSource.PROFILE);
    // A profile asked for by name is the source even when missing: its absence is the failure.
    assertThat(CredentialsChain.choose(settings(Map.of("AWS_PROFILE", "prod"))))
        .contains(CredentialSource.PROFILE);
  }

  @Test
  void aWorkingSourceIsAskedOnceAndAnswers() {
    CredentialsChain chain =
        new CredentialsChain(
            settings(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "x")),
            source -> {
              asked.add(source);
              return () -> AwsBasicCredentials.create("AKIDEXAMPLE", "x");
            });

    assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(asked).containsExactly(CredentialSource.ENVIRONMENT);
  }
}
