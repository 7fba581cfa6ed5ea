package io.zoneguard.cli;

/** {@code -o table|json}. */
public enum OutputFormat {
  table,
  json
}
