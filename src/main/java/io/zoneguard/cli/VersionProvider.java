package io.zoneguard.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest, so there is one source of truth: the pom. */
public final class VersionProvider implements IVersionProvider {
  public static String version() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"zoneguard " + version(), "Java " + System.getProperty("java.version")};
  }
}
