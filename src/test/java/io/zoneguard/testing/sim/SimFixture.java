package io.zoneguard.testing.sim;

import io.zoneguard.aws.AwsClients;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.ScratchDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

  public SimFixture(AwsBackend backend, long seed) {
    this(backend, seed, SimWorld.Shape.standard());
  }

  /** The same with a StatefulSet {@code mysql} of another shape (scenario ITs). */
  public SimFixture(AwsBackend backend, long seed, SimWorld.Shape shape) {
    sim = Sim.start(backend, seed);
    aws = backend.clients();
    world = new SimWorld(sim).nodesAndStorageClass(2);
    world.mysql("mysql", shape, 10);
    world.awaitReady("mysql", shape.replicas());
    bucket = "zg-sim-" + UUID.randomUUID().toString().substring(0, 8);
    aws.s3().createBucket(b -> b.bucket(bucket));
    Map<String, String> base = new HashMap<>(backend.cliEnv());
    base.put("ZONEGUARD_BUCKET", bucket);
    base.put("ZONEGUARD_CLUSTER", "it-cluster");
    env = sim.cliEnv(base);
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

  @Override
  public void close() {
    sim.close();
    aws.close();
  }
}
