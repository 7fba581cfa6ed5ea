package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.ClusterState;
import io.zoneguard.testing.EksWorld;
import io.zoneguard.testing.FakeControllers;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * {@code failover apply} and {@code failback apply} end to end through the real CLI, against moto
 * (real EBS volumes and snapshots) and the fabric8 CRUD mock API server. The mock runs no
 * controllers: {@link FakeControllers} plays the PV binder, the StatefulSet controller, the
 * scheduler/kubelet and pod GC explicitly, so what is asserted here is what zoneguard did plus
 * those simulated reactions.
 */
@ExtendWith({BackupFixtureExtension.class, MariaDbExtension.class})
class FailoverApplyIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** failover apply into zone c, JSON report, without the prompt. */
  private static final String[] APPLY_TO_C = {
    "failover", "apply", "--to-zone", "us-east-1c", "--yes", "-o", "json", "--wait-timeout", "60s"
  };

  private BackupFixture f;
  private KubernetesClient kube;
  private FakeControllers controllers;
  private String snapOfB;

  @BeforeEach
  void backUpThenLoseZoneB(BackupFixture fixture, ScratchDatabase db) throws Exception {
    f = fixture;
    kube = f.kube.client();
    SeedData.seed(db, 1);
    Cli.Result backup = Cli.run(f.env, f.backupArgs(db, "--no-checksums", "-o", "json"));
    assertThat(backup.exit()).as(backup.err()).isZero();
    snapOfB = JSON.readTree(backup.out()).get("snapshots").get(1).get("snapshotId").asText();
    f.world.markZoneNotReady("us-east-1b");
    controllers = new FakeControllers(kube, f.world);
  }

  @AfterEach
  void stopControllers() {
    controllers.close();
  }

  private Cli.Result run(String... args) {
    return run(f.env, args);
  }

  private Cli.Result run(Map<String, String> env, String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("-n", f.namespace(), "--statefulset", "mysql"));
    return Cli.run(env, a.toArray(String[]::new));
  }

  @Test
  void failsOverZoneBIntoZoneCThenFailsBack() throws Exception {
    Map<String, String> uidsBefore = podUids();
    int volumesBefore = f.aws.ec2().describeVolumes().volumes().size();

    Cli.Result apply = run(APPLY_TO_C);

    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.err()).contains("[2/9] create-volumes", "data-mysql-1: creating vol-");
    JsonNode rec = JSON.readTree(apply.out());
    String id = rec.get("id").asText();
    assertThat(rec.get("finishedAt").isNull()).isFalse();
    assertThat(rec.get("steps")).hasSize(9);
    String newVol = rec.get("newVolumes").get("data-mysql-1").asText();

    // a new volume in zone c from the newest snapshot of data-mysql-1, same shape, tagged
    Volume v = volume(newVol);
    assertThat(v.availabilityZone()).isEqualTo("us-east-1c");
    assertThat(v.snapshotId()).isEqualTo(snapOfB);
    assertThat(v.volumeTypeAsString()).isEqualTo("gp3");
    assertThat(v.iops()).isEqualTo(3000);
    assertThat(v.throughput()).isEqualTo(125);
    assertThat(v.encrypted()).isTrue();
    assertThat(v.tags())
        .anyMatch(t -> t.key().equals("zoneguard.io/failover-id") && t.value().equals(id))
        .anyMatch(t -> t.key().equals("zoneguard.io/pvc") && t.value().equals("data-mysql-1"))
        // the old volume's own tags carry over, except those naming the old PV
        .anyMatch(t -> t.key().equals("kubernetes.io/created-for/pvc/name"))
        .anyMatch(t -> t.key().equals("ebs.csi.aws.com/cluster"))
        .noneMatch(t -> t.key().equals("CSIVolumeName"));
    assertThat(f.aws.ec2().describeVolumes().volumes()).hasSize(volumesBefore + 1);

    // a PV pre-bound to NS/data-mysql-1, pinned to zone c, Retain; the PVC Bound to it
    PersistentVolume pv =
        kube.persistentVolumes().withName("zoneguard-" + id + "-data-mysql-1").get();
    assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo(f.namespace());
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("data-mysql-1");
    assertThat(pv.getSpec().getCsi().getVolumeHandle()).isEqualTo(newVol);
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.getSpec().getStorageClassName()).isEqualTo("gp3");
    assertThat(pv.getSpec().getCapacity().get("storage").toString()).isEqualTo("10Gi");
    assertThat(FakeControllers.zoneOf(pv)).isEqualTo("us-east-1c");
    var pvc =
        kube.persistentVolumeClaims().inNamespace(f.namespace()).withName("data-mysql-1").get();
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo(pv.getMetadata().getName());
    assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound");

    // the template has no zone constraint: not re-pinned (a template change would roll every
    // healthy replica); mysql-1 follows its new PV's zone
    StatefulSet sts = kube.apps().statefulSets().inNamespace(f.namespace()).withName("mysql").get();
    assertThat(FakeControllers.zoneRequirements(sts)).isEmpty();
    assertThat(sts.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(sts.getMetadata().getAnnotations())
        .doesNotContainKey("zoneguard.io/original-affinity")
        .doesNotContainKey("zoneguard.io/sets-in-use");
    assertThat(rec.get("plan").get("pin").get("apply").asBoolean()).isFalse();
    assertThat(apply.err()).contains("pin-affinity: template unchanged (not required");
    assertThat(sts.getStatus().getReadyReplicas()).isEqualTo(3);

    // the old volume and PV are still there (Retain); nothing was deleted in EC2
    assertThat(volume(f.members.get(1).volumeId()).stateAsString()).isIn("available", "in-use");
    assertThat(kube.persistentVolumes().withName(f.members.get(1).pv()).get())
        .satisfies(
            old ->
                assertThat(old.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain"));

    // pods on Ready nodes untouched; mysql-1 recreated on a zone-c node
    Map<String, String> uidsAfter = podUids();
    assertThat(uidsAfter.get("mysql-0")).isEqualTo(uidsBefore.get("mysql-0"));
    assertThat(uidsAfter.get("mysql-2")).isEqualTo(uidsBefore.get("mysql-2"));
    assertThat(pod("mysql-1").getSpec().getNodeName())
        .isEqualTo(EksWorld.nodeName("us-east-1c", 0));

    // zone b's nodes fenced; healthy zones' nodes not
    for (var n : kube.nodes().list().getItems()) {
      boolean inB = n.getMetadata().getName().contains("us-east-1b");
      assertThat(Boolean.TRUE.equals(n.getSpec().getUnschedulable())).isEqualTo(inB);
      assertThat(n.getSpec().getTaints() != null && !n.getSpec().getTaints().isEmpty())
          .isEqualTo(inB);
    }
    assertThat(eventReasons()).contains("FailoverStarted", "FailoverCompleted");

    Cli.Result status = run("failover", "status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("FAILOVER " + id)
        .containsPattern(
            "data-mysql-1\\s+"
                + f.members.get(1).volumeId()
                + "\\s+us-east-1b\\s+"
                + newVol
                + "\\s+us-east-1c");

    // done: re-running the same apply (say its process died before printing "done") reports the
    // finished failover, exit 0, and changes nothing
    String boundBefore =
        kube.persistentVolumeClaims()
            .inNamespace(f.namespace())
            .withName("data-mysql-1")
            .get()
            .getSpec()
            .getVolumeName();
    Cli.Result again = run("failover", "apply", "--yes");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.err()).contains("failover " + id + " already finished", "nothing left to do");
    assertThat(
            kube.persistentVolumeClaims()
                .inNamespace(f.namespace())
                .withName("data-mysql-1")
                .get()
                .getSpec()
                .getVolumeName())
        .isEqualTo(boundBefore);

    // ---- zone b recovers: fail back ----
    f.world.markZoneReady("us-east-1b");
    Cli.Result plan = run("failback", "plan");
    assertThat(plan.exit()).as(plan.err() + plan.out()).isZero();
    assertThat(plan.out()).contains("FAILBACK PLAN").contains("stop-pods");

    Cli.Result back = run("failback", "apply", "--yes", "-o", "json", "--wait-timeout", "60s");

    assertThat(back.exit()).as(back.err()).isZero();
    JsonNode fb = JSON.readTree(back.out());
    String fbId = fb.get("id").asText();
    assertThat(fbId).startsWith("fb-");
    String homeVol = fb.get("newVolumes").get("data-mysql-1").asText();
    String freshSnap = fb.get("snapshots").get("data-mysql-1").asText();
    assertThat(volume(homeVol).availabilityZone()).isEqualTo("us-east-1b");
    assertThat(volume(homeVol).snapshotId()).isEqualTo(freshSnap);
    assertThat(
            f.aws
                .ec2()
                .describeSnapshots(r -> r.snapshotIds(freshSnap))
                .snapshots()
                .get(0)
                .volumeId())
        .isEqualTo(newVol);
    PersistentVolume homePv =
        kube.persistentVolumes().withName("zoneguard-" + fbId + "-data-mysql-1").get();
    assertThat(FakeControllers.zoneOf(homePv)).isEqualTo("us-east-1b");
    assertThat(
            kube.persistentVolumeClaims()
                .inNamespace(f.namespace())
                .withName("data-mysql-1")
                .get()
                .getSpec()
                .getVolumeName())
        .isEqualTo(homePv.getMetadata().getName());
    StatefulSet restored =
        kube.apps().statefulSets().inNamespace(f.namespace()).withName("mysql").get();
    assertThat(restored.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(restored.getMetadata().getAnnotations())
        .doesNotContainKey("zoneguard.io/original-affinity");
    assertThat(restored.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(pod("mysql-1").getSpec().getNodeName())
        .as(back.err())
        .isEqualTo(EksWorld.nodeName("us-east-1b", 0));
    for (var n : kube.nodes().list().getItems()) {
      assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
      assertThat(n.getSpec().getTaints()).isNullOrEmpty();
    }
    // the failover's volume and both PVs of earlier homes are kept
    assertThat(volume(newVol)).isNotNull();
    assertThat(kube.persistentVolumes().withName(pv.getMetadata().getName()).get()).isNotNull();
    assertThat(eventReasons()).contains("FailbackCompleted");
    // I1: no replica's claim was ever provisioned empty from the template
    assertThat(controllers.emptyProvisioned()).isEmpty();
    assertThat(podUids().get("mysql-0")).isEqualTo(uidsBefore.get("mysql-0"));
  }

  @Test
  void refusesUnsafeRequestsAndChangesNothing() {
    String before = ClusterState.of(kube, f.namespace());
    int volumesBefore = f.aws.ec2().describeVolumes().volumes().size();

    Cli.Result same = run("failover", "apply", "--to-zone", "us-east-1b", "--yes");
    assertThat(same.exit()).isEqualTo(3);
    assertThat(same.err()).contains("target zone us-east-1b is the failed zone");

    Cli.Result unknown = run("failover", "apply", "--to-zone", "us-east-1q", "--yes");
    assertThat(unknown.exit()).isEqualTo(3);
    assertThat(unknown.err()).contains("us-east-1q is not a zone of this region");

    // zone a's nodes are Ready: its pods may still write, so its data is not moved
    Cli.Result healthy = run("failover", "apply", "--from-zone", "us-east-1a", "--yes");
    assertThat(healthy.exit()).isEqualTo(3);
    assertThat(healthy.err())
        .contains(
            "data-mysql-0 is mounted by pod mysql-0 on node node-us-east-1a-0, which is Ready");

    Cli.Result noTerminal = run("failover", "apply");
    assertThat(noTerminal.exit()).isEqualTo(2);
    assertThat(noTerminal.err().strip())
        .startsWith("zoneguard: not a terminal: pass --yes")
        .doesNotContain("\n");

    Cli.Result dry = run("failover", "apply", "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("FAILOVER PLAN").contains("create-volumes");

    Cli.Result missing =
        Cli.run(f.env, "failover", "apply", "-n", f.namespace(), "--statefulset", "nope", "--yes");
    assertThat(missing.exit()).isEqualTo(3);
    assertThat(missing.err()).contains("statefulset 'nope' not found", "nothing changed");

    // another failover holds the lock (fresh heartbeat, another holder)
    String now = java.time.Instant.now().toString();
    String held =
        RecordCodec.write(
            io.zoneguard.domain.FailoverRecord.start(
                "fo-other",
                "alice@laptop",
                now,
                new io.zoneguard.domain.FailoverPlan(
                    "failover",
                    f.namespace(),
                    "mysql",
                    "us-east-1b",
                    "given",
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of())));
    annotate("zoneguard.io/failover", held);
    String locked = ClusterState.of(kube, f.namespace());
    Cli.Result lock = run("failover", "apply", "--yes");
    assertThat(lock.exit()).isEqualTo(3);
    assertThat(lock.err()).contains("failover fo-other", "is being run by alice@laptop");
    Cli.Result failback = run("failback", "apply", "--yes");
    assertThat(failback.exit()).isEqualTo(3);
    assertThat(ClusterState.of(kube, f.namespace())).isEqualTo(locked);
    annotate("zoneguard.io/failover", null);

    assertThat(ClusterState.of(kube, f.namespace())).isEqualTo(before);
    assertThat(f.aws.ec2().describeVolumes().volumes()).hasSize(volumesBefore);
  }

  /** Simulates the process dying: an Error escapes every catch, like a kill skips them all. */
  static final class Crash extends Error {
    Crash(String step) {
      super("simulated crash after " + step);
    }
  }

  @Test
  void crashAfterEveryStepThenRerunConvergesWithoutDuplicates() {
    FailoverRequest req =
        new FailoverRequest(
            f.namespace(),
            "mysql",
            java.util.Optional.empty(),
            List.of("us-east-1c"),
            java.time.Duration.ofHours(1),
            false,
            false);
    FailoverOptions options =
        FailoverOptions.defaults()
            .withPollInterval(java.time.Duration.ofMillis(100))
            .withReadyTimeout(java.time.Duration.ofSeconds(60));
    CrashRun run = crashAfterEachStep(svc -> svc.prepareFailover(req, options), options);
    io.zoneguard.domain.FailoverRecord done = run.done();
    List<String> crashed = run.crashed();
    List<String> resumedSkips = run.resumedSkips();

    assertThat(done).isNotNull();
    assertThat(crashed)
        .hasSize(9)
        .isEqualTo(done.plan().steps().stream().map(FailoverPlan.Step::id).toList());
    assertThat(done.finished()).isTrue();
    assertThat(resumedSkips).contains("fence", "create-volumes", "delete-stuck-pods");
    // one volume, one PV, one claim: nothing duplicated by nine restarts
    assertThat(volumesTagged(f, "zoneguard.io/failover-id", done.id())).hasSize(1);
    assertThat(
            kube.persistentVolumes()
                .withLabel("zoneguard.io/failover-id", done.id())
                .list()
                .getItems())
        .hasSize(1);
    var pvc =
        kube.persistentVolumeClaims().inNamespace(f.namespace()).withName("data-mysql-1").get();
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo("zoneguard-" + done.id() + "-data-mysql-1");
    assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(kube.persistentVolumes().withName(f.members.get(1).pv()).get()).isNotNull();
    assertThat(volume(f.members.get(1).volumeId())).isNotNull();
    StatefulSet sts = kube.apps().statefulSets().inNamespace(f.namespace()).withName("mysql").get();
    assertThat(FakeControllers.zoneRequirements(sts)).isEmpty();
    assertThat(sts.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(sts.getMetadata().getAnnotations()).doesNotContainKey("zoneguard.io/sets-in-use");
  }

  private record CrashRun(
      io.zoneguard.domain.FailoverRecord done, List<String> crashed, List<String> resumedSkips) {}

  /**
   * Runs {@code apply} in a fresh service each time, crashing right after the first step not yet
   * crashed after, until a run finishes: every step is followed by a crash and a resume once.
   */
  private CrashRun crashAfterEachStep(
      java.util.function.Function<FailoverService, FailoverService.Start> prepare,
      FailoverOptions options) {
    List<String> crashed = new ArrayList<>();
    List<String> resumedSkips = new ArrayList<>();
    io.zoneguard.domain.FailoverRecord done = null;
    for (int run = 0; run < 16 && done == null; run++) {
      FailoverService service = service();
      FailoverService.Start start = prepare.apply(service);
      assertThat(start.plan().refusals()).isEmpty();
      assertThat(start.resuming()).isEqualTo(run > 0);
      Progress crashAtNextStep =
          new Progress() {
            public void step(int i, int total, String id, String d, boolean doneEarlier) {
              if (doneEarlier) {
                resumedSkips.add(id);
              }
            }

            public void detail(String line) {}

            public void stepDone(String id, String summary, java.time.Duration took) {
              if (!crashed.contains(id)) {
                crashed.add(id);
                throw new Crash(id);
              }
            }
          };
      try {
        done = service.apply(start, options, crashAtNextStep);
      } catch (Crash expected) {
        // the next run resumes
      }
    }
    return new CrashRun(done, crashed, resumedSkips);
  }

  @Test
  void failbackCrashedAfterEveryStepConvergesAndNeverProvisionsAnEmptyClaim() {
    FailoverOptions options =
        FailoverOptions.defaults()
            .withPollInterval(java.time.Duration.ofMillis(100))
            .withReadyTimeout(java.time.Duration.ofSeconds(60));
    Cli.Result apply = run(APPLY_TO_C);
    assertThat(apply.exit()).as(apply.err()).isZero();
    f.world.markZoneReady("us-east-1b");

    CrashRun run =
        crashAfterEachStep(svc -> svc.prepareFailback(f.namespace(), "mysql", options), options);

    io.zoneguard.domain.FailoverRecord done = run.done();
    assertThat(done).isNotNull();
    assertThat(done.finished()).isTrue();
    assertThat(run.crashed())
        .isEqualTo(done.plan().steps().stream().map(FailoverPlan.Step::id).toList())
        .contains("hold-claims", "release-claims");
    // one snapshot, one volume, one PV for the failback: nothing duplicated by 13 restarts
    assertThat(
            f.aws
                .ec2()
                .describeSnapshots(
                    r ->
                        r.filters(
                            Filter.builder()
                                .name("tag:zoneguard.io/failover-id")
                                .values(done.id())
                                .build()))
                .snapshots())
        .hasSize(1);
    assertThat(volumesTagged(f, "zoneguard.io/failover-id", done.id()))
        .singleElement()
        .satisfies(v -> assertThat(v.availabilityZone()).isEqualTo("us-east-1b"));
    var pvc =
        kube.persistentVolumeClaims().inNamespace(f.namespace()).withName("data-mysql-1").get();
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo("zoneguard-" + done.id() + "-data-mysql-1");
    assertThat(pvc.getMetadata().getFinalizers()).doesNotContain("zoneguard.io/hold");
    assertThat(pod("mysql-1").getSpec().getNodeName())
        .isEqualTo(EksWorld.nodeName("us-east-1b", 0));
    // I1 across every crash: the controllers never provisioned an empty claim for a replica
    assertThat(controllers.emptyProvisioned()).isEmpty();
  }

  /** EC2 throttling, and a transient server error, on every third EC2 call. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"503, RequestLimitExceeded", "500, InternalError"})
  void throttledAndFailingEc2CallsAreRetried(int status, String code) throws Exception {
    java.util.concurrent.atomic.AtomicInteger ec2Calls =
        new java.util.concurrent.atomic.AtomicInteger();
    try (io.zoneguard.testing.FaultProxy proxy =
        new io.zoneguard.testing.FaultProxy(
            java.net.URI.create(f.env.get("ZONEGUARD_AWS_ENDPOINT")),
            r -> r.action() != null && ec2Calls.incrementAndGet() % 3 == 0,
            status,
            code)) {
      Map<String, String> env = new HashMap<>(f.env);
      env.put("ZONEGUARD_AWS_ENDPOINT", proxy.endpoint().toString());

      Cli.Result r = run(env, APPLY_TO_C);

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(proxy.seen().stream().filter(io.zoneguard.testing.FaultProxy.Seen::failed).count())
          .as("throttled calls")
          .isGreaterThanOrEqualTo(2);
      String id = JSON.readTree(r.out()).get("id").asText();
      assertThat(volumesTagged(f, "zoneguard.io/failover-id", id)).hasSize(1);
      // every EC2 call is one the Terraform policy grants (AwsActions is checked against it)
      assertThat(proxy.seen())
          .extracting(io.zoneguard.testing.FaultProxy.Seen::action)
          .filteredOn(java.util.Objects::nonNull)
          .isNotEmpty()
          .allMatch(io.zoneguard.aws.AwsActions.ec2ApiNames()::contains);
    }
  }

  private FailoverService service() {
    var clock = java.time.Clock.systemUTC();
    var cluster = io.zoneguard.testing.KubePorts.of(kube);
    var storage = new io.zoneguard.aws.Ec2BlockStorage(f.aws.ec2());
    var inventory =
        new io.zoneguard.inventory.InventoryService(
            cluster.namespaces(),
            cluster.statefulSets(),
            cluster.claims(),
            cluster.persistentVolumes(),
            cluster.nodes(),
            cluster.pods(),
            storage,
            "us-east-1",
            clock);
    var catalog =
        new io.zoneguard.backup.BackupStore(
            new io.zoneguard.aws.S3ObjectStore(f.aws.s3(), f.bucket, java.util.Optional.empty()),
            "zoneguard",
            "it-cluster",
            clock);
    var instances = new io.zoneguard.aws.Ec2Instances(f.aws.ec2());
    var placement = new io.zoneguard.kube.Fabric8Placement(kube);
    return new FailoverService(
        cluster,
        storage,
        instances,
        placement,
        inventory,
        new FailoverPlanService(
            inventory,
            storage,
            catalog,
            new SafetyReview(cluster.nodes(), instances, placement),
            "it-cluster",
            clock),
        "it-cluster",
        clock,
        "it@test");
  }

  private void annotate(String key, String value) {
    kube.apps()
        .statefulSets()
        .inNamespace(f.namespace())
        .withName("mysql")
        .edit(
            s -> {
              if (value == null) {
                s.getMetadata().getAnnotations().remove(key);
              } else {
                s.getMetadata().getAnnotations().put(key, value);
              }
              return s;
            });
  }

  private Volume volume(String id) {
    return f.aws.ec2().describeVolumes(r -> r.volumeIds(id)).volumes().get(0);
  }

  private Pod pod(String name) {
    return kube.pods().inNamespace(f.namespace()).withName(name).get();
  }

  private Map<String, String> podUids() {
    Map<String, String> m = new HashMap<>();
    kube.pods()
        .inNamespace(f.namespace())
        .list()
        .getItems()
        .forEach(p -> m.put(p.getMetadata().getName(), p.getMetadata().getUid()));
    return m;
  }

  private List<String> eventReasons() {
    return kube.v1().events().inNamespace(f.namespace()).list().getItems().stream()
        .map(e -> e.getReason())
        .toList();
  }

  static List<Volume> volumesTagged(BackupFixture f, String key, String value) {
    return f.aws
        .ec2()
        .describeVolumes(r -> r.filters(Filter.builder().name("tag:" + key).values(value).build()))
        .volumes();
  }
}
