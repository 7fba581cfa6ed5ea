package io.zoneguard.bench;

import io.zoneguard.aws.AwsClients;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.EksWorld;
import io.zoneguard.testing.MockKube;
import io.zoneguard.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup benchmark ({@code bin/bench-backup}): on one database (sbtest-like, 1 M rows, about
 * 200 MB of SQL) and one moto_server, in one run and alternating order, it times
 *
 * <ol>
 *   <li>floor: {@code mysqldump | zstd -1 > /dev/null}
 *   <li>shell: {@code mysqldump | zstd -1 | boto3 multipart upload} to the same moto (design 5a)
 *   <li>zoneguard: {@code backup run} in its own JVM with {@code -Xmx256m} (the fat jar), which
 *       also snapshots three PVCs and writes the manifest
 * </ol>
 *
 * and prints the medians, MB/s of SQL, zoneguard's peak heap and the ratios.
 */
public final class BackupBenchmark {
  private static final String DB = "zg_bench";
  private static final long ROWS = 1 << 20;

  private BackupBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.getInteger("runs", 3);
    Path jar = Path.of("target/zoneguard.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build the jar first: mvn -DskipTests package");
    }
    seed();
    System.setProperty("aws.accessKeyId", "bench");
    System.setProperty("aws.secretAccessKey", "bench");
    Path tmp = Files.createTempDirectory("zoneguard-bench");
    try (MotoServer moto = MotoServer.start();
        MockKube kube = new MockKube();
        AwsClients aws = backend(moto).clients()) {
      aws.s3().createBucket(b -> b.bucket("bench"));
      new EksWorld(kube.client(), aws.ec2(), "bench")
          .nodesAndStorageClass()
          .mysql("mysql", 3, 20, true);

      String dump =
          "mysqldump --protocol=TCP -h127.0.0.1 -uroot --single-transaction --quick --routines"
              + " --triggers --events --hex-blob --default-character-set=utf8mb4 --databases "
              + DB;
      List<String> floorCmd =
          List.of("bash", "-c", "set -o pipefail; " + dump + " | zstd -1 -q > /dev/null");
      Path py = Path.of("bench/s3_multipart_upload.py").toAbsolutePath();
      Map<String, String> env = new HashMap<>(System.getenv());
      env.putAll(backend(moto).cliEnv());
      env.put("ZONEGUARD_BUCKET", "bench");
      env.put("ZONEGUARD_KUBECONFIG", kube.writeKubeconfig(tmp).toString());
      env.put("AWS_ACCESS_KEY_ID", "bench");
      env.put("AWS_SECRET_ACCESS_KEY", "bench");
      env.put("ZONEGUARD_LOG_LEVEL", Boolean.getBoolean("verbose") ? "INFO" : "WARN");
      String cp = jar.toAbsolutePath() + ":" + Path.of("target/test-classes").toAbsolutePath();
      List<String> zoneguardCmd =
          List.of(
              "java",
              "-Xmx256m",
              "-cp",
              cp,
              PeakHeap.class.getName(),
              "backup",
              "run",
              "-n",
              "bench",
              "--statefulset",
              "mysql",
              "--db-host",
              "127.0.0.1",
              "--database",
              DB,
              "--no-checksums",
              "-o",
              "json");

      long sqlBytes = sqlBytes(dump);
      List<Double> floor = new ArrayList<>();
      List<Double> shell = new ArrayList<>();
      List<Double> zg = new ArrayList<>();
      long peakHeap = 0;
      for (int i = 0; i < runs; i++) {
        List<String> shellCmd =
            List.of(
                "bash",
                "-c",
                "set -o pipefail; "
                    + dump
                    + " | zstd -1 -q | python3 "
                    + py
                    + " "
                    + moto.endpoint()
                    + " bench shell-"
                    + i
                    + ".sql.zst");
        // rotate the order so no pipeline always runs first on a cold cache
        List<Runnable> order = new ArrayList<>();
        int run = i;
        order.add(() -> floor.add(time(floorCmd, System.getenv(), null)));
        order.add(() -> shell.add(time(shellCmd, System.getenv(), null)));
        long[] heap = new long[1];
        order.add(() -> zg.add(time(zoneguardCmd, env, heap)));
        java.util.Collections.rotate(order, run);
        order.forEach(Runnable::run);
        peakHeap = Math.max(peakHeap, heap[0]);
        System.out.printf(
            "run %d: floor %.2f s, shell+S3 %.2f s, zoneguard %.2f s%n",
            i + 1, floor.get(i), shell.get(i), zg.get(i));
      }
      double f = median(floor);
      double s = median(shell);
      double z = median(zg);
      double mb = sqlBytes / 1e6;
      System.out.println();
      System.out.printf(
          "data: %s, %d rows, %.0f MB of SQL; %d runs, medians%n", DB, ROWS, mb, runs);
      System.out.printf(
          "  mysqldump | zstd -1 > /dev/null            %6.2f s  %6.1f MB/s%n", f, mb / f);
      System.out.printf(
          "  mysqldump | zstd -1 | boto3 multipart -> S3 %6.2f s  %6.1f MB/s%n", s, mb / s);
      System.out.printf(
          "  zoneguard backup run (-Xmx256m)            %6.2f s  %6.1f MB/s%n", z, mb / z);
      System.out.printf(
          "  zoneguard peak heap                        %6.1f MiB (limit 256)%n",
          peakHeap / 1048576.0);
      System.out.printf(
          "ratio zoneguard / shell pipeline to S3 time:  %.2f (goal <= 1.10)%n", z / s);
      System.out.printf(
          "ratio zoneguard / floor throughput:           %.2f (goal >= 0.90)%n", f / z);
    }
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a[a.length / 2];
  }

  private static double time(List<String> cmd, Map<String, String> env, long[] heap) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      if (heap == null) {
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      }
      pb.environment().clear();
      pb.environment().putAll(env);
      long t0 = System.nanoTime();
      Process p = pb.start();
      var out = new java.util.concurrent.CompletableFuture<String>();
      if (heap != null) {
        new Thread(
                () -> {
                  try {
                    out.complete(
                        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                  } catch (IOException e) {
                    out.complete("");
                  }
                })
            .start();
      }
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      double secs = (System.nanoTime() - t0) / 1e9;
      if (code != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed (" + code + "): " + err);
      }
      if (heap != null) {
        if (Boolean.getBoolean("verbose")) {
          System.out.print(err);
        }
        Matcher m = Pattern.compile("PEAK_HEAP_BYTES=(\\d+)").matcher(err);
        heap[0] = m.find() ? Long.parseLong(m.group(1)) : -1;
        Matcher d = Pattern.compile("\"dumpSeconds\" : ([0-9.]+)").matcher(out.join());
        if (d.find()) {
          System.out.printf("  (zoneguard's own dump phase: %s s)%n", d.group(1));
        }
      }
      return secs;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long sqlBytes(String dump) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", dump + " | wc -c").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return Long.parseLong(out);
  }

  /** sbtest1-like table of 2^20 rows (id, k, c CHAR(120), pad CHAR(60)), made once and reused. */
  private static void seed() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + DB);
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + DB
              + ".sbtest1 (id INT AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL,"
              + " c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL, KEY k_1 (k)) ENGINE=InnoDB");
      try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + DB + ".sbtest1")) {
        r.next();
        if (r.getLong(1) == ROWS) {
          return;
        }
      }
      System.out.println("seeding " + DB + ".sbtest1 with " + ROWS + " rows (once) ...");
      s.execute("TRUNCATE " + DB + ".sbtest1");
      s.execute(
          "INSERT INTO "
              + DB
              + ".sbtest1 (k, c, pad) VALUES (1, REPEAT('7', 120), REPEAT('3', 60))");
      while (true) {
        try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + DB + ".sbtest1")) {
          r.next();
          if (r.getLong(1) >= ROWS) {
            break;
          }
        }
        s.execute(
            "INSERT INTO "
                + DB
                + ".sbtest1 (k, c, pad) SELECT FLOOR(RAND()*1000000),"
                + " CONCAT(MD5(RAND()), MD5(RAND()), MD5(RAND()), LEFT(MD5(RAND()), 24)),"
                + " CONCAT(MD5(RAND()), LEFT(MD5(RAND()), 28)) FROM "
                + DB
                + ".sbtest1");
      }
    }
  }

  private static AwsBackend backend(MotoServer moto) {
    return new AwsBackend("moto", moto.endpoint(), "us-east-1", "bench", "bench");
  }
}
