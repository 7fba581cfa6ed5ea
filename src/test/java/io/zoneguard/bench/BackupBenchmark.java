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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup benchmark ({@code bin/bench-backup}): on one database (sbtest-like, 1 M rows, about
 * 200 MB of SQL) and one moto_server, in one run and rotating the order each round, it times
 *
 * <ol>
 *   <li>floor: {@code mysqldump | zstd -1 > /dev/null}
 *   <li>shell: {@code mysqldump | zstd -1 | boto3 multipart upload} to the same moto (design 5a)
 *   <li>CLI cold: {@code backup run --no-checksums} in its own JVM with {@code -Xmx256m} (the fat
 *       jar), which also snapshots three PVCs and writes the manifest
 *   <li>CLI cold with CDS: the same with the class data sharing archive bin/zoneguard uses
 *   <li>serve warm: a scheduled backup (the cron path, CHECKSUM TABLE included) inside one {@code
 *       serve} JVM ({@code -Xmx256m}) that has already taken a warm-up backup; its duration is read
 *       from serve's own {@code zoneguard_backup_duration_seconds} metric
 * </ol>
 *
 * and prints the medians, zoneguard's own dump phase (the manifest's {@code dumpSeconds}), the
 * ratios to the shell pipeline and the peak heap of both JVMs. {@code -Druns=N} rounds (default 5);
 * {@code -Dzg.jvmArgs="..."} adds JVM options to both zoneguard JVMs (JFR, JIT flags); {@code
 * -Dzg.jar=PATH} times another build of zoneguard (a before/after comparison).
 */
public final class BackupBenchmark {
  private static final String DB = "zg_bench";
  private static final long ROWS = 1 << 20;

  /** serve's cron fires every this many seconds; the other pipelines run between its backups. */
  private static final int PERIOD = 45;

  private BackupBenchmark() {}

  /** One pipeline's samples. */
  private static final class Series {
    final String label;
    final List<Double> seconds = new ArrayList<>();

    Series(String label) {
      this.label = label;
    }

