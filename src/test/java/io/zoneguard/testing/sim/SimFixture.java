package io.zoneguard.testing.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.aws.AwsClients;
import io.zoneguard.kube.KubeClients;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.ScratchDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A simulated cluster with a Ready 3-replica MySQL StatefulSet {@code mysql} (one replica per zone,
 * volumes provisioned by the simulated EBS driver), a fresh bucket, and the CLI environment behind
 * the simulation's gates: what the backup, drill and failover ITs start from.
 */
public final class SimFixture implements AutoCloseable {
  public final Sim sim;
  public final SimWorld world;
  public final AwsClients aws;
  public final String bucket;
  public final Map<String, String> env;

  /** The invariants of StatefulSet mysql, its replicas' original volumes recorded when Ready. */
  public final Invariants invariants;

  /**
   * zoneguard's waits re-check every 200 ms instead of 2 s (time in the simulation passes in
   * rounds, one batch per call, so a shorter poll only saves wall time), and a run that does not
   * converge fails within 120 s, not after the 15 min default.
   */
  public static final List<String> WAIT =
      List.of("--wait-timeout", "120s", "--poll-interval", "200ms");

  private final AwsBackend backend;

  public SimFixture(AwsBackend backend, long seed) {
    this(backend, seed, SimWorld.Shape.standard());
  }

  /** The same with a StatefulSet {@code mysql} of another shape (scenario ITs). */
  public SimFixture(AwsBackend backend, long seed, SimWorld.Shape shape) {
    this.backend = backend;
    sim = Sim.start(backend, seed);
    aws = backend.clients();
    world = new SimWorld(sim).nodesAndStorageClass(2);
    world.mysql("mysql", shape, 10);
    world.awaitReady("mysql", shape.replicas());
    invariants = new Invariants(sim, world, "mysql").recordOriginals(shape.replicas());
    bucket = "zg-sim-" + UUID.randomUUID().toString().substring(0, 8);
    aws.s3().createBucket(b -> b.bucket(bucket));
    Map<String, String> base = new HashMap<>(backend.cliEnv());
    base.put("ZONEGUARD_BUCKET", bucket);
    base.put("ZONEGUARD_CLUSTER", "it-cluster");
    env = sim.cliEnv(base);
  }

  /**
   * A fixture of {@code shape} backed up from {@code db}, then {@code loss} (e.g. {@code f ->
   * f.loseZone("us-east-1b")}): where the failover and fencing ITs start. Failures carry the seed
   * and the event log.
   */
  public static SimFixture backedUpThen(
      AwsBackend backend,
      long seed,
      SimWorld.Shape shape,
      ScratchDatabase db,
      java.util.function.Consumer<SimFixture> loss) {
    SimFixture f = new SimFixture(backend, seed, shape);
    try {
      f.sim.run(
          () -> {
            f.backUp(db, "--no-checksums");
            loss.accept(f);
          });
      return f;
    } catch (RuntimeException | Error e) {
      f.close();
      throw e;
    }
  }

  public String namespace() {
    return world.namespace;
  }

  /** The EBS volume replica {@code ordinal}'s claim is bound to. */
  public String volumeOf(int ordinal) {
    return world.volumeOf("data-mysql-" + ordinal);
  }

  /** The PV replica {@code ordinal}'s claim is bound to. */
  public String pvOf(int ordinal) {
    return world.claim("data-mysql-" + ordinal).getSpec().getVolumeName();
  }

  /** {@code backup run} of StatefulSet mysql from the scratch database, plus extra arguments. */
  public String[] backupArgs(ScratchDatabase db, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "backup",
                "run",
                "-n",
                namespace(),
                "--statefulset",
                "mysql",
                "--db-host",
                db.host(),
                "--db-port",
                "" + db.port(),
                "--database",
                db.name()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /**
   * {@code backup run} of StatefulSet mysql, which must succeed. The backup is not under test and
   * the world is steady: no controller rounds between its calls.
   */
  public Cli.Result backUp(ScratchDatabase db, String... extra) {
    int rounds = sim.maxRoundsPerCall();
    sim.maxRoundsPerCall(0);
    try {
      Cli.Result backup = Cli.run(env, backupArgs(db, extra));
      assertThat(backup.exit()).as(backup.err()).isZero();
      return backup;
    } finally {
      sim.maxRoundsPerCall(rounds);
    }
  }

  /** {@code drill run} of StatefulSet mysql into the scratch server {@code scratch}. */
  public Cli.Result drill(ScratchDatabase scratch, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of("drill", "run", "--db-host", scratch.host(), "--db-port", "" + scratch.port()));
    a.addAll(List.of(extra));
    return cli("mysql", a.toArray(String[]::new));
  }

  /**
   * {@code drill cleanup --id <id>}, dropping its databases on the scratch server {@code scratch}.
   */
  public Cli.Result drillCleanup(ScratchDatabase scratch, String id) {
    return Cli.run(
        env,
        "drill",
        "cleanup",
        "--id",
        id,
        "--db-host",
        scratch.host(),
        "--db-port",
        "" + scratch.port());
  }

