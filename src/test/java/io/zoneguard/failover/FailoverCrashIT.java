package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Keys;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.FaultProxy;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import io.zoneguard.testing.sim.Invariants;
import io.zoneguard.testing.sim.Sim;
import io.zoneguard.testing.sim.SimFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * I7: zoneguard killed between any two of its API calls, then re-run, converges to the end state of
 * a run that was never killed; on the simulation (zone b dead, snapshots pending and volumes
 * creating for seconds, the controllers acting between any two calls), for failover and failback.
 *
 * <p>A reference world runs failover, then failback, never killed: it gives each kind's N (its API
 * calls), steps and {@link World#state end state}. Then, by default, one world runs the same
 * failover and failback while zoneguard is killed at every step boundary in turn ({@link #chain}:
 * at the record's creation, at and right after each write that marks a step done, at and after the
 * finishing write, and at a seeded call inside 3 seeded steps); every killed run must fail with a
 * one-line error and no stack trace, every re-run resumes what the killed one left, and the last
 * one must exit 0 with the reference end state, I1–I5 holding, exactly one restored volume and PV
 * per moved replica and no {@code zoneguard.io/hold} left. In the failback, the world is also left
 * dead for 70 rounds between delete-claims and release-claims: no claim may come back from the
 * template meanwhile. (One world per kind keeps the class within the build's budget; a kill costs a
 * few seconds, a world a minute or two.)
 *
 * <p>{@code -Dcrashpoints=all} runs every k in 1..N of the reference, {@code -Dcrashpoints=5,17,40}
 * exactly those, each in a fresh world with the same seed ({@code crashAt(k)}, recover, 5 rounds,
 * re-run); {@code -Dcrashkind=failover|failback} limits that to one kind; {@code -Dseed=S} replays
 * a schedule. Call counts vary by a poll or two between runs of one seed (zoneguard's waits are in
 * wall time), so every failure names the call actually refused, the steps the record had marked
 * done, the seed and the simulation's event log.
 */
@ExtendWith({AwsExtension.class, MariaDbExtension.class})
class FailoverCrashIT {
  private static final long SEED = Sim.seedProperty(7);
  private static final int MID_STEP_SAMPLE = 3;
  private static final String LOST = "us-east-1b";
  private static final String TARGET = "us-east-1c";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ScratchDatabase db;

  @BeforeAll
  static void data(ScratchDatabase scratch) throws Exception {
    db = scratch;
    SeedData.seed(db, 1);
  }

  @Test
  void failoverThenFailbackKilledAtEveryStepBoundaryConvergeToTheReferenceEndState(AwsBackend aws) {
    long t0 = System.nanoTime();
    Reference fo;
    Reference fb;
    try (World w = World.zoneLost(aws)) {
      fo = w.reference(Kind.FAILOVER);
      w.toFailback();
      fb = w.reference(Kind.FAILBACK);
    }
    System.out.printf(
        "references (failover, then failback): %.1fs%n", (System.nanoTime() - t0) / 1e9);
    String prop = System.getProperty("crashpoints", "");
    List<String> failures = new ArrayList<>();
    if (prop.isBlank()) {
      // failback is killed from the end state of a killed failover: fewer worlds, same coverage
      try (World w = World.zoneLost(aws)) {
        failures.addAll(chain(w, fo));
        if (failures.isEmpty()) {
          w.toFailback();
          failures.addAll(chain(w, fb));
        }
      }
    } else {
      String only = System.getProperty("crashkind", "");
      for (Reference ref : List.of(fo, fb)) {
        if (only.isBlank() || ref.kind().name().equalsIgnoreCase(only)) {
          failures.addAll(freshWorldPerPoint(aws, ref, points(prop, ref.calls().size())));
        }
      }
    }
    System.out.printf(
        "crash sweep: %d failed, %.1fs in all%n", failures.size(), (System.nanoTime() - t0) / 1e9);
    assertThat(failures).as("crash points that did not converge (seed " + SEED + ")").isEmpty();
  }

  // ---- the crash sweep -----------------------------------------------------------------------

  enum Kind {
    FAILOVER,
    FAILBACK
  }

  /** A run never killed: its calls, end state and the steps its record marks done. */
  private record Reference(
      Kind kind, List<FaultProxy.Seen> calls, String state, List<String> steps) {}

  /**
   * The default sample, in one world so that it fits the build: zoneguard is killed at every step
   * boundary in turn — at the record creation and at each record write marking a step done (the
   * step's effect is in place, the record does not say so: the re-run must find it done), at the
   * call right after each of those writes (recorded, nothing of the next step done), at and after
   * the write finishing the record (the run's last calls) — and at a seeded call inside {@value
   * #MID_STEP_SAMPLE} seeded steps. Every killed run must fail cleanly; each re-run resumes from
   * what the previous one left, and the last one must exit 0 with the reference end state. A resume
   * that is not idempotent against any of these states makes a later run or the end state differ.
   */
  private static List<String> chain(World w, Reference ref) {
    List<String> failures = new ArrayList<>();
    long t0 = System.nanoTime();
    Kind kind = ref.kind();
    List<String> steps = ref.steps();
    Random random = new Random(SEED + kind.ordinal());
    List<Integer> order = new ArrayList<>();
    for (int j = 0; j < steps.size(); j++) {
      order.add(j);
    }
    java.util.Collections.shuffle(order, random);
    Set<Integer> mid = new TreeSet<>(order.subList(0, Math.min(MID_STEP_SAMPLE, order.size())));
    Map<String, Integer> length = stepLengths(ref.calls(), steps);
    int kills = 0;
    String heldUid = w.f.world.claim(w.claim()).getMetadata().getUid();
    try {
      kill(w, kind, "at the record's creation", s -> w.recordWithSteps(s, 0), 0);
      kill(w, kind, "right after the record's creation", s -> w.recordWithSteps(s, 0), 1);
      kills += 2;
      for (int j = 0; j < steps.size(); j++) {
        String step = steps.get(j);
        if (mid.contains(j)) {
          // a resumed run starts with ~8 reads, then runs this step: any call before its write
          int r = 1 + random.nextInt(Math.max(1, 7 + length.getOrDefault(step, 1)));
          killAtCall(w, kind, "at call " + r + " of a run resuming at " + step, r);
          kills++;
          if (w.doneSteps().contains(step)) {
            System.out.println(
                kind + " " + step + " finished before that kill: boundary kills skipped");
            continue;
          }
        }
        kill(w, kind, "at the write marking " + step + " done", s -> w.recordedDone(s, step), 0);
        kill(
            w,
            kind,
            "right after the write marking " + step + " done",
            s -> w.recordedDone(s, step),
            1);
        kills += 2;
        if (kind == Kind.FAILBACK && step.equals("stop-pods")) {
          w.noClaimFromTheTemplateWhileDead(heldUid);
        }
      }
      kill(w, kind, "at the write finishing the record", w::recordFinished, 0);
      kill(w, kind, "right after the write finishing the record", w::recordFinished, 1);
      kills += 2;
      Cli.Result last = w.run(kind);
      assertThat(last.exit()).as("the last re-run; stderr:\n" + last.err()).isZero();
      w.assertConverged(kind, ref.state());
    } catch (Throwable t) {
      failures.add(t.getMessage() + w.sim().report());
      System.out.println(kind + " CHAIN FAILED: " + t.getMessage() + w.sim().report());
    }
    System.out.printf(
        "%s chain: %d kills (mid-step in %s), %.1fs%n",
        kind, kills, mid.stream().map(steps::get).toList(), (System.nanoTime() - t0) / 1e9);
    return failures;
  }

  /** Calls the reference run made per step: from the write marking the previous step done. */
  private static Map<String, Integer> stepLengths(List<FaultProxy.Seen> calls, List<String> steps) {
    Map<String, Integer> out = new java.util.HashMap<>();
    int from = 0;
    int done = 0;
    for (int i = 0; i < calls.size() && done < steps.size(); i++) {
      FailoverRecord r = World.recordOf(calls.get(i));
      if (r != null && r.steps().size() > done) {
        out.put(steps.get(done), i - from);
        from = i;
        done = r.steps().size();
      }
    }
    return out;
  }

  /** One killed run of the chain: it must fail cleanly where the trigger says. */
  private static void kill(
      World w,
      Kind kind,
      String where,
      java.util.function.Predicate<FaultProxy.Seen> trigger,
      int after) {
    int base = w.sim().callCount();
    w.sim().crashWhen(trigger, after);
    killed(w, kind, where, base);
  }

  private static void killAtCall(World w, Kind kind, String where, int k) {
    int base = w.sim().callCount();
    w.sim().crashAt(k);
    killed(w, kind, where, base);
  }

  private static void killed(World w, Kind kind, String where, int base) {
    List<String> before = w.doneSteps();
    Cli.Result r = w.run(kind);
    String call = w.refusedCall(base);
    String what =
        kind + " killed " + where + " (call " + call + ", steps recorded before " + before + ")";
    try {
      assertThat(w.sim().crashed()).as("the kill point was reached").isTrue();
      assertFailedCleanly(r);
    } catch (AssertionError e) {
      throw new AssertionError(what + ": " + e.getMessage(), e);
    }
    System.out.println(what + " -> steps recorded " + w.doneSteps());
    w.sim().recover();
    w.sim().rounds(5);
  }

  /** {@code -Dcrashpoints=all|k1,k2,...}: a fresh world (same seed) per crash point k. */
  private static List<String> freshWorldPerPoint(
      AwsBackend aws, Reference ref, List<Integer> points) {
    List<String> failures = new ArrayList<>();
    Kind kind = ref.kind();
    for (int k : points) {
      long t1 = System.nanoTime();
      try (World w = kind == Kind.FAILOVER ? World.zoneLost(aws) : World.failedOver(aws)) {
        try {
          crashAt(w, kind, k, ref.state());
        } catch (AssertionError e) {
          failures.add(e.getMessage());
          System.out.println("CRASH POINT k=" + k + " FAILED: " + e.getMessage());
        }
      }
      System.out.printf(
          "%s k=%d/%d done in %.1fs%n",
          kind, k, ref.calls().size(), (System.nanoTime() - t1) / 1e9);
    }
    return failures;
  }

  private static List<Integer> points(String prop, int n) {
    TreeSet<Integer> ks = new TreeSet<>();
    if (prop.equals("all")) {
      for (int k = 1; k <= n; k++) {
        ks.add(k);
      }
    } else {
      for (String s : prop.split(",")) {
        ks.add(Integer.parseInt(s.strip()));
      }
    }
    return List.copyOf(ks);
  }

  private static void crashAt(World w, Kind kind, int k, String reference) {
    int base = w.sim().callCount();
    String where = "";
    try {
      w.sim().crashAt(k);
      Cli.Result crashed = w.run(kind);
      where = w.refusedCall(base) + " (steps recorded done: " + w.doneSteps() + ")";
      assertFailedCleanly(crashed);
      w.sim().recover();
      w.sim().rounds(5);
      Cli.Result again = w.run(kind);
      assertThat(again.exit()).as("re-run exit; stderr:\n" + again.err()).isZero();
      w.assertConverged(kind, reference);
    } catch (Throwable t) {
      throw new AssertionError(
          kind
              + " crashed at k="
              + k
              + ", call "
              + where
              + ", seed "
              + SEED
              + ": "
              + t.getMessage()
              + w.sim().report(),
          t);
    }
  }

  /** The crash run: non-zero exit, one {@code zoneguard: } line, no stack trace. */
  private static void assertFailedCleanly(Cli.Result r) {
    assertThat(r.exit()).as("exit of the killed run; stderr:\n" + r.err()).isNotZero();
    List<String> lines = r.err().lines().toList();
    List<String> errors = lines.stream().filter(l -> l.startsWith("zoneguard: ")).toList();
    assertThat(errors).as("one error line in:\n" + r.err()).hasSize(1);
    assertThat(errors.get(0)).as("error line").doesNotContain("unexpected error");
    assertThat(r.err())
        .as("no stack trace")
        .doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(")
        .doesNotContain("Caused by:");
  }

  // ---- one simulated world -------------------------------------------------------------------

  /** A fresh simulation (same seed every time) prepared up to the command under test. */
  private static final class World implements AutoCloseable {
    final SimFixture f;
    final Invariants invariants;
    final int lost;

    private World(AwsBackend aws) {
      f = new SimFixture(aws, SEED);
      invariants = new Invariants(f.sim, f.world, "mysql").recordOriginals(3);
      lost = ordinalIn(LOST);
    }

    Sim sim() {
      return f.sim;
    }

    /** Backed up, zone b lost and NotReady: ready for {@code failover apply}. */
    static World zoneLost(AwsBackend aws) {
      World w = new World(aws);
      w.sim()
          .run(
              () -> {
                Cli.Result backup = Cli.run(w.f.env, w.f.backupArgs(db, "--no-checksums"));
                assertThat(backup.exit()).as(backup.err()).isZero();
                w.f.world.loseZone(LOST);
                w.sim().settle(200, () -> w.zoneReady(false), "zone b NotReady");
                w.sim().phase("failover");
              });
      return w;
    }

    /** Failed over (no crash), zone b back and Ready: ready for {@code failback apply}. */
    static World failedOver(AwsBackend aws) {
      World w = zoneLost(aws);
      w.sim()
          .run(
              () -> {
                Cli.Result over = w.run(Kind.FAILOVER);
                assertThat(over.exit()).as(over.err()).isZero();
              });
      w.toFailback();
      return w;
    }

    /** Zone b comes back and is Ready: the failed-over world is ready for failback. */
    void toFailback() {
      sim()
          .run(
              () -> {
                f.world.recoverZone(LOST);
                sim().settle(200, () -> zoneReady(true), "zone b Ready again");
                sim().phase("failback");
              });
    }

    /** Runs {@code kind} never killed, checks it and keeps what the crash runs compare with. */
    Reference reference(Kind kind) {
      int base = sim().calls().size();
      sim()
          .run(
              () -> {
                Cli.Result r = run(kind);
                assertThat(r.exit()).as(r.err()).isZero();
              });
      List<FaultProxy.Seen> calls = List.copyOf(sim().calls().subList(base, sim().calls().size()));
      String state = state(kind);
      sim().run(() -> assertConverged(kind, state));
      System.out.printf(
          "%s reference: N=%d calls, steps %s, seed %d%n%s",
          kind, calls.size(), doneSteps(), SEED, state);
      return new Reference(kind, calls, state, doneSteps());
    }

    /** The moved replica's claim. */
    String claim() {
      return "data-mysql-" + lost;
    }

    /**
     * The window issue 11 defect 1 is about: the moved replica's claim is held and deleted and its
     * pod stopped, but no pre-bound PV holds its data yet. zoneguard died there and nobody re-runs
     * it for 70 rounds: the StatefulSet controller must not create the claim from the template
     * meanwhile (the held claim stays Terminating, and {@code createPersistentVolumeClaims} in
     * {@code stateful_pod_control.go} answers "pvc is being deleted", so no pod either) — else the
     * EBS driver would provision it EMPTY and MySQL start on it (I1).
     */
    void noClaimFromTheTemplateWhileDead(String heldUid) {
      assertThat(doneSteps())
          .contains("delete-claims", "stop-pods")
          .doesNotContain("release-claims");
      sim().rounds(70);
      PersistentVolumeClaim held = f.world.claim(claim());
      assertThat(held).as("the held claim is still there after 70 rounds").isNotNull();
      assertThat(held.getMetadata().getUid())
          .as("no claim was recreated from the template while zoneguard was dead")
          .isEqualTo(heldUid);
      assertThat(held.getMetadata().getDeletionTimestamp()).as("still Terminating").isNotNull();
      assertThat(f.world.pod("mysql-" + lost)).as("no pod for the moved replica").isNull();
      assertThat(invariants.violations()).as("I1-I5 while dead").isEmpty();
      System.out.println(
          "FAILBACK dead for 70 rounds between delete-claims and release-claims: no claim recreated");
    }

    Cli.Result run(Kind kind) {
      String ns = f.namespace();
      return kind == Kind.FAILOVER
          ? Cli.run(
              f.env,
              "failover",
              "apply",
              "-n",
              ns,
              "--statefulset",
              "mysql",
              "--to-zone",
              TARGET,
              "--yes",
              "--wait-timeout",
              "180s")
          : Cli.run(
              f.env,
              "failback",
              "apply",
              "-n",
              ns,
              "--statefulset",
              "mysql",
              "--yes",
              "--wait-timeout",
              "180s");
    }

    /** The replica whose pod runs in {@code zone} now (found from the world, not assumed). */
    private int ordinalIn(String zone) {
      for (Pod p : f.world.pods("mysql")) {
        if (zone.equals(f.world.zoneOfNode(p.getSpec().getNodeName()))) {
          String name = p.getMetadata().getName();
          return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        }
      }
      throw new AssertionError("no replica runs in " + zone + f.sim.report());
    }

    boolean zoneReady(boolean ready) {
      List<Node> nodes =
          f.sim.kube().nodes().withLabel("topology.kubernetes.io/zone", LOST).list().getItems();
      return nodes.stream()
          .allMatch(
              n ->
                  ready
                      == n.getStatus().getConditions().stream()
                          .anyMatch(
                              c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
    }

    FailoverRecord record() {
      StatefulSet s =
          f.sim.kube().apps().statefulSets().inNamespace(f.namespace()).withName("mysql").get();
      String raw =
          s.getMetadata().getAnnotations() == null
              ? null
              : s.getMetadata().getAnnotations().get(Keys.FAILOVER_ANNOTATION);
      return raw == null ? null : RecordCodec.read(raw, "test");
    }

    List<String> doneSteps() {
      FailoverRecord r = record();
      return r == null ? List.of() : r.steps().stream().map(FailoverRecord.StepRun::id).toList();
    }

    /** The record a call writes, if it is a write of the StatefulSet carrying one. */
    static FailoverRecord recordOf(FaultProxy.Seen s) {
      if (!"PUT".equals(s.method()) && !"PATCH".equals(s.method())
          || !s.uri().split("\\?")[0].endsWith("/statefulsets/mysql")) {
        return null;
      }
      try {
        JsonNode a = JSON.readTree(s.body()).path("metadata").path("annotations");
        JsonNode raw = a.get(Keys.FAILOVER_ANNOTATION);
        return raw == null || !raw.isTextual() ? null : RecordCodec.read(raw.asText(), "call");
      } catch (java.io.IOException | RuntimeException e) {
        return null;
      }
    }

    /** The call writes the record with {@code n} steps done (0: its creation). */
    boolean recordWithSteps(FaultProxy.Seen s, int n) {
      FailoverRecord r = recordOf(s);
      return r != null && r.steps().size() == n && !r.finished();
    }

    /** The call writes the finished record. */
    boolean recordFinished(FaultProxy.Seen s) {
      FailoverRecord r = recordOf(s);
      return r != null && r.finished();
    }

    /** The call is the record write that marks {@code step} done. */
    boolean recordedDone(FaultProxy.Seen s, String step) {
      FailoverRecord r = recordOf(s);
      return r != null
          && !r.steps().isEmpty()
          && r.steps().get(r.steps().size() - 1).id().equals(step);
    }

    /** What the simulation log says zoneguard's first refused call after {@code base} was. */
    String refusedCall(int base) {
      for (String e : f.sim.log.entries()) {
        if (e.startsWith("ZG #") && e.contains(" (refused) ")) {
          int n = Integer.parseInt(e.substring(4, e.indexOf(' ', 4)));
          if (n > base) {
            return "#" + (n - base) + " " + e.substring(e.indexOf(" (refused) ") + 11);
          }
        }
      }
      return "(none refused)";
    }

    /**
     * The end state compared between the reference run and a crashed-then-re-run one (I7). It is
     * {@link Invariants#endState} (per replica: pod Ready and not terminating, its zone, whose data
     * its claim's volume holds, and that the running container writes that volume) plus what
     * zoneguard owns: the record (kind, finished, the steps done in order), the claims' PV name
     * family ({@code zoneguard-fo-}/{@code zoneguard-fb-}/provisioned) and finalizers, those PVs'
     * zone and reclaim policy, the backup sets still kept from retention (none once a run is done),
     * and the template's placement (nodeSelector, affinity).
     *
     * <p>Left out because they legitimately differ: EBS volume and snapshot ids, the run id inside
     * PV names and tags (a run killed before its record was written is re-planned with a new id),
     * UIDs, resourceVersions, timestamps and durations, and step summaries (a re-run finds work
     * done and reports less of it).
     */
    String state(Kind kind) {
      StringBuilder b = new StringBuilder(invariants.endState());
      FailoverRecord r = record();
      b.append("record: ")
          .append(r == null ? "none" : r.kind() + " finished=" + r.finished() + " " + doneSteps())
          .append('\n');
      for (int i = 0; i < 3; i++) {
        PersistentVolumeClaim c = f.world.claim("data-mysql-" + i);
        if (c == null) {
          b.append("data-mysql-").append(i).append(": no claim\n");
          continue;
        }
        String pvName = c.getSpec().getVolumeName();
        PersistentVolume pv =
            pvName == null ? null : f.sim.kube().persistentVolumes().withName(pvName).get();
        b.append("data-mysql-")
            .append(i)
            .append(": pv=")
            .append(family(pvName))
            .append(" finalizers=")
            .append(
                new TreeSet<>(
                    Objects.requireNonNullElse(c.getMetadata().getFinalizers(), List.<String>of())))
            .append(" terminating=")
            .append(c.getMetadata().getDeletionTimestamp() != null)
            .append(" reclaim=")
            .append(pv == null ? "-" : pv.getSpec().getPersistentVolumeReclaimPolicy())
            .append(" pv-zone=")
            .append(pv == null ? "-" : pvZone(pv))
            .append('\n');
      }
      StatefulSet s =
          f.sim.kube().apps().statefulSets().inNamespace(f.namespace()).withName("mysql").get();
      var podSpec = s.getSpec().getTemplate().getSpec();
      b.append("backup sets kept from retention: ")
          .append(s.getMetadata().getAnnotations().get(Keys.IN_USE_SETS_ANNOTATION))
          .append('\n');
      b.append("template: nodeSelector=")
          .append(
              podSpec.getNodeSelector() == null ? "{}" : new TreeMap<>(podSpec.getNodeSelector()))
          .append(" affinity=")
          .append(podSpec.getAffinity() == null ? "none" : podSpec.getAffinity().toString())
          .append('\n');
      return b.toString();
    }

    private static String family(String pvName) {
      if (pvName == null) {
        return "-";
      }
      if (pvName.startsWith("zoneguard-fo-")) {
        return "zoneguard-fo-*";
      }
      if (pvName.startsWith("zoneguard-fb-")) {
        return "zoneguard-fb-*";
      }
      return "provisioned";
    }

    private static String pvZone(PersistentVolume pv) {
      try {
        return pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().stream()
            .flatMap(t -> t.getMatchExpressions().stream())
            .filter(e -> e.getKey().contains("zone"))
            .flatMap(e -> e.getValues().stream())
            .sorted()
            .collect(Collectors.joining(","));
      } catch (NullPointerException e) {
        return "?";
      }
    }

    /**
     * After the (re-)run: the end state equals the reference (null: only the rules below), I1–I5
     * hold, exactly one restored volume and one zoneguard PV per moved replica for this kind, no
     * hold finalizer left, and the lost replica's data is where the kind puts it.
     */
    void assertConverged(Kind kind, String reference) {
      String now = state(kind);
      if (reference != null) {
        assertThat(now).as("end state after the re-run vs the reference run").isEqualTo(reference);
      }
      assertThat(invariants.violations()).as("I1-I5").isEmpty();
      String claim = "data-mysql-" + lost;
      String prefix = kind == Kind.FAILOVER ? "zoneguard-fo-" : "zoneguard-fb-";
      List<String> pvs =
          f.sim.kube().persistentVolumes().list().getItems().stream()
              .filter(p -> p.getMetadata().getName().startsWith(prefix))
              .filter(
                  p ->
                      p.getSpec().getClaimRef() != null
                          && f.namespace().equals(p.getSpec().getClaimRef().getNamespace())
                          && claim.equals(p.getSpec().getClaimRef().getName()))
              .map(p -> p.getMetadata().getName())
              .toList();
      assertThat(pvs).as("one " + prefix + " PV for " + claim).hasSize(1);
      String zone = kind == Kind.FAILOVER ? TARGET : LOST;
      List<String> restored =
          f
              .aws
              .ec2()
              .describeVolumes(
                  r ->
                      r.filters(
                          tag(Keys.TAG_NAMESPACE, f.namespace()),
                          tag(Keys.TAG_PVC, claim),
                          Filter.builder().name("availability-zone").values(zone).build()))
              .volumes()
              .stream()
              .filter(v -> v.tags().stream().anyMatch(t -> t.key().equals(Keys.TAG_FAILOVER_ID)))
              .map(v -> v.volumeId())
              .toList();
      assertThat(restored).as("one restored volume for " + claim + " in " + zone).hasSize(1);
      assertThat(f.world.volumeOf(claim)).isEqualTo(restored.get(0));
      assertThat(invariants.lineage(restored.get(0))).isEqualTo(lost);
      for (PersistentVolumeClaim c :
          f.sim.kube().persistentVolumeClaims().inNamespace(f.namespace()).list().getItems()) {
        assertThat(c.getMetadata().getFinalizers())
            .as("no orphaned hold on " + c.getMetadata().getName())
            .doesNotContain(Keys.HOLD_FINALIZER);
      }
      Pod p = f.world.pod("mysql-" + lost);
      assertThat(p).isNotNull();
      assertThat(f.world.zoneOfNode(p.getSpec().getNodeName())).isEqualTo(zone);
      assertThat(f.sim.ungrantedKubeRequests()).isEmpty();
    }

    private static Filter tag(String key, String value) {
      return Filter.builder().name("tag:" + key).values(value).build();
    }

    @Override
    public void close() {
      f.close();
    }
  }
}
