package io.zoneguard.testing.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.aws.AwsClients;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.FaultProxy;
import io.zoneguard.testing.MockKube;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * An upstream-faithful simulation of the Kubernetes controllers zoneguard races against, over the
 * fabric8 CRUD mock and moto EC2. See {@code package-info.java} for how to use it.
 *
 * <p>The controllers act only in rounds: at every API call zoneguard makes (Kubernetes, EC2 or S3;
 * both go through a {@link FaultProxy} gate) the simulation runs a seeded random number of rounds,
 * each running the controllers in a seeded random order, before the call is forwarded. So the
 * controllers can act between any two of zoneguard's calls, and one seed gives one schedule. {@link
 * #crashAt(int)} fails every call from the n-th on: the CLI run aborts there as if killed.
 */
public final class Sim implements AutoCloseable {
  /** Rounds a pod's graceful termination takes on a live node. */
  static final int GRACE_TICKS = 3;

  /**
   * Rounds between a volume becoming free to detach and its detach: the kubelet unmounts first
   * (UnmountDevice), the attach/detach reconciler acts on its next pass, and EBS takes seconds to
   * report a detached volume {@code available}. Without it the volume is free in the very round the
   * pod object goes, and a failback that snapshots too early could never be caught.
   */
  static final int DETACH_ROUNDS = 10;

  /** Rounds from a pod's scheduling until its containers run and it reports Ready. */
  static final int START_TICKS = 1;

  /** PodGC's period (20 s upstream, {@code gcCheckPeriod}), in rounds. */
  static final int PODGC_TICKS = 2;

