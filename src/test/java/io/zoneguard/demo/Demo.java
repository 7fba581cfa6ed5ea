package io.zoneguard.demo;

import io.zoneguard.aws.AwsClients;
import io.zoneguard.cli.Main;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.EksWorld;
import io.zoneguard.testing.EksWorld.Member;
import io.zoneguard.testing.FakeControllers;
import io.zoneguard.testing.MockKube;
import io.zoneguard.testing.MotoServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-command demo ({@code bin/zoneguard demo}): brings up local stand-ins — moto_server for
 * EC2/S3 and the fabric8 mock API server for Kubernetes — seeds a three-zone EKS-like cluster with
 * a MySQL StatefulSet, and runs the real zoneguard commands against them. Stand-ins live here and
 * in tests only; the real commands never start or assume them.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the whole demo; returns 0 when every step did what it should. */
  public static int run(PrintWriter out, PrintWriter err) throws Exception {
    List<String> summary = new ArrayList<>();
    Path dir = Files.createTempDirectory("zoneguard-demo");
    System.setProperty("aws.accessKeyId", "demo");
    System.setProperty("aws.secretAccessKey", "demo");
    banner(out, "Starting local stand-ins: moto_server (EC2, S3) and a mock Kubernetes API");
    try (MotoServer moto = MotoServer.start();
        MockKube kube = new MockKube();
        AwsClients aws = backend(moto).clients()) {
      out.println("  moto_server     " + moto.endpoint());
      out.println("  Kubernetes API  " + kube.url());

      banner(out, "Seeding a 3-zone cluster: 6 nodes, gp3 StorageClass, StatefulSet shop/mysql");
      EksWorld world = new EksWorld(kube.client(), aws.ec2(), "shop").nodesAndStorageClass();
      List<Member> members = world.mysql("mysql", 3, 20, true);
      for (Member m : members) {
        out.printf(
            "  %s -> %s in %s (pod %s on %s)%n",
            m.pvc(), m.volumeId(), m.zone(), m.pod(), m.node());
      }

      Map<String, String> env = new HashMap<>();
      env.putAll(backend(moto).cliEnv());
      env.put("ZONEGUARD_KUBECONFIG", kube.writeKubeconfig(dir).toString());

      env.put("ZONEGUARD_BUCKET", "zoneguard-demo");
      env.put("ZONEGUARD_CLUSTER", "demo");
      aws.s3().createBucket(bk -> bk.bucket("zoneguard-demo"));
      seedShop(out);

      List<Integer> codes = new ArrayList<>();
      codes.add(step(out, err, env, summary, "status -n shop", "status", "-n", "shop"));
      codes.add(
          step(
              out,
              err,
              env,
              summary,
              "backup run (dump + 3 snapshots)",
              "backup",
              "run",
              "-n",
              "shop",
              "--statefulset",
              "mysql",
              "--db-host",
              "127.0.0.1",
              "--database",
              DEMO_DB));
      codes.add(
          step(
              out,
              err,
              env,
              summary,
              "backup list",
              "backup",
              "list",
              "-n",
              "shop",
              "--statefulset",
              "mysql"));

      banner(out, "Zone us-east-1b is lost: its nodes stop reporting (Ready=Unknown)");
      world.markZoneNotReady("us-east-1b");
      codes.add(
          step(out, err, env, summary, "status -n shop (zone b down)", "status", "-n", "shop"));
      codes.add(step(out, err, env, summary, "failover plan", failover("plan")));

      banner(
          out,
          "The mock API server runs no controllers: FakeControllers now plays the PV binder,"
              + " StatefulSet controller, scheduler and pod GC");
      try (FakeControllers controllers = new FakeControllers(kube.client(), world)) {
        codes.add(
            step(
                out,
                err,
                env,
                summary,
                "failover apply",
                failover("apply", "--to-zone", "us-east-1c", "--yes", "--wait-timeout", "2m")));
        codes.add(
            step(
                out, err, env, summary, "status -n shop (after failover)", "status", "-n", "shop"));
        banner(out, "Zone us-east-1b has recovered: its nodes are Ready again");
        world.markZoneReady("us-east-1b");
        codes.add(
            step(
                out,
                err,
                env,
                summary,
                "failback apply",
                "failback",
                "apply",
                "-n",
                "shop",
                "--statefulset",
                "mysql",
                "--yes",
                "--wait-timeout",
                "2m"));
        codes.add(step(out, err, env, summary, "failover status", failover("status")));
        banner(
            out,
            "DR drill: restore the newest set into scratch targets, verify, report RPO/RTO,"
                + " clean up");
        codes.add(
            step(
                out,
                err,
                env,
                summary,
                "drill run",
                "drill",
                "run",
                "-n",
                "shop",
                "--statefulset",
                "mysql",
                "--db-host",
                "127.0.0.1"));
      }

      banner(out, "Summary");
      summary.forEach(out::println);
      out.println();
      return codes.stream().allMatch(c -> c == 0) ? 0 : 1;
    }
  }

  private static final String DEMO_DB = "zoneguard_demo_shop";

  private static String[] failover(String... args) {
    List<String> a = new ArrayList<>(List.of("failover"));
    a.addAll(List.of(args));
    a.addAll(List.of("-n", "shop", "--statefulset", "mysql"));
    return a.toArray(String[]::new);
  }

  /** A small shop database on the local MariaDB for the demo's backup. */
  private static void seedShop(PrintWriter out) throws Exception {
    try (var c =
            java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        var s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DEMO_DB);
      s.execute("CREATE DATABASE " + DEMO_DB);
      s.execute(
          "CREATE TABLE " + DEMO_DB + ".orders (id INT PRIMARY KEY, item VARCHAR(40), qty INT)");
      s.execute(
          "INSERT INTO "
              + DEMO_DB
              + ".orders SELECT seq, CONCAT('item-', seq % 97), seq % 7 FROM "
              + DEMO_DB
              + ".seq_1_to_5000");
    }
    out.println("  seeded " + DEMO_DB + ".orders with 5000 rows on the local MariaDB");
  }

  private static int step(
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      List<String> summary,
      String label,
      String... args) {
    banner(out, "$ zoneguard " + String.join(" ", args));
    int code = Main.run(args, env, out, err);
    summary.add(
        String.format(
            "  %-40s exit %d %s", "zoneguard " + label, code, code == 0 ? "ok" : "FAILED"));
    return code;
  }

  private static void banner(PrintWriter out, String text) {
    out.println();
    out.println("==> " + text);
  }

  private static AwsBackend backend(MotoServer moto) {
    return new AwsBackend("moto", moto.endpoint(), "us-east-1", "demo", "demo");
  }
}
