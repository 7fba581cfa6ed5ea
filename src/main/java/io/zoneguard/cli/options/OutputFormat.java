package io.zoneguard.cli.options;

/** {@code -o table|json}. */
public enum OutputFormat {
  table,
  json
}
