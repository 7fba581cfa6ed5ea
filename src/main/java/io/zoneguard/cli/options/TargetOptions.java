package io.zoneguard.cli.options;

import picocli.CommandLine.Option;

/** {@code -n} and {@code --statefulset}: which StatefulSet a command works on. */
public final class TargetOptions {
  @Option(
      names = {"-n", "--namespace"},
      required = true,
      paramLabel = "NS",
      description = "namespace of the StatefulSet.")
  public String namespace;

  @Option(
      names = "--statefulset",
      required = true,
      paramLabel = "NAME",
      description = "the StatefulSet.")
  public String statefulSet;
}
