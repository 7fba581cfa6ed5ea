package io.zoneguard.demo;

import io.zoneguard.aws.AwsClients;
import io.zoneguard.cli.Main;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.MotoServer;
import io.zoneguard.testing.sim.Invariants;
import io.zoneguard.testing.sim.Sim;
import io.zoneguard.testing.sim.SimWorld;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-command demo ({@code bin/zoneguard demo [--seed N]}): brings up local stand-ins —
 * moto_server for EC2/S3, the fabric8 mock API server for Kubernetes and the simulated controllers
 * of {@code testing/sim} on it — creates a MySQL StatefulSet the way a user does, and runs the real
 * zoneguard commands against them. Stand-ins live here and in tests only; the real commands never
 * start or assume them.
 */
public final class Demo {
  /** The schedule the demo runs by default: the same output on every run. */
  public static final long DEFAULT_SEED = 1;

  static final String NAMESPACE = "shop";
  static final String LOST = "us-east-1b";
  private static final String DEMO_DB = "zoneguard_demo_shop";

  /** How the demo ended: its exit code and what the simulation judged (empty: all held). */
  public record Outcome(int exit, List<String> violations) {}

  private final PrintWriter out;
  private final PrintWriter err;
  private final List<String> summary = new ArrayList<>();
  private final List<Integer> codes = new ArrayList<>();
  private Map<String, String> env;

