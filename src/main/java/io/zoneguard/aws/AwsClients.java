package io.zoneguard.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the AWS clients once per process: one region, an optional endpoint override (VPC
 * endpoints, FIPS, emulators; the SDK also honours {@code AWS_ENDPOINT_URL*} on its own), the SDK's
 * standard retry strategy (backoff with jitter on throttling and 5xx) and the default credentials
 * chain (env, IRSA web identity, EKS Pod Identity, instance profile). Credentials never pass
 * through zoneguard.
 */
public final class AwsClients implements AutoCloseable {
  private final SdkHttpClient http;
  private final Ec2Client ec2;
  private final S3Client s3;
  private final String region;

  private AwsClients(SdkHttpClient http, Ec2Client ec2, S3Client s3, String region) {
    this.http = http;
    this.ec2 = ec2;
    this.s3 = s3;
    this.region = region;
  }

  public static AwsClients create(String region, Optional<URI> endpoint, boolean pathStyle) {
    return create(region, endpoint, pathStyle, DefaultCredentialsProvider.builder().build());
  }

  public static AwsClients create(
      String region,
      Optional<URI> endpoint,
      boolean pathStyle,
      AwsCredentialsProvider credentials) {
    SdkHttpClient http =
        ApacheHttpClient.builder()
            .maxConnections(64)
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build();
    ClientOverrideConfiguration override =
        ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build();
    var ec2 =
        Ec2Client.builder()
            .region(Region.of(region))
            .httpClient(http)
            .credentialsProvider(credentials)
            .overrideConfiguration(override);
    var s3 =
        S3Client.builder()
            .region(Region.of(region))
            .httpClient(http)
            .credentialsProvider(credentials)
            .overrideConfiguration(override)
            .forcePathStyle(pathStyle)
            // Over plain http (emulators, some VPC setups) the SDK would otherwise sign every
            // 64 KiB chunk of every part; one payload hash per part is cheaper on both ends.
            .serviceConfiguration(
                software.amazon.awssdk.services.s3.S3Configuration.builder()
                    .chunkedEncodingEnabled(false)
                    .build())
            // Integrity is end to end: zoneguard hashes the whole dump (SHA-256 in the manifest)
            // and verifies it before every restore; per-part CRCs would only add CPU on both ends.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
    endpoint.ifPresent(
        e -> {
          ec2.endpointOverride(e);
          s3.endpointOverride(e);
        });
    return new AwsClients(http, ec2.build(), s3.build(), region);
  }

  public Ec2Client ec2() {
    return ec2;
  }

  public S3Client s3() {
    return s3;
  }

  public String region() {
    return region;
  }

  @Override
  public void close() {
    ec2.close();
    s3.close();
    http.close();
  }
}
