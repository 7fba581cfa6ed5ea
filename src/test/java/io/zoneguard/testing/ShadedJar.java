package io.zoneguard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shipped artifact, target/zoneguard.jar, as a user runs it: its own JVM, only the environment
 * the test gives (nothing inherited), stdout and stderr captured. The shade plugin builds it in the
 * package phase, before failsafe's integration-test; the pom passes its path as zoneguard.jar.
 */
public final class ShadedJar {
  private ShadedJar() {}

  public static Path path() {
    Path jar = Path.of(System.getProperty("zoneguard.jar", "target/zoneguard.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath()
              + " is missing: run the integration tests through 'mvn verify', whose package phase"
              + " builds it, or build it first with 'mvn -DskipTests package'");
    }
    return jar;
  }

  /** Runs {@code java -jar zoneguard.jar args} with exactly {@code env}, for at most 120 s. */
  public static Cli.Result run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx256m", "-jar", path().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(env);
    Path out = Files.createTempFile("zoneguard-out", ".txt");
    Path err = Files.createTempFile("zoneguard-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("zoneguard " + String.join(" ", args) + " hung for 120 s");
      }
      return new Cli.Result(p.exitValue(), read(out), read(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
