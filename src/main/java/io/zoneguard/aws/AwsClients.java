package io.zoneguard.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
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
 * standard retry strategy (backoff with jitter on throttling and 5xx) and the SDK's credential
 * sources chosen by {@link CredentialsChain} (env, IRSA web identity, profile, EKS Pod Identity,
 * instance profile). Credentials never pass through zoneguard's own code or messages.
 */
public final class AwsClients implements AutoCloseable {
  private final SdkHttpClient http;
  private final Ec2Client ec2;
  private final S3Client s3;
  private final String region;

  private final AwsCredentialsProvider credentials;

  private AwsClients(
      SdkHttpClient http,
      Ec2Client ec2,
      S3Client s3,
      String region,
      AwsCredentialsProvider credentials) {
    this.http = http;
    this.credentials = credentials;
    this.ec2 = ec2;
    this.s3 = s3;
    this.region = region;
  }

  /** Clients on the process's credentials (see {@link CredentialsChain}). */
  public static AwsClients create(String region, Optional<URI> endpoint, boolean pathStyle) {
    SdkHttpClient http = httpClient();
    return create(region, endpoint, pathStyle, http, CredentialsChain.forProcess(region, http));
  }

  public static AwsClients create(
      String region,
      Optional<URI> endpoint,
      boolean pathStyle,
      AwsCredentialsProvider credentials) {
    return create(region, endpoint, pathStyle, httpClient(), credentials);
  }

  private static SdkHttpClient httpClient() {
    return ApacheHttpClient.builder()
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(10))
        .socketTimeout(Duration.ofSeconds(60))
        .build();
  }

  private static AwsClients create(
      String region,
      Optional<URI> endpoint,
      boolean pathStyle,
      SdkHttpClient http,
      AwsCredentialsProvider credentials) {
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
            // S3ObjectStore sends its own CRC32C on every PutObject and UploadPart (Object Lock
            // buckets refuse uploads without one); WHEN_REQUIRED keeps the SDK from adding a
            // second,
            // trailer-based checksum, which needs the aws-chunked encoding disabled above.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
    endpoint.ifPresent(
        e -> {
          ec2.endpointOverride(e);
          s3.endpointOverride(e);
        });
    return new AwsClients(http, ec2.build(), s3.build(), region, credentials);
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
    if (credentials instanceof CredentialsChain owned) {
      owned.close();
    }
    http.close();
  }
}
