package io.zoneguard.testing;

import io.zoneguard.aws.AwsClients;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** A running AWS emulator (moto_server or LocalStack): where it listens and how to talk to it. */
public record AwsBackend(
    String kind, URI endpoint, String region, String accessKey, String secretKey) {

  /** Clients built by the production factory, pointed at the emulator. */
  public AwsClients clients() {
    return clientsAt(endpoint);
  }

  /**
   * Clients that reach the emulator through a proxy, so a test can read what went over the wire
   * (moto accepts and ignores request fields it does not model).
   */
  public AwsClients clientsVia(FaultProxy proxy) {
    return clientsAt(proxy.endpoint());
  }

  private AwsClients clientsAt(URI at) {
    return AwsClients.create(
        region,
        Optional.of(at),
        true,
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
  }

  /**
   * Environment for running the real CLI against the emulator: the same variables a user would set
   * to point zoneguard at a VPC endpoint. Credentials reach the SDK's default chain through system
   * properties set when the backend starts.
   */
  public Map<String, String> cliEnv() {
    return Map.of(
        "ZONEGUARD_AWS_ENDPOINT",
        endpoint.toString(),
        "ZONEGUARD_AWS_REGION",
        region,
        "ZONEGUARD_AWS_PATH_STYLE",
        "true");
  }
}
