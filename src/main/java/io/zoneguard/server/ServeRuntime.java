package io.zoneguard.server;

import io.zoneguard.kube.LeaderElection;
import io.zoneguard.schedule.LeaderDuty;
import io.zoneguard.schedule.Schedules;
import io.zoneguard.server.HttpEndpoints.Readiness;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code zoneguard serve}: HTTP endpoints from the start, the scheduler in standby, and leader
 * election switching the scheduler on only while this replica holds the lease. With no schedules
 * configured it idles: endpoints only, no Lease, and {@code /readyz} says why.
 */
public final class ServeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServeRuntime.class);
  static final String IDLE =
      "idle: no schedules configured (the config's 'schedules' list is empty, chart value"
          + " config.schedules); serve takes no backups and holds no Lease";

  /** The scheduling part; absent when idle. */
  private record Scheduling(
      Schedules schedules, List<LeaderDuty> duties, LeaderElection election, Duration drain) {}

  private final Optional<Scheduling> scheduling;
  private final Metrics metrics;
  private final HttpEndpoints http;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean leader;
  private volatile boolean draining;
  private boolean closed;

  private ServeRuntime(Optional<Scheduling> scheduling, Metrics metrics, int port)
      throws IOException {
    this.scheduling = scheduling;
    this.metrics = metrics;
    this.http = new HttpEndpoints(port, this::readiness, metrics::scrape);
  }

  /**
   * Serves {@code schedules} while holding the lease. On {@link #close()} running jobs get {@code
   * drain} to finish before the lease is released.
   */
  public static ServeRuntime scheduling(
      Schedules schedules,
      List<LeaderDuty> duties,
      int scheduleCount,
      LeaderElection election,
      Metrics metrics,
      int port,
      Duration drain)
      throws IOException {
    metrics.schedules(scheduleCount);
    ServeRuntime rt =
        new ServeRuntime(
            Optional.of(new Scheduling(schedules, duties, election, drain)), metrics, port);
    schedules.describe().forEach(t -> LOG.info("schedule {}", t));
    election.start(
        () -> {
          LOG.info("{} became leader: scheduling backups", election.identity());
          rt.leader = true;
          metrics.leader(true);
          schedules.activate();
          duties.forEach(LeaderDuty::activate);
        },
        () -> {
          LOG.info("{} lost leadership: standing by", election.identity());
          rt.leader = false;
          metrics.leader(false);
          schedules.standby();
          duties.forEach(LeaderDuty::standby);
        },
        id -> LOG.info("leader is {}", id));
    return rt;
  }

  /**
   * No schedules: stay up and say so (log, {@code /readyz}, {@code zoneguard_schedules 0}) rather
   * than exit, which in a pod is a crash loop that explains nothing.
   */
  public static ServeRuntime idle(Metrics metrics, int port) throws IOException {
    metrics.schedules(0);
    LOG.warn("serve is {}; add schedules to the config and restart", IDLE);
    return new ServeRuntime(Optional.empty(), metrics, port);
  }

  private Readiness readiness() {
    if (draining) {
      return new Readiness(false, "draining: stopping, running jobs are finishing");
    }
    return scheduling.isEmpty()
        ? new Readiness(true, "ready, " + IDLE)
        : new Readiness(true, leader ? "ready, leader" : "ready, standby");
  }

  public boolean leader() {
    return leader;
  }

  public int port() {
    return http.port();
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Blocks until {@link #close()}. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Graceful (SIGTERM): start no new job, let running ones finish for up to the drain time, then
   * release the lease, so the other replica neither starts a second dump of the same database
   * meanwhile nor waits out the lease after. HTTP stays up until the end so the liveness probe does
   * not kill a draining replica.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    draining = true;
    scheduling.ifPresent(
        s -> {
          LOG.info("stopping: no new jobs; running jobs get up to {}s", s.drain().toSeconds());
          int left = s.schedules().drain(s.drain());
          if (left > 0) {
            LOG.warn(
                "stopping with {} job(s) still running after {}s: they are abandoned",
                left,
                s.drain().toSeconds());
          }
          s.duties().forEach(LeaderDuty::standby);
          s.election().close();
          LOG.info("{} released the lease", s.election().identity());
        });
    http.close();
    stopped.countDown();
  }
}
