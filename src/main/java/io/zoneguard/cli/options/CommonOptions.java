package io.zoneguard.cli.options;

import io.zoneguard.config.ConfigKey;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command that talks to AWS or Kubernetes takes, kubectl-style. */
public final class CommonOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration file (keys: see 'zoneguard config show').")
  public Path configFile;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster).")
  public String kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context to use.")
  public String context;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "AWS region (default: aws.region, $AWS_REGION).")
  public String region;

  @Option(
      names = "--bucket",
      paramLabel = "BUCKET",
      description = "S3 bucket of the backup store (default: store.bucket, $ZONEGUARD_BUCKET).")
  public String bucket;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description =
          "cluster name used in tags and S3 keys (default: 'cluster' key, else 'default').")
  public String cluster;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  public OutputFormat output;

  public Map<ConfigKey, String> flags() {
    Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
    put(flags, ConfigKey.KUBE_CONFIG, kubeconfig);
    put(flags, ConfigKey.KUBE_CONTEXT, context);
    put(flags, ConfigKey.AWS_REGION, region);
    put(flags, ConfigKey.CLUSTER, cluster);
    put(flags, ConfigKey.STORE_BUCKET, bucket);
    return flags;
  }

  private static void put(Map<ConfigKey, String> flags, ConfigKey key, String value) {
    if (value != null) {
      flags.put(key, value);
    }
  }
}
