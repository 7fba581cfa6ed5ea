package io.zoneguard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.aws.AwsClients;
import io.zoneguard.cli.Main;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.EksWorld;
import io.zoneguard.testing.FakeControllers;
import io.zoneguard.testing.FaultProxy;
import io.zoneguard.testing.MockKube;
import io.zoneguard.testing.MotoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The failover benchmark ({@code bin/bench-failover}): {@code failover apply} of one PVC and of 30
 * PVCs, in one run, against moto behind a proxy that adds {@code -Dlatency=100} ms to every EC2
 * call and keeps new volumes {@code creating} for {@code -Dcreating=3} s (EBS is not instant; moto
 * is). The fabric8 mock API server stands in for Kubernetes with {@link FakeControllers} playing
 * the binder, StatefulSet controller and scheduler. Prints wall time, EC2 calls by action, and the
 * ratios the issue asks for: time(30)/time(1) (target at most 1.5) and calls per PVC.
 */
public final class FailoverBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration latency = Duration.ofMillis(Long.getLong("latency", 100));
    Duration creating = Duration.ofSeconds(Long.getLong("creating", 3));
    seed();
    System.setProperty("aws.accessKeyId", "bench");
    System.setProperty("aws.secretAccessKey", "bench");
    int runs = Integer.getInteger("runs", 3);
    List<Result> ones = new ArrayList<>();
    List<Result> thirties = new ArrayList<>();
    try (MotoServer moto = MotoServer.start()) {
      run(moto, 1, latency, creating); // warm-up: class loading and JIT, not counted
      for (int i = 0; i < runs; i++) {
        // alternate the order so neither size always runs on a warmer JVM
        if (i % 2 == 0) {
          ones.add(run(moto, 1, latency, creating));
          thirties.add(run(moto, 30, latency, creating));
        } else {
          thirties.add(run(moto, 30, latency, creating));
          ones.add(run(moto, 1, latency, creating));
        }
      }
    }
    List<Result> results = List.of(median(ones), median(thirties));
    System.out.printf(
        "%nfailover apply, EC2 latency %d ms per call, volumes creating for %d s; median of %d"
            + " runs each (1 PVC: %s s; 30 PVCs: %s s)%n",
        latency.toMillis(),
        creating.toSeconds(),
        runs,
        ones.stream().map(r -> String.format("%.2f", r.seconds)).toList(),
        thirties.stream().map(r -> String.format("%.2f", r.seconds)).toList());
    System.out.printf("%-6s %9s %9s  %s%n", "PVCS", "SECONDS", "EC2-CALLS", "BY ACTION");
    for (Result r : results) {
      System.out.printf("%-6d %9.2f %9d  %s%n", r.pvcs, r.seconds, r.calls, r.byAction);
    }
    Result one = results.get(0);
    Result many = results.get(1);
    System.out.printf(
        "ratio time(30)/time(1) = %.2f (target <= 1.50: %s)%n",
        many.seconds / one.seconds, many.seconds / one.seconds <= 1.5 ? "met" : "NOT met");
    System.out.printf(
        "EC2 calls: %d for 1 PVC, %d for 30 PVCs = %.2f per PVC (%d fixed + %.2f per PVC)%n",
        one.calls,
        many.calls,
        many.calls / 30.0,
        one.calls - (many.calls - one.calls) / 29,
        (many.calls - one.calls) / 29.0);
    System.exit(0); // the mock servers' and SDK's pools would keep exec:java waiting
  }

  private record Result(int pvcs, double seconds, int calls, Map<String, Integer> byAction) {}

  private static Result median(List<Result> rs) {
    List<Result> sorted =
        rs.stream().sorted(java.util.Comparator.comparingDouble(Result::seconds)).toList();
    return sorted.get(sorted.size() / 2);
  }

  private static Result run(MotoServer moto, int pvcs, Duration latency, Duration creating)
      throws Exception {
    AwsBackend backend = new AwsBackend("moto", moto.endpoint(), "us-east-1", "bench", "bench");
    Path tmp = Files.createTempDirectory("zoneguard-fbench");
    String bucket = "fbench-" + pvcs;
    try (MockKube kube = new MockKube();
        AwsClients aws = backend.clients();
        FaultProxy proxy =
            new FaultProxy(moto.endpoint(), s -> false, 500, "unused")
                .withLatency(s -> s.action() != null, latency)
                .withVolumesCreatingFor(creating)) {
      aws.s3().createBucket(b -> b.bucket(bucket));
      EksWorld world = new EksWorld(kube.client(), aws.ec2(), "bench" + pvcs);
      world.nodesAndStorageClass().mysql("mysql", pvcs, 10, true, i -> "us-east-1b");
      Map<String, String> env = new HashMap<>(backend.cliEnv());
      env.put("ZONEGUARD_BUCKET", bucket);
      env.put("ZONEGUARD_CLUSTER", "bench");
      env.put("ZONEGUARD_KUBECONFIG", kube.writeKubeconfig(tmp).toString());
      env.put("ZONEGUARD_LOG_LEVEL", "WARN");
      cli(
          env,
          "backup",
          "run",
          "-n",
          world.namespace(),
          "--statefulset",
          "mysql",
          "--db-host",
          "127.0.0.1",
          "--database",
          "zg_fbench",
          "--no-checksums");
      world.markZoneNotReady("us-east-1b");
      try (FakeControllers controllers = new FakeControllers(kube.client(), world)) {
        env.put("ZONEGUARD_AWS_ENDPOINT", proxy.endpoint().toString());
        int before = proxy.seen().size();
        long t0 = System.nanoTime();
        String out =
            cli(
                env,
                "failover",
                "apply",
                "-n",
                world.namespace(),
                "--statefulset",
                "mysql",
                "--to-zone",
                "us-east-1c",
                "--yes",
                "-o",
                "json",
                "--wait-timeout",
                "5m");
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (JSON.readTree(out).get("finishedAt").isNull()) {
          throw new IllegalStateException("failover did not finish: " + out);
        }
        Map<String, Integer> byAction = new TreeMap<>();
        var calls = proxy.seen().subList(before, proxy.seen().size());
        calls.stream()
            .filter(s -> s.action() != null)
            .forEach(s -> byAction.merge(s.action(), 1, Integer::sum));
        int total = byAction.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(pvcs, seconds, total, byAction);
      }
    }
  }

  private static String cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", args) + " failed (" + code + "): " + err);
    }
    return out.toString();
  }

  private static void seed() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS zg_fbench");
      s.execute("CREATE TABLE IF NOT EXISTS zg_fbench.t (id INT PRIMARY KEY, v VARCHAR(20))");
      s.execute("REPLACE INTO zg_fbench.t VALUES (1, 'one'), (2, 'two')");
    }
  }
}