  private static final Pattern POD_DELETE =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)");

  public final long seed;
  public final SimLog log = new SimLog();
  final KubernetesClient kube;
  final Ec2Client ec2;
  private final MockKube mock;
  private final AwsClients aws;
  final String awsEndpoint;
  private final Random random;
  private final List<Controller> controllers = new ArrayList<>();
  private final FaultProxy kubeGate;
  private final FaultProxy awsGate;
  private final Path kubeconfig;
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final List<FaultProxy.Seen> calls = new CopyOnWriteArrayList<>();

  /** Nodes whose kubelet cannot reach the API server (network partition); instances run on. */
  final Set<String> partitioned = ConcurrentHashMap.newKeySet();

  /**
   * Nodes whose OS hung: EC2 still says the instance runs, but its kubelet and containers are dead
   * (what an operator's {@code --confirm-nodes-down} vouches for and EC2 cannot show).
   */
  final Set<String> hung = ConcurrentHashMap.newKeySet();

  /** Containers that run, by pod key: the truth of who writes on which volume. */
  final Map<String, Container> running = new ConcurrentHashMap<>();

  /** Every container start, in order (I1 checks each one's volumes). */
  public final List<Container> starts = new CopyOnWriteArrayList<>();

  /** What the gate saw zoneguard do that the invariants judge. */
  final CallObserver observer = new CallObserver(this);

  /** Volumes the attach/detach controller attached (moto's instance root volumes are not). */
  final Set<String> attachedBySim = ConcurrentHashMap.newKeySet();

  /** StatefulSet revisions seen (hash to template JSON), as ControllerRevisions keep them. */
  final Map<String, String> revisions = new ConcurrentHashMap<>();

  private Map<String, InstanceStateName> instanceStates = Map.of();
  private volatile boolean instancesDirty = true;
  private int tick;
  private int callCount;
  private int crashAt = -1;
  private boolean crashed;
  private java.util.function.Predicate<FaultProxy.Seen> crashTrigger;
  private int crashAfterTrigger;
  private int maxRoundsPerCall = 3;

  /** A running container: pod identity, node, and the EBS volumes it writes to. */
  public record Container(String pod, String uid, String node, List<String> volumes, int since) {}

  interface Controller {
    String name();

    void reconcile();
  }

  private Sim(AwsBackend backend, long seed) throws IOException {
    this.seed = seed;
    this.random = new Random(seed);
    this.mock = new MockKube(false);
    this.kube = mock.client();
    this.aws = backend.clients();
    this.awsEndpoint = String.valueOf(backend.endpoint());
    this.ec2 = aws.ec2();
    controllers.add(new StatefulSetController(this));
    controllers.add(new PvController(this));
    controllers.add(new Scheduler(this));
    controllers.add(new PvcProtection(this));
    controllers.add(new Kubelet(this));
    controllers.add(new NodeLifecycle(this));
    kubeGate =
        new FaultProxy(URI.create(mock.url()), s -> false, 403, "Forbidden")
            .withGate(gate(), s -> crashed);
    awsGate =
        new FaultProxy(backend.endpoint(), s -> false, 403, "UnauthorizedOperation")
            .withGate(gate(), s -> crashed)
            .withVolumesCreatingFor(Duration.ofSeconds(2))
            .withSnapshotsPendingFor(Duration.ofSeconds(3));
    Path dir = Files.createTempDirectory("zoneguard-sim");
    kubeconfig = MockKube.writeKubeconfig(dir, kubeGate.endpoint().toString());
  }

  /** A new simulation on its own mock API server, over the run's AWS emulator. */
  public static Sim start(AwsBackend backend, long seed) {
    try {
      return new Sim(backend, seed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The seed of {@code -Dseed=N}, else a fixed one (the default CI schedule). */
  public static long seedProperty(long fallback) {
    return Long.getLong("seed", fallback);
  }

  public KubernetesClient kube() {
    return kube;
  }

  public Ec2Client ec2() {
    return ec2;
  }

  /** What zoneguard's requests need: the kubeconfig and AWS endpoint behind the gates. */
  public Map<String, String> cliEnv(Map<String, String> base) {
    Map<String, String> env = new HashMap<>(base);
    env.put("ZONEGUARD_KUBECONFIG", kubeconfig.toString());
    env.put("ZONEGUARD_AWS_ENDPOINT", awsGate.endpoint().toString());
    return env;
  }

  private volatile FaultProxy.Gate answers;

  /**
   * Lets {@code g} answer calls the emulators do not implement (e.g. EC2's Fast Snapshot Restore
   * API, which moto lacks) before they are forwarded.
   */
  public Sim answering(FaultProxy.Gate g) {
    this.answers = g;
    return this;
  }

  /** The kubeconfig pointing at the Kubernetes gate (what {@link #cliEnv} hands zoneguard). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The AWS gate's endpoint (what {@link #cliEnv} hands zoneguard). */
  public URI awsGateEndpoint() {
    return awsGate.endpoint();
  }

  /** zoneguard's calls so far (Kubernetes and AWS), with bodies, in order. */
  public List<FaultProxy.Seen> calls() {
    return List.copyOf(calls);
  }

  public List<String> ungrantedKubeRequests() {
    return mock.audit().ungranted();
  }

  /**
   * Every time a second container of one pod identity was about to start while the first still ran
   * (two MySQL writers on one lineage); the kubelet refuses it and logs {@code SPLIT BRAIN}.
   */
  public List<String> splitBrains() {
    return log.entries().stream().filter(e -> e.contains("SPLIT BRAIN")).toList();
  }

  /** Errors a controller hit (conflicts with zoneguard's writes are retried, not listed). */
  public List<Throwable> errors() {
    return List.copyOf(errors);
  }

  /** At most {@code n} rounds between two of zoneguard's calls (0 turns interleaving off). */
  public Sim maxRoundsPerCall(int n) {
    this.maxRoundsPerCall = n;
    return this;
  }

  public synchronized int maxRoundsPerCall() {
    return maxRoundsPerCall;
  }

  /** zoneguard's {@code n}-th call from now, and every later one, fails: the run aborts there. */
  public synchronized Sim crashAt(int n) {
    crashAt = callCount + n;
    crashed = n <= 0;
    return this;
  }

  /**
   * zoneguard dies at its {@code after}-th call after the first call matching {@code trigger} (that
   * call itself goes through): a crash point named by what happened (e.g. the record write marking
   * a step done) rather than by a count, which varies with zoneguard's wall-time polls.
   */
  public synchronized Sim crashWhen(
      java.util.function.Predicate<FaultProxy.Seen> trigger, int after) {
    crashTrigger = trigger;
    crashAfterTrigger = after;
    crashAt = -1;
    crashed = false;
    return this;
  }

  /** Calls made so far (to choose crash points). */
  public synchronized int callCount() {
    return callCount;
  }

  /** After a crash: the next run goes through again. */
  public synchronized Sim recover() {
    crashAt = -1;
    crashTrigger = null;
    crashed = false;
    return this;
  }

  public synchronized boolean crashed() {
    return crashed;
  }

  private FaultProxy.Gate gate() {
    return new FaultProxy.Gate() {
      @Override
      public void before(FaultProxy.Seen s) {
        beforeCall(s);
      }

      @Override
      public FaultProxy.Reply intercept(FaultProxy.Seen s) {
        FaultProxy.Reply refused = preconditionFailed(s);
        FaultProxy.Gate more = answers;
        return refused != null || more == null ? refused : more.intercept(s);
      }

      @Override
      public void after(FaultProxy.Seen s, int status) {
        afterCall(s, status);
      }
    };
  }

  private synchronized void beforeCall(FaultProxy.Seen s) {
    callCount++;
    if (crashTrigger != null && !crashed && crashTrigger.test(s)) {
      crashAt = callCount + crashAfterTrigger;
      crashTrigger = null;
      log.add(tick, "CRASH", "trigger matched at call #" + callCount);
    }
    if (crashAt >= 0 && callCount >= crashAt && !crashed) {
      crashed = true;
      log.add(tick, "CRASH", "zoneguard dies before call #" + callCount);
    }
    String what = s.action() != null ? "EC2 " + s.action() : s.method() + " " + s.uri();
    log.add(tick, "ZG", "#" + callCount + (crashed ? " (refused) " : " ") + what);
    if (crashed) {
      return;
    }
    calls.add(s);
    int rounds = maxRoundsPerCall == 0 ? 0 : random.nextInt(maxRoundsPerCall + 1);
    for (int i = 0; i < rounds; i++) {
      round();
    }
    observer.before(s);
  }

  private static final Pattern NAMED =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/(pods|persistentvolumeclaims)/([^/?]+)$");
  private static final Pattern PRECONDITION_UID =
      Pattern.compile("\"preconditions\"\\s*:\\s*\\{[^}]*\"uid\"\\s*:\\s*\"([^\"]+)\"");

  /**
   * The CRUD mock ignores {@code DeleteOptions.preconditions}; the API server refuses a delete
   * whose UID precondition does not match the object with 409 Conflict ({@code
   * apiserver/pkg/registry/generic/registry/store.go} Delete, {@code Preconditions.Check}).
   */
  private synchronized FaultProxy.Reply preconditionFailed(FaultProxy.Seen s) {
    if (!"DELETE".equals(s.method())) {
      return null;
    }
    Matcher m = NAMED.matcher(s.uri().split("\\?", 2)[0]);
    Matcher u = PRECONDITION_UID.matcher(s.body());
    if (!m.find() || !u.find()) {
      return null;
    }
    var object =
        m.group(2).equals("pods")
            ? kube.pods().inNamespace(m.group(1)).withName(m.group(3)).get()
            : kube.persistentVolumeClaims().inNamespace(m.group(1)).withName(m.group(3)).get();
    if (object == null || u.group(1).equals(object.getMetadata().getUid())) {
      return null;
    }
    String msg =
        "Precondition failed: UID in precondition: "
            + u.group(1)
            + ", UID in object meta: "
            + object.getMetadata().getUid();
    log.add(tick, "API", "409 for DELETE " + m.group(2) + " " + m.group(3) + ": " + msg);
    return new FaultProxy.Reply(
        409,
        "application/json",
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\""
            + msg
            + "\",\"reason\":\"Conflict\",\"code\":409}");
  }

  /**
   * After the mock applied one of zoneguard's calls: the facts the invariants judge, and the API
   * server's pod deletion semantics the CRUD mock lacks ({@link #gracePeriod}).
   */
  private synchronized void afterCall(FaultProxy.Seen s, int status) {
    if (s.action() != null
        && s.action().endsWith("Instances")
        && !s.action().startsWith("Describe")) {
      instancesDirty = true; // StopInstances and the like: re-read the states next round
    }
    if (!s.failed()) {
      observer.after(s, status);
    }
    Matcher m = POD_DELETE.matcher(s.uri());
    if (status / 100 == 2 && "DELETE".equals(s.method()) && m.find()) {
      Pod p = kube.pods().inNamespace(m.group(1)).withName(m.group(2)).get();
      if (p != null && gracePeriod(s, p) == 0) {
        log.add(tick, "API", "pod " + m.group(1) + "/" + m.group(2) + " deleted at once (grace 0)");
        forceRemove(m.group(1), m.group(2));
      }
    }
  }

  private static final Pattern GRACE =
      Pattern.compile("\"?gracePeriodSeconds\"?\\s*[:=]\\s*(\\d+)");

  /**
   * The grace period the API server gives a pod DELETE ({@code pkg/registry/core/pod/strategy.go}
   * {@code CheckGracefulDelete}): the request's {@code gracePeriodSeconds}, else the pod's {@code
   * spec.terminationGracePeriodSeconds} (the API server defaults it to 30 at creation), but 0 for a
   * pod not scheduled yet or already Succeeded/Failed. With 0 the object goes at once ({@code
   * registry/generic/registry/store.go} Delete: no kubelet confirmation).
   */
  static long gracePeriod(FaultProxy.Seen s, Pod p) {
    if (p.getSpec().getNodeName() == null) {
      return 0; // "if the pod is not scheduled, delete immediately"
    }
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return 0; // "if the pod is already terminated, delete immediately"
    }
    Matcher g = GRACE.matcher(s.body() + " " + s.uri());
    if (g.find()) {
      return Long.parseLong(g.group(1));
    }
    Long spec = p.getSpec().getTerminationGracePeriodSeconds();
    return spec == null ? 30 : spec;
  }

  private long roundNanos;

  /** Wall time spent in rounds so far, in seconds (the simulated controllers' share of a run). */
  public synchronized double roundSeconds() {
    return roundNanos / 1e9;
  }

  /** Mean wall time of a round so far, in milliseconds (the cost of interleaving). */
  public synchronized double meanRoundMillis() {
    return tick == 0 ? 0 : roundNanos / 1e6 / tick;
  }

  /** One round: every controller once, in a seeded order. */
  public synchronized void round() {
    long t0 = System.nanoTime();
    try {
      oneRound();
    } finally {
      roundNanos += System.nanoTime() - t0;
    }
  }

  private void oneRound() {
    tick++;
    refreshInstances();
    List<Controller> order = new ArrayList<>(controllers);
    Collections.shuffle(order, random);
    for (Controller c : order) {
      try {
        c.reconcile();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          errors.add(e);
        }
        log.add(tick, c.name(), "retry next round: " + firstLine(e.getMessage()));
      } catch (RuntimeException e) {
        errors.add(e);
        log.add(tick, c.name(), "error: " + e);
      }
    }
  }

  /** Rounds until {@code until} holds; fails after {@code max} rounds with the log. */
  public void settle(int max, BooleanSupplier until, String what) {
    for (int i = 0; i < max; i++) {
      if (until.getAsBoolean()) {
        return;
      }
      round();
    }
    if (!until.getAsBoolean()) {
      throw new AssertionError(
          "simulation did not reach: " + what + " within " + max + " rounds" + report());
    }
  }

  /** {@code n} rounds. */
  public void rounds(int n) {
    for (int i = 0; i < n; i++) {
      round();
    }
  }

  /** Seed, how to replay, and the tail of the event log: appended to every failure. */
  public String report() {
    return "\n--- simulation seed "
        + seed
        + " (replay with -Dseed="
        + seed
        + "); last events:\n"
        + log.tail(120);
  }

  /** Runs {@code body}; any failure carries the seed and the event log. */
  public void run(ThrowingRunnable body) {
    try {
      body.run();
    } catch (Throwable t) {
      AssertionError e = new AssertionError(String.valueOf(t.getMessage()) + report(), t);
      throw e;
    }
  }

  /** A test body that may throw. */
  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  int tick() {
    return tick;
  }

  /** Rounds run so far (for timing reports). */
  public synchronized int roundsRun() {
    return tick;
  }

  Random random() {
    return random;
  }

  /** A line in the event log from the test (e.g. what the operator does). */
  public void note(String what) {
    note("TEST", what);
  }

  void note(String who, String what) {
    log.add(tick, who, what);
  }

  // ---- EC2 facts -----------------------------------------------------------------------------

  /**
   * Re-reads the instances' EC2 states only when they may have changed: a node (instance) the cache
   * does not know, a state change through {@link #instancesChanged()} (the world stopping or
   * starting a zone), or one of zoneguard's EC2 calls that acts on instances. moto applies
   * StopInstances/StartInstances at once (no {@code stopping} phase), so nothing else changes them;
   * a describe per round would be the most expensive part of a round.
   */
  private void refreshInstances() {
    List<String> ids =
        kube.nodes().list().getItems().stream()
            .map(Sim::instanceId)
            .filter(java.util.Objects::nonNull)
            .toList();
    if (!instancesDirty && instanceStates.keySet().containsAll(ids)) {
      return;
    }
    instancesDirty = false;
    Map<String, InstanceStateName> m = new HashMap<>();
    if (ids.isEmpty()) {
      instanceStates = m;
      return;
    }
    for (var r : ec2.describeInstances(x -> x.instanceIds(ids)).reservations()) {
      for (Instance i : r.instances()) {
        m.put(i.instanceId(), i.state().name());
      }
    }
    instanceStates = m;
  }

  /** Someone changed instance states outside zoneguard's calls: re-read them next round. */
  public void instancesChanged() {
    instancesDirty = true;
  }

  static String instanceId(Node n) {
    String p = n.getSpec() == null ? null : n.getSpec().getProviderID();
    return p == null ? null : p.substring(p.lastIndexOf('/') + 1);
  }

  /** The node's EC2 instance runs (whatever the API server believes about the node). */
  boolean instanceRunning(Node n) {
    return instanceStates.get(instanceId(n)) == InstanceStateName.RUNNING;
  }

  /** Asks EC2 now (between rounds the cached state may be a round old). */
  boolean instanceRunningNow(Node n) {
    String id = instanceId(n);
    if (id == null) {
      return false;
    }
    for (var r : ec2.describeInstances(x -> x.instanceIds(id)).reservations()) {
      for (Instance i : r.instances()) {
        return i.state().name() == InstanceStateName.RUNNING;
      }
    }
    return false;
  }

  /** Labels the facts recorded from now on (e.g. {@code failback}: I3 judges its snapshots). */
  public void phase(String phase) {
    observer.phase = phase;
    note("WORLD", "phase " + phase);
  }

  /** The operator confirmed the lost nodes are down ({@code --confirm-nodes-down}). */
  public void nodesConfirmedDown(boolean confirmed) {
    observer.nodesConfirmedDown = confirmed;
  }

  /** The node's kubelet runs and reaches the API server. */
  boolean kubeletUp(Node n) {
    return instanceRunning(n)
        && !partitioned.contains(n.getMetadata().getName())
        && !hung.contains(n.getMetadata().getName());
  }

  /** Removes a pod object now, as the API server does for a grace-0 delete. */
  void forceRemove(String namespace, String name) {
    var r = kube.pods().inNamespace(namespace).withName(name);
    Pod p = r.get();
    if (p == null) {
      return;
    }
    if (K.hasFinalizer(p, K.GRACEFUL)) {
      r.edit(
          x -> {
            x.getMetadata().getFinalizers().remove(K.GRACEFUL);
            return x;
          });
    }
    if (r.get() != null) {
      r.delete();
    }
  }

  static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  @Override
  public void close() {
    kubeGate.close();
    awsGate.close();
    mock.close();
    aws.close();
  }
}
