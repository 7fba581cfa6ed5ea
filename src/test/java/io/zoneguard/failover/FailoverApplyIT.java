package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.aws.AwsClients;
import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import io.zoneguard.testing.sim.Invariants;
import io.zoneguard.testing.sim.Sim;
import io.zoneguard.testing.sim.SimFixture;
import io.zoneguard.testing.sim.SimWorld;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * {@code failover apply} and {@code failback apply} end to end through the real CLI (and, for the
 * crash tests, zoneguard's services in-process), against moto (real EBS volumes and snapshots) and
 * the upstream-faithful simulation: the StatefulSet controller, PV binder and EBS provisioner,
 * scheduler, kubelet, pvc-protection and node lifecycle act between any two of zoneguard's calls
 * (seeded, {@code -Dseed=N}). Zone b's replica is whichever the simulated scheduler put there.
 * Every test ends asserting the simulation's invariants (I1–I5, no split brain, RBAC).
 */
@ExtendWith({AwsExtension.class, MariaDbExtension.class})
class FailoverApplyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String B = "us-east-1b";
  private static final String C = "us-east-1c";
  private static final long SEED = Sim.seedProperty(17);

  /** failover apply into zone c, JSON report, without the prompt, fast polling. */
  private static final String[] APPLY_TO_C =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(
                  "failover", "apply", "--to-zone", C, "--yes", "-o", "json"),
              SimFixture.WAIT.stream())
          .toArray(String[]::new);

  private static ScratchDatabase db;
  private SimFixture f;
  private KubernetesClient kube;
  private Invariants invariants;

  /** The replica the scheduler put in zone b, its volume and PV before the loss. */
  private int lost;

  private String claimOfB;
  private String oldVolume;
  private String oldPv;
  private String snapOfB;

  @BeforeAll
  static void data(ScratchDatabase scratch) throws Exception {
    db = scratch;
    SeedData.seed(db, 1);
  }

  @BeforeEach
  void backUpThenLoseZoneB(AwsBackend aws) {
    f = new SimFixture(aws, SEED);
    kube = f.sim.kube();
    invariants = f.invariants;
    lost = f.ordinalIn(B);
    claimOfB = "data-mysql-" + lost;
    oldVolume = f.volumeOf(lost);
    oldPv = f.pvOf(lost);
    f.sim.run(
        () -> {
          Cli.Result backup = f.backUp(db, "--no-checksums", "-o", "json");
          for (JsonNode s : JSON.readTree(backup.out()).get("snapshots")) {
            if (s.get("pvc").asText().equals(claimOfB)) {
              snapOfB = s.get("snapshotId").asText();
            }
          }
          assertThat(snapOfB).as("snapshot of %s", claimOfB).isNotNull();
          f.loseZone(B);
        });
  }

  @AfterEach
  void close() {
    f.close();
  }

  private Cli.Result run(String... args) {
    return f.cli("mysql", args);
  }

  private Cli.Result run(Map<String, String> env, String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("-n", f.namespace(), "--statefulset", "mysql"));
    return Cli.run(env, a.toArray(String[]::new));
  }

  @Test
  void failsOverZoneBIntoZoneCThenFailsBack() {
    f.sim.run(this::failsOverThenFailsBack);
  }

  private void failsOverThenFailsBack() throws Exception {
    Map<String, String> uidsBefore = invariants.podUids();
    int volumesBefore = f.aws.ec2().describeVolumes().volumes().size();

    Cli.Result apply = run(APPLY_TO_C);

    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.err()).contains("[2/9] create-volumes", claimOfB + ": creating vol-");
    JsonNode rec = JSON.readTree(apply.out());
    String id = rec.get("id").asText();
    assertThat(rec.get("finishedAt").isNull()).isFalse();
    assertThat(rec.get("steps")).hasSize(9);
    String newVol = rec.get("newVolumes").get(claimOfB).asText();

    // a new volume in zone c from the newest snapshot of zone b's claim, same shape, tagged
    Volume v = volume(newVol);
    Volume oldV = volume(oldVolume);
    assertThat(v.availabilityZone()).isEqualTo(C);
    assertThat(v.snapshotId()).isEqualTo(snapOfB);
    assertThat(v.volumeTypeAsString()).isEqualTo("gp3");
    // the simulated EBS driver provisions like the real one (no iops/throughput parameters):
    // the restored volume has the old one's, whatever EC2 defaulted them to
    assertThat(v.iops()).isEqualTo(oldV.iops());
    assertThat(v.throughput()).isEqualTo(oldV.throughput());
    assertThat(v.encrypted()).isTrue();
    assertThat(v.tags())
        .anyMatch(t -> t.key().equals("zoneguard.io/failover-id") && t.value().equals(id))
        .anyMatch(t -> t.key().equals("zoneguard.io/pvc") && t.value().equals(claimOfB))
        // the old volume's own tags carry over, except those naming the old PV
        .anyMatch(t -> t.key().equals("kubernetes.io/created-for/pvc/name"))
        .anyMatch(t -> t.key().equals("ebs.csi.aws.com/cluster"))
        .noneMatch(t -> t.key().equals("CSIVolumeName"));
    assertThat(f.aws.ec2().describeVolumes().volumes()).hasSize(volumesBefore + 1);

    // a PV pre-bound to NS/claim, pinned to zone c, Retain; the PVC Bound to it
    PersistentVolume pv =
        kube.persistentVolumes().withName("zoneguard-" + id + "-" + claimOfB).get();
    assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo(f.namespace());
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo(claimOfB);
    assertThat(pv.getSpec().getCsi().getVolumeHandle()).isEqualTo(newVol);
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.getSpec().getStorageClassName()).isEqualTo("gp3");
    assertThat(pv.getSpec().getCapacity().get("storage").toString()).isEqualTo("10Gi");
    assertThat(SimWorld.zoneOfPv(pv)).isEqualTo(C);
    var pvc = f.world.claim(claimOfB);
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo(pv.getMetadata().getName());
    assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound");
    // the binder wrote the claim's UID into claimRef (pv_controller.go bind)
    assertThat(kube.persistentVolumes().withName(pv.getMetadata().getName()).get())
        .satisfies(
            p ->
                assertThat(p.getSpec().getClaimRef().getUid())
                    .isEqualTo(pvc.getMetadata().getUid()));

    // the template has no zone constraint: not re-pinned (a template change would roll every
    // healthy replica); the moved replica follows its new PV's zone
    f.world.awaitReady("mysql", 3);
    StatefulSet sts = f.statefulSet("mysql");
    assertThat(SimWorld.zoneRequirements(sts)).isEmpty();
    assertThat(sts.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(sts.getMetadata().getAnnotations())
        .doesNotContainKey("zoneguard.io/original-affinity")
        .doesNotContainKey("zoneguard.io/sets-in-use");
    assertThat(rec.get("plan").get("pin").get("apply").asBoolean()).isFalse();
    assertThat(apply.err()).contains("pin-affinity: template unchanged (not required");
    assertThat(sts.getStatus().getReadyReplicas()).isEqualTo(3);

    // the old volume and PV are still there (Retain); nothing was deleted in EC2
    assertThat(volume(oldVolume).stateAsString()).isIn("available", "in-use");
    assertThat(kube.persistentVolumes().withName(oldPv).get())
        .satisfies(
            old ->
                assertThat(old.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain"));

    // pods on Ready nodes untouched (I6); the moved replica recreated in zone c on its data
    assertThat(invariants.unmovedRestarted(uidsBefore, List.of(lost))).isEmpty();
    invariants.awaitRestored(lost, C, "zoneguard-fo-", "after the failover");

    // zone b's nodes fenced (cordoned, out-of-service); healthy zones' nodes not touched
    for (Node n : kube.nodes().list().getItems()) {
      boolean inB = n.getMetadata().getName().contains(B);
      assertThat(Boolean.TRUE.equals(n.getSpec().getUnschedulable())).isEqualTo(inB);
      assertThat(outOfService(n)).isEqualTo(inB);
      if (!inB) {
        assertThat(n.getSpec().getTaints()).isNullOrEmpty();
      }
    }
    assertThat(eventReasons()).contains("FailoverStarted", "FailoverCompleted");

    Cli.Result status = run("failover", "status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("FAILOVER " + id)
        .containsPattern(
            claimOfB + "\\s+" + oldVolume + "\\s+us-east-1b\\s+" + newVol + "\\s+us-east-1c");

    // done: re-running the same apply (say its process died before printing "done") reports the
    // finished failover, exit 0, and changes nothing
    String boundBefore = f.world.claim(claimOfB).getSpec().getVolumeName();
    Cli.Result again = run("failover", "apply", "--yes");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.err()).contains("failover " + id + " already finished", "nothing left to do");
    assertThat(f.world.claim(claimOfB).getSpec().getVolumeName()).isEqualTo(boundBefore);
    assertThat(invariants.violationsAndFaults()).as("after the failover").isEmpty();

    // ---- zone b recovers: fail back ----
    f.recoverZone(B);
    Cli.Result plan = run("failback", "plan");
    assertThat(plan.exit()).as(plan.err() + plan.out()).isZero();
    assertThat(plan.out()).contains("FAILBACK PLAN").contains("stop-pods");

    Cli.Result back = f.cliWaiting("mysql", "failback", "apply", "--yes", "-o", "json");

    assertThat(back.exit()).as(back.err()).isZero();
    JsonNode fb = JSON.readTree(back.out());
    String fbId = fb.get("id").asText();
    assertThat(fbId).startsWith("fb-");
    String homeVol = fb.get("newVolumes").get(claimOfB).asText();
    String freshSnap = fb.get("snapshots").get(claimOfB).asText();
    assertThat(volume(homeVol).availabilityZone()).isEqualTo(B);
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
        kube.persistentVolumes().withName("zoneguard-" + fbId + "-" + claimOfB).get();
    assertThat(SimWorld.zoneOfPv(homePv)).isEqualTo(B);
    assertThat(f.world.claim(claimOfB).getSpec().getVolumeName())
        .isEqualTo(homePv.getMetadata().getName());
    f.world.awaitReady("mysql", 3);
    StatefulSet restored = f.statefulSet("mysql");
    assertThat(restored.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(restored.getMetadata().getAnnotations())
        .doesNotContainKey("zoneguard.io/original-affinity");
    assertThat(restored.getStatus().getReadyReplicas()).isEqualTo(3);
    invariants.awaitRestored(lost, B, "zoneguard-fb-", "after the failback");
    for (var n : kube.nodes().list().getItems()) {
      assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
      assertThat(n.getSpec().getTaints()).isNullOrEmpty();
    }
    // the failover's volume and both PVs of earlier homes are kept
    assertThat(volume(newVol)).isNotNull();
    assertThat(kube.persistentVolumes().withName(pv.getMetadata().getName()).get()).isNotNull();
    assertThat(eventReasons()).contains("FailbackCompleted");
    // I1 (no replica ever ran on a volume not descending from its data) to I5, no split brain
    assertThat(invariants.violationsAndFaults()).as("after the failback").isEmpty();
    // the healthy replicas ran through failover and failback untouched (I6)
    assertThat(invariants.unmovedRestarted(uidsBefore, List.of(lost))).isEmpty();
  }

  @Test
  void refusesUnsafeRequestsAndChangesNothing() {
    f.sim.run(this::refusals);
  }

  /**
   * The controllers act between zoneguard's calls meanwhile (zone b's pods are evicted and never
   * finish terminating), so "nothing changed" compares {@link SimFixture#fingerprint} (claims, PVs,
   * cordons and zoneguard's taints, the StatefulSet, EBS volumes, instances) and the healthy
   * replicas' pods, not every object as against the old fake.
   */
  private void refusals() {
    String before = f.fingerprint("mysql");
    Map<String, String> uids = invariants.podUids();
    int inA = f.ordinalIn("us-east-1a");
    String nodeOfA = f.world.pod("mysql-" + inA).getSpec().getNodeName();

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
            "data-mysql-"
                + inA
                + " is mounted by pod mysql-"
                + inA
                + " on node "
                + nodeOfA
                + ", which is Ready");

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
    String locked = f.fingerprint("mysql");
    Cli.Result lock = run("failover", "apply", "--yes");
    assertThat(lock.exit()).isEqualTo(3);
    assertThat(lock.err()).contains("failover fo-other", "is being run by alice@laptop");
    Cli.Result failback = run("failback", "apply", "--yes");
    assertThat(failback.exit()).isEqualTo(3);
    assertThat(f.fingerprint("mysql")).isEqualTo(locked);
    annotate("zoneguard.io/failover", null);

    assertThat(f.fingerprint("mysql")).isEqualTo(before);
    assertThat(invariants.unmovedRestarted(uids, List.of(lost))).isEmpty();
    assertThat(invariants.violationsAndFaults()).isEmpty();
  }

  /** Simulates the process dying: an Error escapes every catch, like a kill skips them all. */
  static final class Crash extends Error {
    Crash(String step) {
      super("simulated crash after " + step);
    }
  }

  @Test
  void crashAfterEveryStepThenRerunConvergesWithoutDuplicates() {
    f.sim.run(this::crashAfterEveryFailoverStep);
  }

  private void crashAfterEveryFailoverStep() {
    FailoverRequest req =
        new FailoverRequest(
            f.namespace(),
            "mysql",
            java.util.Optional.empty(),
            List.of(C),
            java.time.Duration.ofHours(1),
            false,
            false);
    FailoverOptions options =
        FailoverOptions.defaults()
            .withPollInterval(java.time.Duration.ofMillis(100))
            .withReadyTimeout(java.time.Duration.ofSeconds(120));
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
    var pvc = f.world.claim(claimOfB);
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo("zoneguard-" + done.id() + "-" + claimOfB);
    assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(kube.persistentVolumes().withName(oldPv).get()).isNotNull();
    assertThat(volume(oldVolume)).isNotNull();
    f.world.awaitReady("mysql", 3);
    StatefulSet sts = f.statefulSet("mysql");
    assertThat(SimWorld.zoneRequirements(sts)).isEmpty();
    assertThat(sts.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(sts.getMetadata().getAnnotations()).doesNotContainKey("zoneguard.io/sets-in-use");
    invariants.assertRestored(lost, C, "zoneguard-fo-", "after nine crashes");
    assertThat(invariants.violationsAndFaults()).isEmpty();
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
      // a fresh process each time: new clients, behind the simulation's gates
      try (KubernetesClient zgKube = f.zoneguardKube();
          AwsClients zgAws = f.zoneguardAws()) {
        FailoverService service = service(zgKube, zgAws);
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
    }
    return new CrashRun(done, crashed, resumedSkips);
  }

  @Test
  void failbackCrashedAfterEveryStepConvergesAndNeverProvisionsAnEmptyClaim() {
    f.sim.run(this::crashAfterEveryFailbackStep);
  }

  private void crashAfterEveryFailbackStep() {
    FailoverOptions options =
        FailoverOptions.defaults()
            .withPollInterval(java.time.Duration.ofMillis(100))
            .withReadyTimeout(java.time.Duration.ofSeconds(120));
    Cli.Result apply = run(APPLY_TO_C);
    assertThat(apply.exit()).as(apply.err()).isZero();
    f.recoverZone(B);

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
        .satisfies(v -> assertThat(v.availabilityZone()).isEqualTo(B));
    var pvc = f.world.claim(claimOfB);
    assertThat(pvc.getSpec().getVolumeName()).isEqualTo("zoneguard-" + done.id() + "-" + claimOfB);
    assertThat(pvc.getMetadata().getFinalizers()).doesNotContain("zoneguard.io/hold");
    invariants.awaitRestored(lost, B, "zoneguard-fb-", "after the failback's crashes");
    // I1 across every crash: no replica ever ran on a claim provisioned empty from the template
    assertThat(invariants.violationsAndFaults()).isEmpty();
  }

  /** EC2 throttling, and a transient server error, on every third EC2 call. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"503, RequestLimitExceeded", "500, InternalError"})
  void throttledAndFailingEc2CallsAreRetried(int status, String code) {
    f.sim.run(() -> throttled(status, code));
  }

  /** The fault proxy sits in front of the simulation's AWS gate: faults, then time passing. */
  private void throttled(int status, String code) throws Exception {
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
      invariants.awaitRestored(lost, C, "zoneguard-fo-", "after a throttled failover");
      assertThat(invariants.violationsAndFaults()).isEmpty();
    }
  }

  private FailoverService service(KubernetesClient kube, AwsClients aws) {
    var clock = java.time.Clock.systemUTC();
    var cluster = io.zoneguard.testing.KubePorts.of(kube);
    var storage = new io.zoneguard.aws.Ec2BlockStorage(aws.ec2());
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
            new io.zoneguard.aws.S3ObjectStore(aws.s3(), f.bucket, java.util.Optional.empty()),
            "zoneguard",
            "it-cluster",
            clock);
    var instances = new io.zoneguard.aws.Ec2Instances(aws.ec2());
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

  private static boolean outOfService(Node n) {
    return n.getSpec().getTaints() != null
        && n.getSpec().getTaints().stream()
            .anyMatch(t -> "node.kubernetes.io/out-of-service".equals(t.getKey()));
  }

  private List<String> eventReasons() {
    return kube.v1().events().inNamespace(f.namespace()).list().getItems().stream()
        .map(e -> e.getReason())
        .toList();
  }

  static List<Volume> volumesTagged(SimFixture f, String key, String value) {
    return f.aws
        .ec2()
        .describeVolumes(r -> r.filters(Filter.builder().name("tag:" + key).values(value).build()))
        .volumes();
  }
}
