package io.zoneguard.config;

import io.zoneguard.domain.ZoneguardException;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Validated configuration. Every value present here has passed its key's check; optional values are
 * asked for with {@code require*} by the commands that need them, so a missing one fails with a
 * message naming the key, the flag and the environment variable that set it.
 */
public final class ZoneguardConfig {
  private final Map<ConfigKey, String> values;
  private final Map<ConfigKey, String> sources;

  private final java.util.List<ScheduleSpec> schedules;

  ZoneguardConfig(
      Map<ConfigKey, String> values,
      Map<ConfigKey, String> sources,
      java.util.List<ScheduleSpec> schedules) {
    this.schedules = java.util.List.copyOf(schedules);
    this.values = new EnumMap<>(ConfigKey.class);
    this.values.putAll(values);
    this.sources = new EnumMap<>(ConfigKey.class);
    this.sources.putAll(sources);
  }

  public Optional<String> get(ConfigKey key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Where a value came from (flag, env NAME, file, default): shown by {@code config show}. */
  public Optional<String> source(ConfigKey key) {
    return Optional.ofNullable(sources.get(key));
  }

  public String require(ConfigKey key, String flag) {
    return get(key)
        .orElseThrow(
            () ->
                ZoneguardException.usage(
                    key.key()
                        + " is not set: pass "
                        + flag
                        + ", set "
                        + key.envNames().get(0)
                        + ", or set "
                        + key.key()
                        + " in the config file"));
  }

  public String cluster() {
    return values.get(ConfigKey.CLUSTER);
  }

  public String region() {
    return require(ConfigKey.AWS_REGION, "--region");
  }

  public Optional<URI> awsEndpoint() {
    return get(ConfigKey.AWS_ENDPOINT).map(URI::create);
  }

  public boolean pathStyle() {
    return Boolean.parseBoolean(values.get(ConfigKey.AWS_PATH_STYLE));
  }

  public Optional<String> drRegion() {
    return get(ConfigKey.AWS_DR_REGION);
  }

  public String bucket() {
    return require(ConfigKey.STORE_BUCKET, "--bucket");
  }

  public String prefix() {
    return values.get(ConfigKey.STORE_PREFIX);
  }

  public Optional<String> kmsKeyId() {
    return get(ConfigKey.STORE_KMS_KEY);
  }

  public java.util.List<ScheduleSpec> schedules() {
    return schedules;
  }

  public int servePort() {
    return Integer.parseInt(values.get(ConfigKey.SERVE_PORT));
  }

  public String leaseNamespace() {
    return values.get(ConfigKey.SERVE_LEASE_NAMESPACE);
  }

  public String leaseName() {
    return values.get(ConfigKey.SERVE_LEASE_NAME);
  }

  /** How long {@code serve} lets running jobs finish on SIGTERM before releasing the Lease. */
  public java.time.Duration drainTimeout() {
    return java.time.Duration.ofSeconds(
        Integer.parseInt(values.get(ConfigKey.SERVE_DRAIN_SECONDS)));
  }

  public Optional<Path> kubeconfig() {
    return get(ConfigKey.KUBE_CONFIG).map(Path::of);
  }

  public Optional<String> kubeContext() {
    return get(ConfigKey.KUBE_CONTEXT);
  }
}
