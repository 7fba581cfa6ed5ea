package io.zoneguard.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.aws.Ec2BlockStorage;
import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.kube.Fabric8Namespaces;
import io.zoneguard.kube.Fabric8PersistentVolumes;
import io.zoneguard.mysql.MariaDbAdmin;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.ClusterState;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import io.zoneguard.testing.sim.Invariants;
import io.zoneguard.testing.sim.ReportOnFailure;
import io.zoneguard.testing.sim.Sim;
import io.zoneguard.testing.sim.SimFixture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code drill run} and {@code drill cleanup} through the real CLI against moto (volumes from the
 * backup's snapshots), the local MariaDB (the scratch server: scratch databases beside the seeded
 * one) and the simulated controllers of {@code testing/sim} ({@link SimFixture}): they bind the
 * drill's claims, schedule its mount pods and run them on the nodes of the restored volumes' zones
 * (attaching the volumes in EC2), acting between any two of zoneguard's calls. {@code -Dseed=N}
 * replays another schedule; a failure prints the seed and the simulation's event log.
 */
@ExtendWith({AwsExtension.class, MariaDbExtension.class})
class DrillIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SimFixture f;
  private ScratchDatabase db;
  private KubernetesClient kube;
  private Invariants invariants;
  private JsonNode manifest;

  @RegisterExtension
  final ReportOnFailure report = new ReportOnFailure(() -> f == null ? null : f.sim);

  @BeforeEach
  void backUp(AwsBackend aws, ScratchDatabase database) throws Exception {
    f = new SimFixture(aws, Sim.seedProperty(3));
    db = database;
    kube = f.sim.kube();
    invariants = new Invariants(f.sim, f.world, "mysql").recordOriginals(3);
    SeedData.seed(db, 1);
    Cli.Result backup = Cli.run(f.env, f.backupArgs(db, "-o", "json"));
    assertThat(backup.exit()).as(backup.err()).isZero();
    manifest = JSON.readTree(backup.out());
    f.sim.phase("drill");
    mountPods =
        kube.pods()
            .inAnyNamespace()
            .withLabel("zoneguard.io/role", "drill-mount")
            .watch(
                new io.fabric8.kubernetes.client.Watcher<>() {
                  @Override
                  public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Pod p) {
                    if (action == Action.ADDED) {
                      mountPodsSeen.add(
                          p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
                      mountImagesSeen.add(p.getSpec().getContainers().get(0).getImage());
                    }
                  }

                  @Override
                  public void onClose(io.fabric8.kubernetes.client.WatcherException e) {}
                });
  }

  /** The simulation's judgement after each test: nothing a drill does may break I1-I5. */
  @AfterEach
  void stop() {
    if (f == null) {
      return; // the fixture did not start: nothing to judge or close
    }
    try {
      if (mountPods != null) {
        mountPods.close();
      }
      f.sim.run(
          () -> {
            assertThat(invariants.violations()).as("I1-I5").isEmpty();
            assertThat(f.sim.splitBrains()).as("split brain").isEmpty();
            assertThat(f.sim.errors()).as("controller errors").isEmpty();
            assertThat(f.sim.ungrantedKubeRequests()).as("ungranted requests").isEmpty();
          });
    } finally {
      f.close();
    }
  }

  /** The drill mount pods created during the test, as namespace/name, and their images. */
  private final List<String> mountPodsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final List<String> mountImagesSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
  private io.fabric8.kubernetes.client.Watch mountPods;

  private Cli.Result drill(String... extra) {
    return f.drill(db, extra);
  }

  @Test
  void drillRestoresVerifiesReportsAndLeavesProductionAndNothingElseBehind() throws Exception {
    String before = ClusterState.of(kube, f.aws.ec2(), f.namespace());
    List<String> prodTables = tableSums(db.name());

    Cli.Result r = drill("-o", "json");

    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    JsonNode rep = JSON.readTree(r.out());
    String id = rep.get("drillId").asText();
    assertThat(rep.get("passed").asBoolean()).isTrue();
    assertThat(rep.get("setId").asText()).isEqualTo(manifest.get("setId").asText());
    assertThat(rep.get("rpoSeconds").asLong()).isBetween(0L, 120L);
    assertThat(rep.get("rtoSeconds").asDouble()).isPositive();
    assertThat(rep.get("volumes")).hasSize(3);
    for (JsonNode v : rep.get("volumes")) {
      assertThat(v.get("volumeState").asText()).isEqualTo("available");
      assertThat(v.get("claimPhase").asText()).isEqualTo("Bound");
      assertThat(v.get("mountPhase").asText()).isEqualTo("Running");
    }
    assertThat(r.err()).contains("data-mysql-0: mounted by zg-mount-data-mysql-0: Running");
    // the mount pods ran in the scratch namespace, from the default image, and are gone
    assertThat(mountPodsSeen)
        .containsExactlyInAnyOrder(
            "zoneguard-drill-" + id + "/zg-mount-data-mysql-0",
            "zoneguard-drill-" + id + "/zg-mount-data-mysql-1",
            "zoneguard-drill-" + id + "/zg-mount-data-mysql-2");
    assertThat(mountImagesSeen).containsOnly("public.ecr.aws/docker/library/busybox:1.36");
    assertThat(kube.pods().inAnyNamespace().withLabel("zoneguard.io/role").list().getItems())
        .isEmpty();
    assertThat(rep.get("dump").get("sha256Verified").asBoolean()).isTrue();
    assertThat(rep.get("tables")).isNotEmpty();
    for (JsonNode t : rep.get("tables")) {
      assertThat(t.get("status").asText()).as(t.toString()).isEqualTo("ok");
      assertThat(t.get("rows").asLong()).isEqualTo(t.get("expectedRows").asLong());
    }
    assertThat(rep.get("tables").toString()).contains(db.name() + ".customers");
    assertThat(r.err()).contains("[1/4] volumes", "[4/4] cleanup");

    // nothing left behind: scratch namespace, PVs, volumes, databases
    assertThat(kube.namespaces().withName("zoneguard-drill-" + id).get()).isNull();
    assertThat(kube.persistentVolumes().withLabel("zoneguard.io/drill-id", id).list().getItems())
        .isEmpty();
    assertThat(drillVolumes(id)).isEmpty();
    assertThat(admin().databases()).noneMatch(d -> d.endsWith(scratchSuffix(id)));
    assertThat(rep.get("cleanedUp").toString()).contains("volume vol-", "namespace ", "database ");

    // production: the same objects, volumes and data as before
    assertThat(ClusterState.of(kube, f.aws.ec2(), f.namespace())).isEqualTo(before);
    assertThat(tableSums(db.name())).isEqualTo(prodTables);
    assertThat(events()).contains("DrillPassed");
  }

  @Test
  void keptDrillIsRemovedByCleanupWhichIsIdempotent() throws Exception {
    Cli.Result r = drill("--keep");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("PASSED").containsPattern("data-mysql-2\\s+snap-\\w+\\s+vol-");
    String id = r.out().split("\\s+")[1];
    assertThat(kube.namespaces().withName("zoneguard-drill-" + id).get()).isNotNull();
    assertThat(drillVolumes(id)).hasSize(3);
    assertThat(admin().databases()).anyMatch(d -> d.endsWith(scratchSuffix(id)));

    Cli.Result clean = cleanup(id);
    assertThat(clean.exit()).as(clean.err()).isZero();
    assertThat(clean.out()).contains("removed volume", "removed namespace", "removed database");
    assertThat(drillVolumes(id)).isEmpty();
    assertThat(kube.namespaces().withName("zoneguard-drill-" + id).get()).isNull();
    assertThat(admin().databases()).noneMatch(d -> d.endsWith(scratchSuffix(id)));

    Cli.Result again = Cli.run(f.env, "drill", "cleanup", "--id", id);
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("nothing left to remove");

    Cli.Result bad = Cli.run(f.env, "drill", "cleanup", "--id", "shop");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("'shop' is not a drill id");

    Cli.Result noNamespace =
        Cli.run(
            f.env,
            "drill",
            "cleanup",
            "--id",
            id,
            "--db-host",
            db.host(),
            "--db-password-secret",
            "scratch/password");
    assertThat(noNamespace.exit()).isEqualTo(2);
    assertThat(noNamespace.err()).contains("--db-password-secret needs -n");
  }

  /**
   * A drill killed while its mount pods run leaves their volumes attached; {@code drill cleanup}
   * deletes the pods, but the attach-detach controller detaches the volumes only after they are
   * gone — seconds later on AWS, after zoneguard's next few calls. Cleanup must wait for that
   * instead of failing with EC2 VolumeInUse.
   */
  @Test
  void cleanupOfAKilledDrillWaitsUntilItsVolumesDetach() throws Exception {
    // killed right after it deleted its first mount pod: the other two still run, attached
    f.sim.crashWhen(s -> "DELETE".equals(s.method()) && s.uri().contains("/pods/zg-mount-"), 1);
    Cli.Result killed = drill("--keep");
    assertThat(killed.exit()).as(killed.err()).isNotZero();
    String ns =
        kube.namespaces().list().getItems().stream()
            .map(n -> n.getMetadata().getName())
            .filter(n -> n.startsWith("zoneguard-drill-"))
            .findFirst()
            .orElseThrow();
    String id = ns.substring("zoneguard-drill-".length());
    assertThat(kube.pods().inNamespace(ns).list().getItems()).hasSize(2);
    // the controllers lag behind zoneguard's cleanup calls: they act only later, in wall time
    f.sim.recover().maxRoundsPerCall(0);
    Thread controllers =
        new Thread(
            () -> {
              sleep(java.time.Duration.ofSeconds(5));
              f.sim.rounds(10);
            });
    controllers.start();

    Cli.Result clean = cleanup(id);
    controllers.join();

    assertThat(clean.exit()).as(clean.err() + clean.out()).isZero();
    // killed before its dump was loaded: no scratch database to remove
    assertThat(clean.out()).contains("removed volume", "removed namespace");
    assertThat(drillVolumes(id)).isEmpty();
    assertThat(kube.namespaces().withName(ns).get()).isNull();
  }

  /** {@code drill cleanup} of drill {@code id}, with the scratch server. */
  private Cli.Result cleanup(String id) {
    return f.drillCleanup(db, id);
  }

  private static void sleep(java.time.Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aCorruptedDumpFailsTheDrillWhichStillCleansUp() throws Exception {
    String before = ClusterState.of(kube, f.aws.ec2(), f.namespace());
    String key = manifest.get("dump").get("key").asText();
    f.aws.s3().putObject(b -> b.bucket(f.bucket).key(key), RequestBody.fromString("garbage"));

    Cli.Result r = drill("-o", "json");

    assertThat(r.exit()).isEqualTo(1);
    JsonNode rep = JSON.readTree(r.out());
    assertThat(rep.get("passed").asBoolean()).isFalse();
    assertThat(rep.get("failures").toString()).contains("SHA-256", "nothing was restored");
    assertThat(r.err()).contains("\nzoneguard: drill failed: dump ");
    String id = rep.get("drillId").asText();
    assertThat(drillVolumes(id)).isEmpty();
    assertThat(kube.namespaces().withName("zoneguard-drill-" + id).get()).isNull();
    assertThat(ClusterState.of(kube, f.aws.ec2(), f.namespace())).isEqualTo(before);
    assertThat(events()).contains("DrillFailed");
  }

  @Test
  void aVolumeNoPodCanMountFailsTheDrillWhichStillCleansUp() throws Exception {
    // mysql-0's zone is cut off (its nodes NotReady): the restored volume of data-mysql-0, in
    // that zone, binds, but the scheduler has no Ready node there, so its mount pod stays Pending
    f.world.partitionZone(f.world.zoneOfPod("mysql-0"));

    Cli.Result r = drill("-o", "json", "--mount-timeout", "3s", "--mount-image", "busybox:1.36");

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode rep = JSON.readTree(r.out());
    String id = rep.get("drillId").asText();
    assertThat(rep.get("failures").toString())
        .contains(
            "data-mysql-0: mount pod zoneguard-drill-"
                + id
                + "/zg-mount-data-mysql-0 is Pending, not Running within 3s");
    assertThat(rep.get("volumes").get(0).get("claimPhase").asText()).isEqualTo("Bound");
    assertThat(rep.get("volumes").get(0).get("mountPhase").asText()).isEqualTo("Pending");
    assertThat(rep.get("volumes").get(1).get("mountPhase").asText()).isEqualTo("Running");
    assertThat(mountImagesSeen).containsOnly("busybox:1.36");
    assertThat(kube.pods().inAnyNamespace().withLabel("zoneguard.io/role").list().getItems())
        .isEmpty();
    assertThat(kube.namespaces().withName("zoneguard-drill-" + id).get()).isNull();
    assertThat(drillVolumes(id)).isEmpty();
  }

  @Test
  void cleanupPrimitivesRefuseEverythingThatIsNotADrills() {
    var storage = new Ec2BlockStorage(f.aws.ec2());
    String prodVolume = f.volumeOf(0);
    assertUnsafe(() -> storage.deleteDrillVolume(prodVolume));
    assertUnsafe(() -> new Fabric8Namespaces(kube).deleteDrillNamespace(f.namespace()));
    assertUnsafe(() -> new Fabric8PersistentVolumes(kube).deleteDrillPv(f.pvOf(0)));
    assertUnsafe(() -> admin().dropDrillDatabase(db.name()));
    var mounts = new io.zoneguard.kube.Fabric8MountPods(kube);
    assertUnsafe(() -> mounts.delete(f.namespace(), "mysql-0"));
    assertUnsafe(
        () ->
            mounts.start(
                f.namespace(), "zg-mount-x", "data-mysql-0", "busybox", java.time.Duration.ZERO));
    assertThat(kube.pods().inNamespace(f.namespace()).withName("mysql-0").get()).isNotNull();
    assertThat(f.aws.ec2().describeVolumes(r -> r.volumeIds(prodVolume)).volumes()).hasSize(1);
    assertThat(kube.namespaces().withName(f.namespace()).get()).isNotNull();
    assertThat(admin().databases()).contains(db.name());
  }

  private static void assertUnsafe(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(ZoneguardException.class)
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.REFUSED_UNSAFE);
  }

  /**
   * The end of this drill's scratch database names: other runs on the shared MariaDB (another
   * worktree's demo, say) may leave theirs, which says nothing about this drill.
   */
  private static String scratchSuffix(String id) {
    return "_zgdrill_" + id.substring(3).replace("-", "");
  }

  private List<String> drillVolumes(String id) {
    return f
        .aws
        .ec2()
        .describeVolumes(r -> r.filters(x -> x.name("tag:zoneguard.io/drill-id").values(id)))
        .volumes()
        .stream()
        .map(v -> v.volumeId())
        .toList();
  }

  private List<String> events() {
    return kube.v1().events().inNamespace(f.namespace()).list().getItems().stream()
        .map(e -> e.getReason())
        .toList();
  }

  private MariaDbAdmin admin() {
    return new MariaDbAdmin(
        new io.zoneguard.domain.DatabaseEndpoint(db.host(), db.port(), db.user(), null));
  }

  private List<String> tableSums(String database) {
    return admin().tableStats(database, true).stream().map(Object::toString).toList();
  }
}
