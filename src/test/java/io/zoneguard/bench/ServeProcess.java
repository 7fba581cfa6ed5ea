package io.zoneguard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code zoneguard serve} process for the benchmark, whose cron fires a backup every {@code
 * period} seconds (on the minute's multiples of it). A scheduled backup's duration is read from
 * serve's own metric ({@code zoneguard_backup_duration_seconds} sum and count), so it is the cron
 * path's time as serve measures it; other pipelines run {@link #between} two of its backups, never
 * overlapping one.
 */
final class ServeProcess implements AutoCloseable {
  /** Another pipeline starts only when serve's next backup is at least this far away. */
  private static final Duration GUARD = Duration.ofSeconds(20);

  private static final Pattern COUNT =
      Pattern.compile("zoneguard_backup_duration_seconds_count\\{[^}]*} ([0-9.E]+)");
  private static final Pattern SUM =
      Pattern.compile("zoneguard_backup_duration_seconds_sum\\{[^}]*} ([0-9.E]+)");
  private static final Pattern FAILED =
      Pattern.compile("zoneguard_backup_failures_total\\{[^}]*} ([0-9.E]+)");

  private final Process process;
  private final Path log;
  private final int port;
  private final int period;
  private final HttpClient http = HttpClient.newHttpClient();
  private double count;
  private double sum;

  private ServeProcess(Process process, Path log, int port, int period) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.period = period;
  }

  /** {@code java} runs {@link PeakHeap} with the fat jar on its class path. */
  static ServeProcess start(
      List<String> java, Map<String, String> env, Path dir, String database, int period)
      throws IOException {
    int port = io.zoneguard.testing.MotoServer.freePort();
    Path config = dir.resolve("serve.yaml");
    Files.writeString(
        config,
        """
        serve:
          port: %d
        schedules:
        - namespace: bench
          statefulSet: mysql
          backupCron: "0/%d * * * * ?"
          databases: [%s]
          database: {host: 127.0.0.1, port: 3306, user: root}
        """
            .formatted(port, period, database));
    List<String> cmd = new ArrayList<>(java);
    cmd.addAll(List.of("serve", "--config", config.toString()));
    Path log = dir.resolve("serve.log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    // its log (a file) shows when each phase of each scheduled backup began
    pb.environment().put("ZONEGUARD_LOG_LEVEL", "INFO");
    System.out.println("serve's log: " + log);
    return new ServeProcess(pb.start(), log, port, period);
  }

  /**
   * Waits for serve's next scheduled backup to finish and returns how long it took (from serve's
   * metric); a failed backup or a dead serve ends the benchmark with serve's log.
   */
  double awaitBackup(Duration timeout) {
    double[] took = new double[1];
    try {
      org.awaitility.Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> finished(took));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IllegalStateException("serve took no backup within " + timeout + ":\n" + tail());
    }
    return took[0];
  }

  /**
   * Whether serve finished another backup since the last one seen; its duration into {@code took}.
   */
  private boolean finished(double[] took) {
    if (!process.isAlive()) {
      throw new IllegalStateException("serve exited:\n" + tail());
    }
    String metrics = metrics();
    if (metrics == null) {
      return false;
    }
    if (value(FAILED, metrics) > 0) {
      throw new IllegalStateException("serve's backup failed:\n" + tail());
    }
    double c = value(COUNT, metrics);
    if (c <= count) {
      return false;
    }
    double s = value(SUM, metrics);
    took[0] = (s - sum) / (c - count);
    count = c;
    sum = s;
    return true;
  }

  /**
   * Runs {@code measure} while serve is idle: first waits out serve's next backup when it is due
   * within {@link #GUARD}, and measures again should serve's backup still have started meanwhile.
   */
  <T> T between(Supplier<T> measure) {
    while (true) {
      Instant next = nextFire();
      if (Duration.between(Instant.now(), next).compareTo(GUARD) < 0) {
        awaitBackup(Duration.ofSeconds(period * 2L));
        next = nextFire();
      }
      T result = measure.get();
      if (Instant.now().isBefore(next)) {
        return result;
      }
      System.out.println("  (overlapped serve's backup: measuring again)");
      awaitBackup(Duration.ofSeconds(period * 2L));
    }
  }

  private Instant nextFire() {
    long now = Instant.now().getEpochSecond();
    return Instant.ofEpochSecond(now - now % period + period);
  }

  /** Stops serve (SIGTERM) and returns its peak heap. */
  long stop() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("serve did not stop:\n" + tail());
      }
      return BackupBenchmark.peakHeap(Files.readString(log));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private String metrics() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double value(Pattern p, String metrics) {
    Matcher m = p.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private String tail() {
    try {
      String s = Files.readString(log);
      return s.substring(Math.max(0, s.length() - 4000));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
