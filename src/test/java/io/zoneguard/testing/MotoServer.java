package io.zoneguard.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a real {@code moto_server} process on a free loopback port for the test run. Missing moto
 * fails loudly with how to get it: tests never skip a real component.
 */
public final class MotoServer implements AutoCloseable {
  private final Process process;
  private final URI endpoint;

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  public URI endpoint() {
    return endpoint;
  }

  public static MotoServer start() {
    List<String> command = new ArrayList<>(command());
    int port = freePort();
    command.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
    Path log = Path.of("target", "moto-" + port + ".log");
    Process p;
    try {
      Files.createDirectories(log.getParent());
      p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start moto_server (" + String.join(" ", command) + "): " + e.getMessage() + HOW,
          e);
    }
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "moto_server exited with "
                + p.exitValue()
                + " (see "
                + log.toAbsolutePath()
                + ")"
                + HOW);
      }
      if (answers(endpoint)) {
        return new MotoServer(p, endpoint);
      }
      sleep(200);
    }
    p.destroyForcibly();
    throw new IllegalStateException(
        "moto_server did not answer on " + endpoint + " within 60 s (see " + log + ")" + HOW);
  }

  private static final String HOW =
      ". Install it with \"pip install 'moto[server]'\" (moto 5.x) so that moto_server is on PATH,"
          + " or point -Dzoneguard.moto.command at it, or use -Dzoneguard.aws=localstack with a"
          + " Docker engine.";

  private static List<String> command() {
    String explicit = System.getProperty("zoneguard.moto.command", System.getenv("MOTO_SERVER"));
    if (explicit != null && !explicit.isBlank()) {
      return List.of(explicit.split(" "));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "moto_server");
      if (f.canExecute()) {
        return List.of(f.getPath());
      }
    }
    File shim = new File(System.getProperty("user.home"), ".pyenv/shims/moto_server");
    if (shim.canExecute()) {
      return List.of(shim.getPath());
    }
    return List.of("python3", "-m", "moto.server");
  }

  private static boolean answers(URI endpoint) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) endpoint.resolve("/moto-api/data.json").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200;
    } catch (IOException e) {
      return false;
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
