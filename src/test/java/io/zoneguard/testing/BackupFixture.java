package io.zoneguard.testing;

import io.zoneguard.aws.AwsClients;
import io.zoneguard.testing.EksWorld.Member;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Everything a backup test needs: the mock API server with a 3-replica MySQL StatefulSet over moto
 * volumes, a fresh bucket, and the CLI environment pointing at them.
 */
public final class BackupFixture implements AutoCloseable {
  public final MockKube kube;
  public final AwsClients aws;
  public final EksWorld world;
  public final List<Member> members;
  public final String bucket;
  public final Map<String, String> env;

  public BackupFixture(AwsBackend backend, Path tmp) {
    kube = new MockKube();
    aws = backend.clients();
    world =
        new EksWorld(
            kube.client(), aws.ec2(), "shop-" + UUID.randomUUID().toString().substring(0, 6));
    world.nodesAndStorageClass();
    members = world.mysql("mysql", 3, 10, true);
    bucket = "zg-backup-" + UUID.randomUUID().toString().substring(0, 8);
    aws.s3().createBucket(b -> b.bucket(bucket));
    env = new HashMap<>(backend.cliEnv());
    env.put("ZONEGUARD_KUBECONFIG", kube.writeKubeconfig(tmp).toString());
    env.put("ZONEGUARD_BUCKET", bucket);
    env.put("ZONEGUARD_CLUSTER", "it-cluster");
  }

  public String namespace() {
    return world.namespace();
  }

  /** Sets an annotation of the fixture's StatefulSet mysql, as another zoneguard run would. */
  public void annotate(String key, String value) {
    kube.client()
        .apps()
        .statefulSets()
        .inNamespace(namespace())
        .withName("mysql")
        .edit(
            s -> {
              s.getMetadata().getAnnotations().put(key, value);
              return s;
            });
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

  /** The real CLI with {@code args} on StatefulSet {@code sts} of this fixture's namespace. */
  public Cli.Result cli(String sts, String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("-n", namespace(), "--statefulset", sts));
    return Cli.run(env, a.toArray(String[]::new));
  }

  public List<S3Object> objects() {
    return aws.s3().listObjectsV2(r -> r.bucket(bucket)).contents();
  }

  @Override
  public void close() {
    kube.close();
    aws.close();
  }
}
