package io.zoneguard.failover;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.FailoverRecord.StepRun;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.failover.steps.StepContext;
import io.zoneguard.failover.steps.StepId;
import io.zoneguard.failover.steps.StepOutcome;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.Cluster;
import io.zoneguard.port.Instances;
import io.zoneguard.port.Placement;
import io.zoneguard.port.StatefulSets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a record's plan step by step. Steps already marked done are skipped; each step is recorded
 * as done (persisted in the StatefulSet's annotation) only after its effects are in place, and
 * every step is idempotent, so killing the process anywhere and re-running converges. A heartbeat
 * keeps the record's lock fresh while it runs.
 */
public final class FailoverExecutor {
  private final Cluster cluster;
  private final BlockStorage storage;
  private final Instances instances;
  private final Placement placement;
  private final String clusterName;
  private final Clock clock;
  private final FailoverOptions options;
  private final Progress progress;

  public FailoverExecutor(
      Cluster cluster,
      BlockStorage storage,
      Instances instances,
      Placement placement,
      String clusterName,
      Clock clock,
      FailoverOptions options,
      Progress progress) {
    this.cluster = cluster;
    this.storage = storage;
    this.instances = instances;
    this.placement = placement;
    this.clusterName = clusterName;
    this.clock = clock;
    this.options = options;
    this.progress = progress;
  }

  /**
   * Runs the remaining steps of {@code record}, which {@code persisted} is the annotation value of
   * (the compare-and-set base). Returns the finished record.
   */
  public FailoverRecord run(FailoverRecord record, String persisted) {
    FailoverPlan plan = record.plan();
    RecordStore store =
        new RecordStore(cluster.statefulSets(), plan.namespace(), plan.statefulSet(), persisted);
    StepContext ctx =
        new StepContext(
            cluster,
            storage,
            instances,
            placement,
            clusterName,
            options,
            progress,
            clock,
            record,
            store::write);
    ScheduledExecutorService heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "zoneguard-failover-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long beat = Math.max(1, options.lease().toSeconds() / 4);
    heartbeat.scheduleAtFixedRate(
        () -> {
          try {
            ctx.update(r -> r.withHolder(r.holder(), now()));
          } catch (RuntimeException e) {
            // the next step's write reports a lost lock; a missed beat is not an error
          }
        },
        beat,
        beat,
        TimeUnit.SECONDS);
    try {
      List<FailoverPlan.Step> steps = plan.steps();
      for (int i = 0; i < steps.size(); i++) {
        FailoverPlan.Step step = steps.get(i);
        boolean done = ctx.record().done(step.id());
        progress.step(i + 1, steps.size(), step.id(), step.description(), done);
        if (done) {
          continue;
        }
        Instant t0 = clock.instant();
        StepOutcome outcome = StepId.of(step.id()).implementation().run(ctx);
        String summary = outcome.summary();
        Duration took = Duration.between(t0, clock.instant());
        progress.stepDone(step.id(), summary, took);
        ctx.update(r -> r.withStep(new StepRun(step.id(), took.toMillis() / 1000.0, summary)));
      }
      FailoverRecord finished = ctx.update(r -> r.finish(now()));
      cluster
          .events()
          .record(
              plan.namespace(),
              plan.statefulSet(),
              false,
              capitalized(plan.kind()) + "Completed",
              summary(finished));
      return finished;
    } catch (RuntimeException e) {
      String message = Text.firstLine(e.getMessage());
      try {
        ctx.update(r -> r.withError(message, now()));
      } catch (RuntimeException ignored) {
        // the record could not be written (lost lock, API down): the error is still thrown
      }
      cluster
          .events()
          .record(
              plan.namespace(),
              plan.statefulSet(),
              true,
              capitalized(plan.kind()) + "Failed",
              record.id() + ": " + message + " (re-run '" + plan.kind() + " apply' to resume)");
      throw e;
    } finally {
      heartbeat.shutdownNow();
    }
  }

  private String now() {
    return clock.instant().toString();
  }

  static String capitalized(String kind) {
    return Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
  }

  static String summary(FailoverRecord r) {
    String moves =
        r.plan().volumes().stream()
            .map(
                v ->
                    v.pvc()
                        + " -> "
                        + r.newVolumes().get(v.pvc())
                        + " in "
                        + v.targetZone()
                        + (FailoverPlan.FAILOVER.equals(r.kind())
                            ? " (data loss " + Text.age(v.dataLossSeconds()) + ")"
                            : ""))
            .collect(Collectors.joining(", "));
    double seconds =
        Duration.between(Instant.parse(r.startedAt()), Instant.parse(r.finishedAt())).toMillis()
            / 1000.0;
    return r.kind() + " " + r.id() + " done in " + seconds + "s: " + moves;
  }

  /** Writes the record with compare-and-set on the annotation, so two runs cannot interleave. */
  private static final class RecordStore {
    private final StatefulSets statefulSets;
    private final String namespace;
    private final String statefulSet;
    private String last;

    RecordStore(StatefulSets statefulSets, String namespace, String statefulSet, String persisted) {
      this.statefulSets = statefulSets;
      this.namespace = namespace;
      this.statefulSet = statefulSet;
      this.last = persisted;
    }

    synchronized FailoverRecord write(FailoverRecord next) {
      String json = RecordCodec.write(next);
      for (int attempt = 0; ; attempt++) {
        if (statefulSets.replaceAnnotation(
            namespace, statefulSet, Keys.FAILOVER_ANNOTATION, last, json)) {
          last = json;
          return next;
        }
        String current =
            statefulSets
                .get(namespace, statefulSet)
                .map(s -> s.annotations().get(Keys.FAILOVER_ANNOTATION))
                .orElse(null);
        if (!java.util.Objects.equals(current, last) || attempt >= 3) {
          throw ZoneguardException.unsafe(
              "the failover record on "
                  + namespace
                  + "/"
                  + statefulSet
                  + " was changed by someone else (another zoneguard run?): stopping here");
        }
        // the StatefulSet changed for another reason (status, our own pin): try again
      }
    }
  }
}
