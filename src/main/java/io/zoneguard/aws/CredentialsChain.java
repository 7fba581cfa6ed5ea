package io.zoneguard.aws;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK's default credential sources, in the SDK's order, with two differences an on-call
 * engineer needs. The source is chosen once, from what the process configured, and a configured
 * source that fails is reported as such: the SDK's chain would fall through to instance metadata,
 * which on EKS answers with the node's role (another identity, with other permissions). And a
 * failure is one line naming the source and its reason, or, when nothing is configured, every
 * source tried and how to set one up, instead of the chain's 1,000-character dump.
 *
 * <p>Exit codes: 2 (usage) when no source is configured, 1 when a configured source fails.
 */
public final class CredentialsChain implements AwsCredentialsProvider, SdkAutoCloseable {
  private static final int MAX_REASON = 300;

  private final CredentialSettings settings;
  private final Function<CredentialSource, AwsCredentialsProvider> factory;
  private final Optional<CredentialSource> chosen;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private AwsCredentialsProvider provider;

  CredentialsChain(
      CredentialSettings settings, Function<CredentialSource, AwsCredentialsProvider> factory) {
    this.settings = settings;
    this.factory = factory;
    this.chosen = choose(settings);
  }

  /**
   * The chain of the running process. Web identity uses an STS client in zoneguard's region over
   * zoneguard's HTTP client, so IRSA works without AWS_REGION (EKS Pod Identity does not inject
   * it); the SDK still honours AWS_ENDPOINT_URL_STS for VPC endpoints.
   */
  public static CredentialsChain forProcess(String region, SdkHttpClient http) {
    CredentialSettings settings = CredentialSettings.current();
    List<AutoCloseable> owned = new ArrayList<>();
    Function<CredentialSource, AwsCredentialsProvider> factory =
        source ->
            switch (source) {
              case SYSTEM_PROPERTIES -> SystemPropertyCredentialsProvider.create();
              case ENVIRONMENT -> EnvironmentVariableCredentialsProvider.create();
              case WEB_IDENTITY -> {
                StsClient sts =
                    StsClient.builder().region(Region.of(region)).httpClient(http).build();
                owned.add(sts);
                yield StsWebIdentityTokenFileCredentialsProvider.builder().stsClient(sts).build();
              }
              case PROFILE ->
                  ProfileCredentialsProvider.builder().profileName(settings.profileName()).build();
              case CONTAINER -> ContainerCredentialsProvider.builder().build();
              case INSTANCE_METADATA -> InstanceProfileCredentialsProvider.builder().build();
            };
    CredentialsChain chain = new CredentialsChain(settings, factory);
    chain.owned.addAll(owned);
    return chain;
  }

  /** The first configured source, else instance metadata unless AWS_EC2_METADATA_DISABLED. */
  static Optional<CredentialSource> choose(CredentialSettings s) {
    return Arrays.stream(CredentialSource.values())
        .filter(c -> c.configured(s))
        .findFirst()
        .or(
            () ->
                s.imdsDisabled()
                    ? Optional.empty()
                    : Optional.of(CredentialSource.INSTANCE_METADATA));
  }

  Optional<CredentialSource> source() {
    return chosen;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    if (chosen.isEmpty()) {
      throw unavailable(ExitCode.USAGE, nothingConfigured("disabled by AWS_EC2_METADATA_DISABLED"));
    }
    CredentialSource source = chosen.get();
    try {
      return provider(source).resolveCredentials();
    } catch (RuntimeException e) {
      if (source == CredentialSource.INSTANCE_METADATA) {
        throw unavailable(ExitCode.USAGE, nothingConfigured(reason(e)));
      }
      throw unavailable(
          ExitCode.FAILED,
          "AWS credentials from "
              + source.describe(settings)
              + " failed: "
              + reason(e)
              + "; "
              + source.fix());
    }
  }

  private synchronized AwsCredentialsProvider provider(CredentialSource source) {
    if (provider == null) {
      provider = factory.apply(source);
      if (provider instanceof AutoCloseable c) {
        owned.add(c);
      }
    }
    return provider;
  }

  private String nothingConfigured(String imds) {
    String tried =
        Arrays.stream(CredentialSource.values())
            .map(
                c ->
                    c == CredentialSource.INSTANCE_METADATA
                        ? c.label(settings) + ": " + imds
                        : c.label(settings))
            .collect(Collectors.joining(", "));
    return "no AWS credentials found (tried "
        + tried
        + "); on EKS annotate zoneguard's ServiceAccount with eks.amazonaws.com/role-arn (IRSA)"
        + " or create an EKS Pod Identity association (runbooks/install.md); elsewhere set"
        + " AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
  }

  /**
   * Thrown through the SDK as a client exception (the SDK passes those through unchanged), with the
   * user-facing failure as its cause for {@link AwsErrors} to unwrap.
   */
  private SdkClientException unavailable(ExitCode code, String message) {
    String line = redact(message);
    return SdkClientException.builder()
        .message(line)
        .cause(new ZoneguardException(code, line))
        .build();
  }

  /** What went wrong, in one short line: AWS's own error when a service answered. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
        var d = ase.awsErrorDetails();
        return d.serviceName()
            + " answered "
            + d.errorCode()
            + (d.errorMessage() == null ? "" : ": " + Text.firstLine(d.errorMessage()))
            + " (HTTP "
            + ase.statusCode()
            + ")";
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    // A token or profile file that is not there: say so instead of naming a Java exception.
    if (root instanceof java.nio.file.NoSuchFileException nf) {
      return "no such file " + nf.getFile();
    }
    if (root instanceof java.nio.file.AccessDeniedException ad) {
      return "cannot read " + ad.getFile() + " (permission denied)";
    }
    String top = Text.firstLine(e.getMessage());
    String deepest = Text.firstLine(root.getMessage());
    String r = root == e || deepest.isEmpty() || top.contains(deepest) ? top : top + ": " + deepest;
    if (r.isEmpty()) {
      r = e.getClass().getSimpleName();
    }
    return r.length() > MAX_REASON ? r.substring(0, MAX_REASON) + "..." : r;
  }

  /** No secret reaches a message, whatever a provider's error text quotes. */
  private String redact(String message) {
    String m = message;
    for (SdkSystemSetting s :
        List.of(
            SdkSystemSetting.AWS_SECRET_ACCESS_KEY,
            SdkSystemSetting.AWS_SESSION_TOKEN,
            SdkSystemSetting.AWS_CONTAINER_AUTHORIZATION_TOKEN)) {
      for (Optional<String> v : List.of(settings.systemProperty(s), settings.envVariable(s))) {
        if (v.isPresent() && v.get().length() >= 4) {
          m = m.replace(v.get(), "****");
        }
      }
    }
    return m;
  }

  @Override
  public synchronized void close() {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing on shutdown: nothing left to do with a failure
      }
    }
    owned.clear();
  }
}