  private Demo(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) throws Exception {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    long seed;
    try {
      seed = seed(args);
    } catch (IllegalArgumentException e) {
      err.println("demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(out, err, seed).exit());
  }

  /** {@code --seed N}, else {@code -Dseed=N}, else {@link #DEFAULT_SEED}. */
  static long seed(String[] args) {
    if (args.length == 0) {
      return Sim.seedProperty(DEFAULT_SEED);
    }
    if (args.length == 2 && args[0].equals("--seed") && args[1].matches("-?\\d{1,18}")) {
      return Long.parseLong(args[1]);
    }
    throw new IllegalArgumentException(
        "usage: zoneguard demo [--seed N] (N: the simulated controllers' schedule, a number)");
  }

  /** Runs the whole demo on the schedule of {@code seed}. */
  public static Outcome run(PrintWriter out, PrintWriter err, long seed) throws Exception {
    System.setProperty("aws.accessKeyId", "demo");
    System.setProperty("aws.secretAccessKey", "demo");
    return new Demo(out, err).cycle(seed);
  }

  private Outcome cycle(long seed) throws Exception {
    banner("Starting local stand-ins: moto_server (EC2, S3) and a mock Kubernetes API");
    try (MotoServer moto = MotoServer.start();
        Sim sim = Sim.start(backend(moto), seed);
        AwsClients aws = backend(moto).clients()) {
      out.println("  moto_server     " + moto.endpoint());
      banner(
          "The Kubernetes controllers are SIMULATED (src/test testing/sim, each following its"
              + " upstream kubernetes/kubernetes or aws-ebs-csi-driver code): StatefulSet"
              + " controller, PV binder and EBS CSI provisioner, scheduler, pvc-protection,"
              + " kubelets with attach/detach, node lifecycle (taint eviction, PodGC). They act"
              + " between any two of zoneguard's API calls on the schedule of seed "
              + seed
              + " (replay: bin/zoneguard demo --seed "
              + seed
              + ").");
      SimWorld world = seedCluster(sim);
      Map<String, String> base = new HashMap<>(backend(moto).cliEnv());
      base.put("ZONEGUARD_BUCKET", "zoneguard-demo");
      base.put("ZONEGUARD_CLUSTER", "demo");
      env = sim.cliEnv(base);
      out.println("  kubeconfig      " + env.get("ZONEGUARD_KUBECONFIG"));
      aws.s3().createBucket(bk -> bk.bucket("zoneguard-demo"));
      seedShop();
      Invariants invariants = new Invariants(sim, world, "mysql").recordOriginals(3);

      step("status -n shop", "status", "-n", NAMESPACE);
      step(
          "backup run (dump + 3 snapshots)",
          onMysql("backup", "run", "--db-host", "127.0.0.1", "--database", DEMO_DB));
      step("backup list", onMysql("backup", "list"));

      banner(
          "Zone "
              + LOST
              + " is lost: its EC2 instances stop, its nodes stop reporting (Ready=Unknown)");
      world.loseZone(LOST);
      sim.phase("failover");
      step("status -n shop (zone b down)", "status", "-n", NAMESPACE);
      step("failover plan", onMysql("failover", "plan"));
      // a provisioned initialization rate makes the restored replica's time to full speed known
      step(
          "failover apply",
          onMysql(
              "failover",
              "apply",
              "--to-zone",
              "us-east-1c",
              "--initialization-rate",
              "200",
              "--yes",
              "--wait-timeout",
              "2m"));
      step("status -n shop (after failover)", "status", "-n", NAMESPACE);

      banner("Zone " + LOST + " has recovered: its instances run, its nodes are Ready again");
      world.recoverZone(LOST);
      sim.phase("failback");
      step("failback apply", onMysql("failback", "apply", "--yes", "--wait-timeout", "2m"));
      step("failover status", onMysql("failover", "status"));
      banner(
          "DR drill: restore the newest set into scratch targets, verify, report RPO/RTO, clean up");
      sim.phase("drill");
      step("drill run", onMysql("drill", "run", "--db-host", "127.0.0.1"));

      List<String> violations = judge(sim, invariants);
      banner("Summary");
      summary.forEach(out::println);
      out.println();
      boolean ok = codes.stream().allMatch(c -> c == 0) && violations.isEmpty();
      return new Outcome(ok ? 0 : 1, violations);
    }
  }

  /** A three-zone cluster and the StatefulSet: the simulated controllers create the rest. */
  private SimWorld seedCluster(Sim sim) {
    banner("Seeding a 3-zone cluster: 6 nodes, gp3 StorageClass, StatefulSet shop/mysql");
    SimWorld world = new SimWorld(sim, NAMESPACE).nodesAndStorageClass(2);
    world.mysql("mysql", SimWorld.Shape.standard(), 20);
    out.println(
        "  created only the StatefulSet (3 replicas, volumeClaimTemplate data, gp3);"
            + " the simulated controllers create the claims, provision the volumes,"
            + " schedule and start the pods:");
    world.awaitReady("mysql", 3);
    for (int i = 0; i < 3; i++) {
      String pod = "mysql-" + i;
      out.printf(
          "  data-%s -> %s in %s (pod %s on %s)%n",
          pod,
          world.volumeOf("data-" + pod),
          world.zoneOfPod(pod),
          pod,
          world.pod(pod).getSpec().getNodeName());
    }
    return world;
  }

  /** The invariants I1–I5 over everything the simulation recorded, printed and returned. */
  private List<String> judge(Sim sim, Invariants invariants) {
    List<String> violations = new ArrayList<>(invariants.violations());
    violations.addAll(sim.splitBrains());
    sim.errors().forEach(e -> violations.add("controller error: " + e));
    sim.ungrantedKubeRequests()
        .forEach(r -> violations.add("not granted by the chart's RBAC: " + r));
    banner("Invariants I1-I5 (no replica on foreign or empty data, no data volume deleted, ...)");
    if (violations.isEmpty()) {
      out.println("  all hold (" + sim.roundsRun() + " simulated controller rounds)");
    } else {
      violations.forEach(v -> out.println("  VIOLATED: " + v));
      out.println(sim.report());
    }
    return violations;
  }

  /** A command on the StatefulSet shop/mysql. */
  private static String[] onMysql(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("-n", NAMESPACE, "--statefulset", "mysql"));
    return a.toArray(String[]::new);
  }

  /** A small shop database on the local MariaDB for the demo's backup. */
  private void seedShop() throws Exception {
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

  private void step(String label, String... args) {
    banner("$ zoneguard " + String.join(" ", args));
    int code = Main.run(args, env, out, err);
    codes.add(code);
    summary.add(
        String.format(
            "  %-40s exit %d %s", "zoneguard " + label, code, code == 0 ? "ok" : "FAILED"));
  }

  private void banner(String text) {
    out.println();
    out.println("==> " + text);
  }

  private static AwsBackend backend(MotoServer moto) {
    return new AwsBackend("moto", moto.endpoint(), "us-east-1", "demo", "demo");
  }
}
