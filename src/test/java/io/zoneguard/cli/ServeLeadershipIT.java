package io.zoneguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code serve} processes on one host, as a user starts them: no {@code --identity}, no
 * {@code POD_NAME}. Exactly one may lead (both once took the hostname as Lease identity and both
 * acted as leader), and the standby that takes over after the leader stops makes up for the backups
 * it missed with one run, not one per missed fire time.
 */
@ExtendWith({AwsExtension.class, BackupFixtureExtension.class, MariaDbExtension.class})
class ServeLeadershipIT {
  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();

  private record Serve(Process process, int port, Path log) {
    boolean leader(HttpClient http) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body().contains("zoneguard_leader 1.0");
      } catch (IOException e) {
        return false; // not listening yet, or stopped
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    String output() throws IOException {
      return Files.readString(log);
    }
  }

  @Test
  void twoServesWithoutIdentityElectOneLeaderAndTheTakeoverCatchesUpOnce(
      BackupFixture f, ScratchDatabase db, AwsBackend aws) throws Exception {
    SeedData.seed(db, 1);
    List<Serve> serves = new ArrayList<>();
    try {
      serves.add(start(f, db, aws, "a"));
      serves.add(start(f, db, aws, "b"));
      Serve a = serves.get(0);
      Serve b = serves.get(1);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> a.leader(http) || b.leader(http));

      // 12 s of watching: never two leaders (each renews every 2 s, the lease lasts 15 s)
      long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      while (System.nanoTime() < until) {
        assertThat(a.leader(http) && b.leader(http))
            .as("both serves act as leader:\n--- a\n%s\n--- b\n%s", a.output(), b.output())
            .isFalse();
        Thread.sleep(200);
      }
      Serve leader = a.leader(http) ? a : b;
      Serve standby = leader == a ? b : a;
      String holder =
          f.kube
              .client()
              .leases()
              .inNamespace(f.namespace())
              .withName("zg-leaders")
              .get()
              .getSpec()
              .getHolderIdentity();
      assertThat(holder)
          .as("the default identity is the host name plus a per-process suffix")
          .matches(".+-[0-9a-z]{5}");

      // the standby has now missed several 3 s fire times (all within Quartz's 60 s threshold)
      leader.process().destroy(); // SIGTERM: drains, releases the lease
      assertThat(leader.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> standby.leader(http));
      Instant tookOver = Instant.now();
      await().atMost(Duration.ofSeconds(30)).until(() -> firedBackups(standby).size() >= 2);
      // Every run the new leader started is the one catch-up (fired at activation) or a cron fire
      // time after it. A burst instead runs each fire time missed in the last minute, the oldest
      // first: fire times long before the takeover.
      List<Instant> fired = firedBackups(standby);
      assertThat(fired)
          .as("fire times of the new leader's runs (took over %s):\n%s", tookOver, standby.output())
          .allMatch(t -> t.isAfter(tookOver.minusSeconds(3)));
    } finally {
      for (Serve s : serves) {
        s.process().destroyForcibly();
      }
    }
  }

  private static final Pattern FIRED = Pattern.compile("backup of \\S+ for fire time (\\S+)");

  /** The fire times of the backups a serve started, from its log. */
  private static List<Instant> firedBackups(Serve s) throws IOException {
    List<Instant> out = new ArrayList<>();
    Matcher m = FIRED.matcher(s.output());
    while (m.find()) {
      out.add(Instant.parse(m.group(1)));
    }
    return out;
  }

  private Serve start(BackupFixture f, ScratchDatabase db, AwsBackend aws, String name)
      throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = tmp.resolve(name + ".yaml");
    Files.writeString(
        config,
        """
        serve:
          port: %d
          leaseName: zg-leaders
        schedules:
        - namespace: %s
          statefulSet: mysql
          backupCron: "0/3 * * * * ?"
          databases: [%s]
          database: {host: %s, port: %d, user: root}
        """
            .formatted(port, f.namespace(), db.name(), db.host(), db.port()));
    Map<String, String> env = new HashMap<>(f.env);
    env.put("ZONEGUARD_LEASE_NAMESPACE", f.namespace());
    env.put("AWS_ACCESS_KEY_ID", aws.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", aws.secretKey());
    Path log = tmp.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--plain-logs",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().remove("POD_NAME"); // as on a laptop or VM: no pod name to go by
    return new Serve(pb.start(), port, log);
  }
}