    double median() {
      return BackupBenchmark.median(seconds);
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = Integer.getInteger("runs", 5);
    Path jar = Path.of(System.getProperty("zg.jar", "target/zoneguard.jar"));
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
      env.put("ZONEGUARD_LEASE_NAMESPACE", "bench");
      env.put("POD_NAME", "bench");
      env.put("AWS_ACCESS_KEY_ID", "bench");
      env.put("AWS_SECRET_ACCESS_KEY", "bench");
      env.put("ZONEGUARD_LOG_LEVEL", Boolean.getBoolean("verbose") ? "INFO" : "WARN");
      List<String> jvm = new ArrayList<>(List.of("java", "-Xmx256m"));
      String extra = System.getProperty("zg.jvmArgs", "").strip();
      if (!extra.isEmpty()) {
        jvm.addAll(List.of(extra.split("\\s+")));
      }
      jvm.addAll(
          List.of(
              "-cp",
              jar.toAbsolutePath() + ":" + peakHeapJar().toAbsolutePath(),
              PeakHeap.class.getName()));
      List<String> cliCmd = new ArrayList<>(jvm);
      cliCmd.addAll(
          List.of(
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
              "json"));

      // the same run with the class data sharing archive bin/zoneguard keeps next to the jar,
      // written by one uncounted run first
      Path jsa = Path.of("target/bench-cli.jsa").toAbsolutePath();
      List<String> cdsTrain = withCds(cliCmd, "-XX:ArchiveClassesAtExit=" + jsa);
      List<String> cdsCmd = withCds(cliCmd, "-XX:SharedArchiveFile=" + jsa);

      long sqlBytes = sqlBytes(dump);
      Series floor = new Series("mysqldump | zstd -1 > /dev/null");
      Series shell = new Series("mysqldump | zstd -1 | boto3 multipart -> S3");
      Series cli = new Series("zoneguard backup run, CLI cold (-Xmx256m)");
      Series warm = new Series("zoneguard serve warm, cron backup");
      Series cliDump = new Series("  its dump phase (CLI)");
      Series cliStart = new Series("  its JVM start and exit (wall - totalSeconds)");
      Series cds = new Series("zoneguard backup run, CLI cold with CDS");
      Series cdsStart = new Series("  its JVM start and exit (wall - totalSeconds)");
      Series cdsDump = new Series("  its dump phase (CLI with CDS)");
      Series warmDump = new Series("  its dump phase (serve)");
      long[] cliHeap = new long[2]; // without and with CDS
      try (ServeProcess serve = ServeProcess.start(jvm, env, tmp, DB, PERIOD)) {
        System.out.println("serve: waiting for its warm-up backup ...");
        serve.awaitBackup(Duration.ofSeconds(PERIOD * 3L));
        Files.deleteIfExists(jsa);
        serve.between(() -> run(cdsTrain, env));
        for (int i = 0; i < runs; i++) {
          String key = "shell-" + i + ".sql.zst";
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
                      + " bench "
                      + key);
          // rotate the order so no pipeline always runs first, or always right after serve's
          List<Runnable> order = new ArrayList<>();
          order.add(() -> floor.seconds.add(serve.between(() -> time(floorCmd, System.getenv()))));
          order.add(() -> shell.seconds.add(serve.between(() -> time(shellCmd, System.getenv()))));
          order.add(
              () -> {
                Run r = serve.between(() -> run(cliCmd, env));
                cli.seconds.add(r.seconds);
                cliHeap[0] = Math.max(cliHeap[0], r.peakHeap);
                cliDump.seconds.add(r.dumpSeconds);
                cliStart.seconds.add(r.seconds - r.totalSeconds);
              });
          order.add(
              () -> {
                Run r = serve.between(() -> run(cdsCmd, env));
                cds.seconds.add(r.seconds);
                cdsStart.seconds.add(r.seconds - r.totalSeconds);
                cdsDump.seconds.add(r.dumpSeconds);
                cliHeap[1] = Math.max(cliHeap[1], r.peakHeap);
              });
          order.add(
              () -> {
                warm.seconds.add(serve.awaitBackup(Duration.ofSeconds(PERIOD * 2L)));
                warmDump.seconds.add(newestDumpSeconds(aws));
              });
          java.util.Collections.rotate(order, i);
          order.forEach(Runnable::run);
          System.out.printf(
              "run %d: floor %.2f s, shell+S3 %.2f s, CLI cold %.2f s (dump %.2f s),"
                  + " serve warm %.2f s (dump %.2f s)%n",
              i + 1,
              last(floor),
              last(shell),
              last(cli),
              last(cliDump),
              last(warm),
              last(warmDump));
        }
        long serveHeap = serve.stop();
        report(
            runs,
            sqlBytes,
            List.of(floor, shell, cli, warm, cliDump, warmDump, cliStart, cds, cdsStart, cdsDump),
            cliHeap,
            serveHeap);
      }
    }
  }

  /** {@code all}: floor, shell, CLI cold, serve warm, the two dump phases, then any others. */
  private static void report(
      int runs, long sqlBytes, List<Series> all, long[] cliHeap, long serveHeap) {
    Series floor = all.get(0);
    Series shell = all.get(1);
    Series cli = all.get(2);
    Series warm = all.get(3);
    Series cliDump = all.get(4);
    Series warmDump = all.get(5);
    double mb = sqlBytes / 1e6;
    double s = shell.median();
    System.out.println();
    System.out.printf(
        "data: %s, %d rows, %.0f MB of SQL; %d runs in rotating order, medians%n",
        DB, ROWS, mb, runs);
    for (Series x : all) {
      System.out.printf(
          "  %-44s %6.2f s  %6.1f MB/s   (%s)%n",
          x.label,
          x.median(),
          mb / x.median(),
          x.seconds.stream().map(d -> String.format("%.2f", d)).toList());
    }
    System.out.printf(
        "  peak heap: CLI %.1f MiB, CLI with CDS %.1f MiB, serve %.1f MiB (limit 256)%n",
        cliHeap[0] / 1048576.0, cliHeap[1] / 1048576.0, serveHeap / 1048576.0);
    // medians of each round's ratio too: a round's pipelines ran within a minute of each other,
    // so load from other work on the machine shifts both sides of its ratio alike
    System.out.println("ratios to shell+S3 (of the medians; median of each round's ratio):");
    ratio("dump phase, CLI", cliDump, shell, "goal <= 1.10");
    ratio("dump phase, serve", warmDump, shell, "goal <= 1.10");
    ratio("serve warm", warm, shell, "goal <= 1.25");
    ratio("CLI cold", cli, shell, "");
    ratio("CLI cold with CDS", all.get(7), shell, "");
    ratio("floor", floor, shell, "");
  }

  private static void ratio(String label, Series x, Series shell, String goal) {
    List<Double> perRound = new ArrayList<>();
    for (int i = 0; i < x.seconds.size(); i++) {
      perRound.add(x.seconds.get(i) / shell.seconds.get(i));
    }
    System.out.printf(
        "  %-20s %5.2f  %5.2f  %s%n", label, x.median() / shell.median(), median(perRound), goal);
  }

  private static double last(Series s) {
    return s.seconds.get(s.seconds.size() - 1);
  }

  /** The {@code dumpSeconds} of the newest set's manifest (set ids sort by their start time). */
  private static double newestDumpSeconds(AwsClients aws) {
    String newest =
        aws.s3().listObjectsV2Paginator(r -> r.bucket("bench")).contents().stream()
            .map(o -> o.key())
            .filter(k -> k.endsWith("/manifest.json"))
            .max(String::compareTo)
            .orElseThrow();
    String manifest = aws.s3().getObjectAsBytes(r -> r.bucket("bench").key(newest)).asUtf8String();
    return timing(manifest, "dumpSeconds");
  }

  /** One of the manifest's {@code timings}, in seconds. */
  private static double timing(String json, String name) {
    Matcher d = Pattern.compile("\"" + name + "\"\\s*:\\s*([0-9.]+)").matcher(json);
    if (!d.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return Double.parseDouble(d.group(1));
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  /** A finished zoneguard CLI run: wall time, the manifest's dump phase, peak heap. */
  private record Run(double seconds, double dumpSeconds, double totalSeconds, long peakHeap) {}

  private static double time(List<String> cmd, Map<String, String> env) {
    return exec(cmd, env, false).seconds;
  }

  private static Run run(List<String> cmd, Map<String, String> env) {
    return exec(cmd, env, true);
  }

  private static Run exec(List<String> cmd, Map<String, String> env, boolean zoneguard) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      if (!zoneguard) {
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      }
      pb.environment().clear();
      pb.environment().putAll(env);
      long t0 = System.nanoTime();
      Process p = pb.start();
      var out = new java.util.concurrent.CompletableFuture<String>();
      if (zoneguard) {
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
      if (!zoneguard) {
        return new Run(secs, 0, 0, 0);
      }
      if (Boolean.getBoolean("verbose")) {
        System.out.print(err);
      }
      String json = out.join();
      return new Run(
          secs, timing(json, "dumpSeconds"), timing(json, "totalSeconds"), peakHeap(err));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code cli} with a CDS option, and its logging as bin/zoneguard sets it. */
  private static List<String> withCds(List<String> cli, String option) {
    List<String> cmd = new ArrayList<>(cli);
    cmd.addAll(1, List.of("-Xlog:disable", "-Xlog:all=warning,cds*=off:stderr", option));
    return cmd;
  }

  /**
   * {@link PeakHeap} in a jar of its own: a class path of jars only, as in the image, lets a run
   * use or write a CDS archive ({@code -Dzg.jvmArgs=-XX:SharedArchiveFile=...}).
   */
  private static Path peakHeapJar() throws IOException {
    Path jar = Path.of("target/bench-peakheap.jar");
    String name = PeakHeap.class.getName().replace('.', '/') + ".class";
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.jar.JarEntry(name));
      out.write(Files.readAllBytes(Path.of("target/test-classes", name)));
      out.closeEntry();
    }
    return jar;
  }

  static long peakHeap(String stderr) {
    Matcher m = Pattern.compile("PEAK_HEAP_BYTES=(\\d+)").matcher(stderr);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
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
