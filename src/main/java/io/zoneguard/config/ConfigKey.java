package io.zoneguard.config;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Every scalar configuration key: its dotted name in the YAML file, the environment variables that
 * set it, and what values it allows. Precedence is flag, then environment, then file, then default.
 */
public enum ConfigKey {
  CLUSTER(
      "cluster",
      "a lower-case name of 1-63 letters, digits or '-' (used in tags and S3 keys)",
      "default",
      matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"),
      "ZONEGUARD_CLUSTER"),
  AWS_REGION(
      "aws.region",
      "an AWS region such as us-east-1",
      null,
      matches("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d+"),
      "ZONEGUARD_AWS_REGION",
      "AWS_REGION",
      "AWS_DEFAULT_REGION"),
  AWS_ENDPOINT(
      "aws.endpoint",
      "an http(s) URL overriding the EC2 and S3 endpoints (VPC endpoint, FIPS, emulator)",
      null,
      ConfigKey::isHttpUrl,
      "ZONEGUARD_AWS_ENDPOINT"),
  AWS_PATH_STYLE(
      "aws.pathStyle",
      "true or false (path-style S3 addressing, needed by most S3 emulators)",
      "false",
      ConfigKey::isBoolean,
      "ZONEGUARD_AWS_PATH_STYLE"),
  AWS_DR_REGION(
      "aws.drRegion",
      "an AWS region for cross-region snapshot copies",
      null,
      matches("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d+"),
      "ZONEGUARD_AWS_DR_REGION"),
  STORE_BUCKET(
      "store.bucket",
      "an S3 bucket name (3-63 characters: lower-case letters, digits, '.', '-')",
      null,
      matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
      "ZONEGUARD_BUCKET"),
  STORE_PREFIX(
      "store.prefix",
      "a key prefix of letters, digits, '-', '_', '.' and '/' without leading or trailing '/'",
      "zoneguard",
      matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*"),
      "ZONEGUARD_PREFIX"),
  STORE_KMS_KEY(
      "store.kmsKeyId",
      "a KMS key id, alias or ARN for server-side encryption",
      null,
      matches("[A-Za-z0-9:/_.-]+"),
      "ZONEGUARD_KMS_KEY_ID"),
  KUBE_CONFIG(
      "kube.kubeconfig",
      "a path to a kubeconfig file",
      null,
      s -> !s.isBlank(),
      "ZONEGUARD_KUBECONFIG"),
  KUBE_CONTEXT(
      "kube.context", "a kubeconfig context name", null, s -> !s.isBlank(), "ZONEGUARD_CONTEXT"),
  SERVE_PORT(
      "serve.port",
      "a TCP port 1-65535 for /healthz, /readyz and /metrics",
      "8080",
      ConfigKey::isPort,
      "ZONEGUARD_PORT"),
  SERVE_LEASE_NAMESPACE(
      "serve.leaseNamespace",
      "the namespace of the leader-election Lease (in a pod: its own namespace)",
      "default",
      matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"),
      "ZONEGUARD_LEASE_NAMESPACE",
      "POD_NAMESPACE"),
  SERVE_LEASE_NAME(
      "serve.leaseName",
      "the name of the leader-election Lease",
      "zoneguard-leader",
      matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?"),
      "ZONEGUARD_LEASE_NAME"),
  SERVE_DRAIN_SECONDS(
      "serve.drainSeconds",
      "whole seconds 0-86400 that running jobs get to finish on SIGTERM before the Lease is"
          + " released (the chart: terminationGracePeriodSeconds - 30)",
      "3570",
      s -> s.matches("\\d{1,5}") && Integer.parseInt(s) <= 86400,
      "ZONEGUARD_DRAIN_SECONDS");

  private final String key;
  private final String allowed;
  private final String defaultValue;
  private final Predicate<String> valid;
  private final List<String> envNames;

  ConfigKey(
      String key,
      String allowed,
      String defaultValue,
      Predicate<String> valid,
      String... envNames) {
    this.key = key;
    this.allowed = allowed;
    this.defaultValue = defaultValue;
    this.valid = valid;
    this.envNames = List.of(envNames);
  }

  public String key() {
    return key;
  }

  public String allowed() {
    return allowed;
  }

  public List<String> envNames() {
    return envNames;
  }

  Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  boolean accepts(String value) {
    return valid.test(value);
  }

  static Optional<ConfigKey> byKey(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }

  private static Predicate<String> matches(String regex) {
    Pattern p = Pattern.compile(regex);
    return s -> p.matcher(s).matches();
  }

  private static boolean isBoolean(String s) {
    return s.equals("true") || s.equals("false");
  }

  private static boolean isPort(String s) {
    try {
      int p = Integer.parseInt(s);
      return p >= 0 && p <= 65535;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isHttpUrl(String s) {
    try {
      URI u = URI.create(s);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