  /** The CLI with {@code -n <namespace> --statefulset <sts>} appended. */
  public Cli.Result cli(String sts, String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("-n", namespace(), "--statefulset", sts));
    return Cli.run(env, a.toArray(String[]::new));
  }

  /** {@link #cli} with {@link #WAIT} appended: for {@code failover|failback apply}. */
  public Cli.Result cliWaiting(String sts, String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(WAIT);
    return cli(sts, a.toArray(String[]::new));
  }

  /** AZ power loss of {@code zone}, run until every node of it is NotReady; phase failover. */
  public void loseZone(String zone) {
    world.loseZone(zone);
    untilNotReady(zone);
  }

  /** A network partition of {@code zone}, until every node of it is NotReady; phase failover. */
  public void partitionZone(String zone) {
    world.partitionZone(zone);
    untilNotReady(zone);
  }

  /** The nodes of {@code zone} hang (EC2: running), until every one is NotReady; phase failover. */
  public void hangZone(String zone) {
    world.hangZone(zone);
    untilNotReady(zone);
  }

  private void untilNotReady(String zone) {
    sim.settle(200, () -> !world.zoneReady(zone, false), "zone " + zone + " NotReady");
    sim.phase("failover");
  }

  /** {@code zone} is back, run until every node of it is Ready; phase failback. */
  public void recoverZone(String zone) {
    world.recoverZone(zone);
    sim.settle(200, () -> world.zoneReady(zone, true), "zone " + zone + " Ready again");
    sim.phase("failback");
  }

  /** The ordinal of the replica of mysql whose pod runs in {@code zone} now (the scheduler's). */
  public int ordinalIn(String zone) {
    for (var p : world.pods("mysql")) {
      if (p.getSpec().getNodeName() != null
          && zone.equals(world.zoneOfNode(p.getSpec().getNodeName()))) {
        String name = p.getMetadata().getName();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
      }
    }
    throw new AssertionError("no replica of mysql runs in " + zone + sim.report());
  }

  public StatefulSet statefulSet(String name) {
    return sim.kube.apps().statefulSets().inNamespace(namespace()).withName(name).get();
  }

  /**
   * A Kubernetes client as zoneguard's own (its user agent, audited against the chart's RBAC),
   * behind the simulation's gate: for driving zoneguard's services in-process. Close it.
   */
  public KubernetesClient zoneguardKube() {
    return KubeClients.create(Optional.of(sim.kubeconfig()), Optional.empty());
  }

  /** AWS clients behind the simulation's gate, for zoneguard's services in-process. Close them. */
  public AwsClients zoneguardAws() {
    return new AwsBackend(
            backend.kind(),
            sim.awsGateEndpoint(),
            backend.region(),
            backend.accessKey(),
            backend.secretKey())
        .clients();
  }

  /**
   * What a refused command must leave untouched: claims (UID, volume, finalizers), PVs (reclaim
   * policy), zoneguard's taints and cordons (the node lifecycle controller's unreachable taints
   * left out), StatefulSet {@code sts}'s template and annotations, the EBS volumes and the
   * instances' states. Controllers may act meanwhile: pods are left out.
   */
  public String fingerprint(String sts) {
    var k = sim.kube;
    StringBuilder b = new StringBuilder();
    for (PersistentVolumeClaim c :
        k.persistentVolumeClaims().inNamespace(namespace()).list().getItems()) {
      b.append("pvc ")
          .append(c.getMetadata().getName())
          .append(' ')
          .append(c.getMetadata().getUid())
          .append(' ')
          .append(c.getSpec().getVolumeName())
          .append(' ')
          .append(c.getMetadata().getFinalizers())
          .append('\n');
    }
    for (var pv : k.persistentVolumes().list().getItems()) {
      b.append("pv ")
          .append(pv.getMetadata().getName())
          .append(' ')
          .append(pv.getSpec().getPersistentVolumeReclaimPolicy())
          .append('\n');
    }
    for (var n : k.nodes().list().getItems()) {
      b.append("node ")
          .append(n.getMetadata().getName())
          .append(" unschedulable=")
          .append(n.getSpec().getUnschedulable())
          .append(" taints=")
          .append(
              n.getSpec().getTaints() == null
                  ? "[]"
                  : n.getSpec().getTaints().stream()
                      .map(t -> t.getKey())
                      .filter(key -> !key.startsWith(K.UNREACHABLE))
                      .sorted()
                      .collect(Collectors.joining(",")))
          .append('\n');
    }
    StatefulSet s = statefulSet(sts);
    b.append("sts ")
        .append(s.getMetadata().getAnnotations())
        .append(' ')
        .append(s.getSpec().getTemplate().getSpec().getAffinity())
        .append(' ')
        .append(s.getSpec().getTemplate().getSpec().getNodeSelector())
        .append('\n');
    aws.ec2().describeVolumes().volumes().stream()
        .map(v -> "vol " + v.volumeId())
        .sorted()
        .forEach(l -> b.append(l).append('\n'));
    aws.ec2().describeInstances().reservations().stream()
        .flatMap(r -> r.instances().stream())
        .map(i -> "instance " + i.instanceId() + " " + i.state().nameAsString())
        .sorted()
        .forEach(l -> b.append(l).append('\n'));
    return b.toString();
  }

  @Override
  public void close() {
    sim.close();
    aws.close();
  }
}
