package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.FastSnapshotRestoreStandIn;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import io.zoneguard.testing.sim.Invariants;
import io.zoneguard.testing.sim.SimFixture;
import io.zoneguard.testing.sim.SimWorld;
import io.zoneguard.testing.sim.SimWorld.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every failover scenario of issue 11 on the upstream-faithful simulation, with AWS-like timing and
 * the controllers acting between any two of zoneguard's calls (seeded): backup → zone b lost (or
 * partitioned) → {@code failover apply} → assert → zone b back → {@code failback apply} → assert.
 *
 * <p>After the failover and after the failback, every scenario asserts the invariants I1–I5 ({@link
 * Invariants#violations()}), I6 against what the plan announced (unmoved replicas restart only when
 * the plan said the pin restarts them, and then they do), and for each moved replica: its claim
 * bound to a {@code zoneguard-fo-}/{@code zoneguard-fb-} PV whose volume descends from its own
 * data, its pod Ready in the target zone writing to that volume, no {@code zoneguard.io/hold} left,
 * no split brain, and every Kubernetes request granted by the RBAC the chart ships.
 *
 * <p>The replicas that live in zone b are read from the world (the simulated scheduler places
 * them). Properties: {@code -Dinterleavings=N} seeds per scenario (default 2: seeds 1..N), {@code
 * -Dseed=S} replays one seed, {@code -Dscenario=a,b} selects scenarios by name. A failure prints
 * the scenario, the seed and the simulation's event log.
 */
@ExtendWith({AwsExtension.class, MariaDbExtension.class})
class FailoverScenariosIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOST = "us-east-1b";
  private static final String HOLD = "zoneguard.io/hold";
  private static final String STS = "mysql";
  private static final String FSR_ZONE = "us-east-1c";

  /** At most this many controller rounds between two of zoneguard's calls (the Sim's default). */
  private static final int ROUNDS_PER_CALL = 3;

  /**
   * zoneguard's waits re-check every 200 ms instead of 2 s: time in the simulation passes in rounds
   * (one batch per call), so a shorter poll only saves wall time.
   */
  private static final String POLL = "200ms";

  /** A scenario that does not converge fails within this, not after the 15 min default. */
  private static final String WAIT = "120s";

  /** How zone b goes away. */
  enum Loss {
    /** AZ power loss: instances stopped, containers dead, pods never finish terminating. */
    DEAD,
    /** Network partition: instances (and MySQL) run on; the nodes only look NotReady. */
    PARTITIONED
  }

  /**
   * One scenario: the StatefulSet's shape, how zone b is lost, extra failover flags, and whether
   * the plan must say the pin is required (null: not asserted).
   */
  record Scenario(String name, Shape shape, Loss loss, List<String> flags, boolean pinRequired) {}

  static final List<Scenario> SCENARIOS =
      List.of(
          // the plan picks the target zone(s) itself
          new Scenario("zone-b-dead", Shape.standard(), Loss.DEAD, List.of(), false),
          new Scenario("zone-b-partitioned", Shape.standard(), Loss.PARTITIONED, List.of(), false),
          // one-StatefulSet-per-zone: every replica lives in b, the pin to b must be replaced
          new Scenario(
              "pinned-to-b",
              Shape.standard().replicas(2).pinnedTo(LOST),
              Loss.DEAD,
              List.of("--to-zone", "us-east-1c"),
              true),
          new Scenario(
              "spread-do-not-schedule",
              Shape.standard().spreadOverZones(),
              Loss.DEAD,
              List.of("--to-zone", "us-east-1c"),
              true),
          new Scenario(
              "ordered-ready",
              Shape.standard(),
              Loss.DEAD,
              List.of("--to-zone", "us-east-1a"),
              false),
          new Scenario("parallel", Shape.standard().parallel(), Loss.DEAD, List.of(), false),
          // --pin changes the template: RollingUpdate restarts the healthy replicas (announced)
          new Scenario(
              "rolling-update",
              Shape.standard(),
              Loss.DEAD,
              List.of("--to-zone", "us-east-1c", "--pin"),
              false),
          // ... OnDelete does not: only recreated pods pick the new template up
          new Scenario(
              "on-delete",
              Shape.standard().onDelete(),
              Loss.DEAD,
              List.of("--to-zone", "us-east-1c", "--pin"),
              false),
          new Scenario("block-mode", Shape.standard().block(), Loss.DEAD, List.of(), false),
          // snapshots with Fast Snapshot Restore in the target zone: instant volumes, no rate
          // sent there (EBS would let a rate override FSR); failback to b, without FSR, gets it
          new Scenario(
              "fast-restore",
              Shape.standard(),
              Loss.DEAD,
              List.of("--to-zone", FSR_ZONE, "--fast-restore", "--initialization-rate", "150"),
              false));

  @TestFactory
  Stream<DynamicTest> scenarios(AwsBackend aws, ScratchDatabase db) throws Exception {
    SeedData.seed(db, 1);
    String only = System.getProperty("scenario");
    List<String> names = only == null ? List.of() : List.of(only.split(","));
    List<Scenario> selected =
        SCENARIOS.stream().filter(s -> only == null || names.contains(s.name())).toList();
    assertThat(selected)
        .as(
            "-Dscenario=%s names no scenario (comma-separated names); known: %s",
            only, SCENARIOS.stream().map(Scenario::name).toList())
        .isNotEmpty();
    return selected.stream()
        .flatMap(
            s ->
                seeds()
                    .mapToObj(
                        seed ->
                            DynamicTest.dynamicTest(
                                s.name() + " seed " + seed, () -> run(aws, db, s, seed))));
  }

  private static LongStream seeds() {
    Long one = Long.getLong("seed");
    return one != null ? LongStream.of(one) : LongStream.rangeClosed(1, interleavings());
  }

  static int interleavings() {
    return Integer.getInteger("interleavings", 2);
  }

  private void run(AwsBackend aws, ScratchDatabase db, Scenario s, long seed) {
    int replicas = s.shape().replicas();
    long t0 = System.nanoTime();
    try (SimFixture f = new SimFixture(aws, seed, s.shape())) {
      lap = System.nanoTime();
      sim = f.sim;
      times = new StringBuilder(String.format("setup %.1fs", (lap - t0) / 1e9));
      f.sim.note("scenario " + s.name() + " seed " + seed);
      Invariants invariants = new Invariants(f.sim, f.world, STS).recordOriginals(replicas);
      try {
        f.sim.run(() -> cycle(f, invariants, db, s));
      } catch (AssertionError e) {
        java.nio.file.Path log =
            java.nio.file.Path.of("target", "sim-logs", s.name() + "-seed-" + seed + ".log");
        try {
          java.nio.file.Files.createDirectories(log.getParent());
          java.nio.file.Files.writeString(log, f.sim.log.tail(Integer.MAX_VALUE));
        } catch (java.io.IOException io) {
          e.addSuppressed(io);
        }
        throw new AssertionError(
            "scenario "
                + s.name()
                + " seed "
                + seed
                + " (replay: -Dscenario="
                + s.name()
                + " -Dseed="
                + seed
                + "; whole event log: "
                + log.toAbsolutePath()
                + "): "
                + e.getMessage(),
            e);
      }
      System.out.printf(
          "scenario %s seed %d: %.1fs (%s; %d rounds, %.1f ms per round)%n",
          s.name(),
          seed,
          (System.nanoTime() - t0) / 1e9,
          times,
          f.sim.roundsRun(),
          f.sim.meanRoundMillis());
    }
  }

  private long lap;
  private io.zoneguard.testing.sim.Sim sim;
  private StringBuilder times;

  /** Time since the last lap, for the run's timing line. */
  private void lap(String what) {
    var sim = this.sim;
    long now = System.nanoTime();
    times.append(
        String.format(
            ", %s %.1fs (calls %d, rounds %d)",
            what, (now - lap) / 1e9, sim.callCount(), sim.roundsRun()));
    lap = now;
  }

  /** Step times from a run's record, for the timing line. */
  private static String stepTimes(JsonNode record) {
    StringBuilder b = new StringBuilder();
    for (JsonNode st : record.path("steps")) {
      b.append(String.format(" %s=%.1f", st.path("id").asText(), st.path("seconds").asDouble()));
    }
    return b.toString().strip();
  }

  private void cycle(SimFixture f, Invariants invariants, ScratchDatabase db, Scenario s)
      throws Exception {
    SimWorld world = f.world;
    int replicas = s.shape().replicas();
    // the backup is not under test here and the world is steady: no rounds between its calls
    f.sim.maxRoundsPerCall(0);
    Cli.Result backup = Cli.run(f.env, f.backupArgs(db, "--no-checksums"));
    assertThat(backup.exit()).as(backup.err()).isZero();
    f.sim.maxRoundsPerCall(ROUNDS_PER_CALL);
    lap("backup");

    // which replicas live in zone b is the scheduler's choice: read it from the world
    List<Integer> moved = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      if (LOST.equals(world.zoneOfPod(STS + "-" + i))) {
        moved.add(i);
      }
    }
    assertThat(moved).as("replicas in %s before the loss", LOST).isNotEmpty();
    Map<String, String> uids = invariants.podUids();

    if (s.loss() == Loss.DEAD) {
      world.loseZone(LOST);
    } else {
      world.partitionZone(LOST);
    }
    f.sim.settle(200, () -> !world.zoneReady(LOST, false), "zone b NotReady");
    f.sim.phase("failover");

    List<String> flags = new ArrayList<>(s.flags());
    if (s.loss() == Loss.PARTITIONED) {
      // instances run: fencing from EC2 facts must refuse (exit 3) and change nothing
      String before = f.fingerprint(STS);
      Cli.Result refused = failover(f, flags);
      assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(3);
      lap("refused failover");
      assertThat(f.fingerprint(STS)).as("a refused failover changes nothing").isEqualTo(before);
      assertThat(invariants.violations()).isEmpty();
      // the operator lets zoneguard make the nodes dead itself: MySQL in zone b stops first
      flags.addAll(List.of("--fence", "stop-instances"));
    }
    boolean fastRestore = flags.contains("--fast-restore");
    if (fastRestore) {
      f.sim.answering(new FastSnapshotRestoreStandIn().enableEverySnapshotIn(FSR_ZONE));
    }
    Cli.Result over = failover(f, flags);
    assertThat(over.exit()).as(failed(over, invariants)).isZero();
    JsonNode overRecord = JSON.readTree(over.out());
    if (fastRestore) {
      assertThat(overRecord.at("/plan/notes").toString())
          .contains("hydration: Fast Snapshot Restore: every new volume is fully initialized");
      assertThat(createVolumeBodies(f)).isNotEmpty().noneMatch(b -> b.contains("Initialization"));
    }
    lap("failover [" + stepTimes(overRecord) + "]");
    JsonNode plan = overRecord.get("plan");
    Map<Integer, String> targets = new TreeMap<>();
    for (JsonNode v : plan.get("volumes")) {
      targets.put(v.get("ordinal").asInt(), v.get("targetZone").asText());
    }
    assertThat(targets.keySet())
        .as("the plan moves exactly zone b's replicas")
        .isEqualTo(Set.copyOf(moved));
    assertThat(targets.values()).doesNotContain(LOST);
    JsonNode pin = plan.get("pin");
    assertThat(pin.get("required").asBoolean()).as(pin.toString()).isEqualTo(s.pinRequired());
    boolean restarts = pin.get("restartsHealthyReplicas").asBoolean();
    assertThat(restarts)
        .as("the plan says whether healthy replicas restart: %s", pin)
        .isEqualTo(pin.get("apply").asBoolean() && !"OnDelete".equals(s.shape().updateStrategy()));
    assertDone(f, invariants, targets, "zoneguard-fo-", uids, restarts, "failover");
    lap("settle");

    world.recoverZone(LOST);
    f.sim.settle(200, () -> world.zoneReady(LOST, true), "zone b Ready again");
    f.sim.phase("failback");
    Map<String, String> uidsBeforeFailback = invariants.podUids();
    int createVolumesBefore = createVolumeBodies(f).size();
    List<String> backFlags =
        fastRestore ? List.of("--fast-restore", "--initialization-rate", "150") : List.of();
    Cli.Result back = apply(f, "failback", backFlags);
    assertThat(back.exit()).as(failed(back, invariants)).isZero();
    if (fastRestore) {
      // zone b has no FSR for the failback's new snapshots: the provisioned rate applies
      assertThat(createVolumeBodies(f).subList(createVolumesBefore, createVolumeBodies(f).size()))
          .isNotEmpty()
          .allMatch(b -> b.contains("VolumeInitializationRate=150"));
    }
    lap("failback [" + stepTimes(JSON.readTree(back.out())) + "]");
    Map<Integer, String> home = new TreeMap<>();
    targets.keySet().forEach(i -> home.put(i, LOST));
    // restore-affinity changes the template back only where the failover pinned it
    assertDone(f, invariants, home, "zoneguard-fb-", uidsBeforeFailback, restarts, "failback");
    lap("settle");
  }

  /** The bodies of zoneguard's CreateVolume calls so far, in order. */
  private static List<String> createVolumeBodies(SimFixture f) {
    return f.sim.calls().stream()
        .filter(c -> "CreateVolume".equals(c.action()))
        .map(io.zoneguard.testing.FaultProxy.Seen::body)
        .toList();
  }

  /** Why a run failed: what it printed and what the invariants saw meanwhile. */
  private static String failed(Cli.Result r, Invariants invariants) {
    return r.err() + "\ninvariants: " + invariants.violations();
  }

  private static Cli.Result failover(SimFixture f, List<String> flags) {
    return apply(f, "failover", flags);
  }

  /** {@code failover|failback apply} of the scenario's StatefulSet, JSON out, fast polling. */
  private static Cli.Result apply(SimFixture f, String kind, List<String> flags) {
    List<String> args =
        new ArrayList<>(
            List.of(
                kind,
                "apply",
                "-n",
                f.namespace(),
                "--statefulset",
                STS,
                "--yes",
                "-o",
                "json",
                "--wait-timeout",
                WAIT,
                "--poll-interval",
                POLL));
    args.addAll(flags);
    return Cli.run(f.env, args.toArray(String[]::new));
  }

  /**
   * What zoneguard's "done" must mean, asserted the moment it says so (when no template roll is
   * under way) and again once the StatefulSet settled.
   */
  private static void assertDone(
      SimFixture f,
      Invariants invariants,
      Map<Integer, String> targets,
      String pvPrefix,
      Map<String, String> uidsBefore,
      boolean restartsAnnounced,
      String what) {
    SimWorld world = f.world;
    int replicas = invariants.podUids().size();
    List<Integer> moved = List.copyOf(targets.keySet());
    if (!restartsAnnounced) {
      movedReplicasRun(f, invariants, targets, pvPrefix, what + " (when zoneguard said done)");
    }
    f.sim.settle(
        400,
        () -> {
          StatefulSet s =
              f.sim.kube().apps().statefulSets().inNamespace(f.namespace()).withName(STS).get();
          var st = s.getStatus();
          boolean rolled =
              "OnDelete".equals(s.getSpec().getUpdateStrategy().getType())
                  || (st.getUpdateRevision() != null
                      && st.getUpdateRevision().equals(st.getCurrentRevision()));
          return rolled
              && java.util.stream.IntStream.range(0, replicas)
                  .allMatch(i -> world.podReady(STS + "-" + i));
        },
        "every replica Ready and the StatefulSet rolled after the " + what);
    movedReplicasRun(f, invariants, targets, pvPrefix, what + " (settled)");
    assertThat(invariants.violations()).as("I1-I5 after the %s", what).isEmpty();
    List<String> restarted = invariants.unmovedRestarted(uidsBefore, moved);
    if (restartsAnnounced) {
      // the plan said the pin restarts the healthy replicas: it does, as announced
      assertThat(restarted.size())
          .as("unmoved replicas restarted by the announced pin after the %s", what)
          .isEqualTo(replicas - moved.size());
    } else {
      assertThat(restarted).as("I6 after the %s", what).isEmpty();
    }
    List<String> held =
        f.sim.kube().persistentVolumeClaims().inNamespace(f.namespace()).list().getItems().stream()
            .filter(
                c ->
                    c.getMetadata().getFinalizers() != null
                        && c.getMetadata().getFinalizers().contains(HOLD))
            .map(c -> c.getMetadata().getName())
            .toList();
    assertThat(held).as("claims still carrying %s after the %s", HOLD, what).isEmpty();
    assertThat(f.sim.splitBrains()).as("split brain during the %s", what).isEmpty();
    assertThat(f.sim.ungrantedKubeRequests()).as("ungranted requests").isEmpty();
    assertThat(f.sim.errors()).as("controller errors").isEmpty();
  }

  /** Each moved replica: claim on our PV, its own data, pod Ready in its zone writing to it. */
  private static void movedReplicasRun(
      SimFixture f,
      Invariants invariants,
      Map<Integer, String> targets,
      String pvPrefix,
      String when) {
    SimWorld world = f.world;
    targets.forEach((i, zone) -> invariants.assertRestored(i, zone, pvPrefix, when));
    if ("Block"
        .equals(
            f.sim
                .kube()
                .persistentVolumeClaims()
                .inNamespace(f.namespace())
                .withName("data-" + STS + "-" + targets.keySet().iterator().next())
                .get()
                .getSpec()
                .getVolumeMode())) {
      targets
          .keySet()
          .forEach(
              i -> {
                String pv = world.claim("data-" + STS + "-" + i).getSpec().getVolumeName();
                assertThat(
                        f.sim
                            .kube()
                            .persistentVolumes()
                            .withName(pv)
                            .get()
                            .getSpec()
                            .getVolumeMode())
                    .as("volumeMode of %s %s", pv, when)
                    .isEqualTo("Block");
              });
    }
  }
}
