package io.zoneguard.cli.options;

import java.util.Optional;
import picocli.CommandLine.Option;

/** Which set to restore and the client that loads it: shared by {@code restore} and drills. */
public final class RestoreSourceOptions {
  @Option(
      names = "--set",
      paramLabel = "SET",
      description = "backup set id (default: the newest complete set).")
  public String setId;

  @Option(
      names = "--mysql",
      paramLabel = "PATH",
      defaultValue = "mysql",
      description = "mysql client binary (default: ${DEFAULT-VALUE}).")
  public String mysql;

  public Optional<String> set() {
    return Optional.ofNullable(setId);
  }
}
