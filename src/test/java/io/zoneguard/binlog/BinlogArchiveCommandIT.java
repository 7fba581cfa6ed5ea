package io.zoneguard.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.aws.AwsClients;
import io.zoneguard.backup.BackupStore;
import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.BinlogServer;
import io.zoneguard.testing.Cli;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code zoneguard binlog archive} as a user runs it, against a real server and moto's S3. */
@ExtendWith(AwsExtension.class)
class BinlogArchiveCommandIT {
  private static Map<String, String> env(AwsBackend backend, String bucket) {
    Map<String, String> env = new HashMap<>(backend.cliEnv());
    env.put("ZONEGUARD_BUCKET", bucket);
    env.put("ZONEGUARD_CLUSTER", "it-cluster");
    return env;
  }

  /** {@code binlog archive -n shop --statefulset mysql} with {@code args}. */
  private static Cli.Result archive(AwsBackend backend, String bucket, String... args) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of("binlog", "archive", "-n", "shop", "--statefulset", "mysql"));
    all.addAll(List.of(args));
    return Cli.run(env(backend, bucket), all.toArray(String[]::new));
  }

  @Test
  void archivesWhileTheServerWritesUntilStopAfter(AwsBackend backend, @TempDir Path tmp)
      throws Exception {
    String bucket = "zg-binlog-" + UUID.randomUUID().toString().substring(0, 8);
    try (BinlogServer server = BinlogServer.start();
        AwsClients aws = backend.clients();
        Connection c = server.connect();
        Statement sql = c.createStatement()) {
      aws.s3().createBucket(b -> b.bucket(bucket));
      sql.execute("CREATE DATABASE shop");
      sql.execute("CREATE TABLE shop.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))");
      CompletableFuture<Cli.Result> run =
          CompletableFuture.supplyAsync(
              () ->
                  archive(
                      backend,
                      bucket,
                      "--db-host",
                      "127.0.0.1",
                      "--db-port",
                      "" + server.endpoint().port(),
                      "--interval",
                      "300ms",
                      "--stop-after",
                      "6s",
                      "--spool",
                      tmp.resolve("spool").toString(),
                      "-o",
                      "json"));
      for (int i = 0; i < 40; i++) {
        sql.execute("INSERT INTO shop.t (v) VALUES ('row " + i + "')");
        Thread.sleep(50);
      }
      sql.execute("FLUSH BINARY LOGS");
      Cli.Result r = run.get();

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err()).contains("archived binlog.000001").contains("closed");
      JsonNode report = new ObjectMapper().readTree(r.out());
      assertThat(report.get("serverId").asLong()).isEqualTo(BinlogServer.SERVER_ID);
      assertThat(report.get("segments").asInt()).isGreaterThan(1);
      assertThat(report.get("gaps")).isEmpty();

      BackupStore store = BinlogServer.store(aws, bucket);
      List<BinlogSegment.Range> first =
          store.binlogRanges("shop", "mysql", BinlogServer.SERVER_ID).stream()
              .filter(x -> x.file().equals("binlog.000001"))
              .toList();
      ByteArrayOutputStream joined = new ByteArrayOutputStream();
      for (BinlogSegment.Range x : first) {
        assertThat(x.from()).isEqualTo(joined.size());
        joined.write(store.binlogData("shop", "mysql", x));
      }
      assertThat(first.get(first.size() - 1).closed()).isTrue();
      assertThat(joined.toByteArray())
          .isEqualTo(Files.readAllBytes(server.binlogFile("binlog.000001")));
    }
  }

  @Test
  void aServerWithoutBinaryLoggingIsRefusedInOneLine(AwsBackend backend) {
    // the machine's shared MariaDB runs without --log-bin
    Cli.Result r = archive(backend, "zg-unused", "--db-host", "127.0.0.1", "--stop-after", "1s");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err().strip())
        .isEqualTo(
            "zoneguard: binary logging is off on the server of shop/mysql: nothing to archive"
                + " (enable log_bin and set server_id in the server's configuration)");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void badFlagsAreUsageErrors(AwsBackend backend) {
    Cli.Result r = archive(backend, "zg-unused", "--db-host", "127.0.0.1", "--interval", "0s");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("zoneguard: --interval must be longer than 0 (e.g. 10s)");
  }
}
