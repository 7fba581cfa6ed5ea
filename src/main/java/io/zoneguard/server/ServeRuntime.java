package io.zoneguard.server;

import io.zoneguard.kube.LeaderElection;
import io.zoneguard.schedule.Schedules;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code zoneguard serve}: HTTP endpoints from the start, the scheduler in standby, and leader
 * election switching the scheduler on only while this replica holds the lease.
 */
public final class ServeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServeRuntime.class);

  private final Schedules schedules;
  private final LeaderElection election;
  private final Metrics metrics;
  private final HttpEndpoints http;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean leader;

  public ServeRuntime(Schedules schedules, LeaderElection election, Metrics metrics, int port)
      throws IOException {
    this.schedules = schedules;
    this.election = election;
    this.metrics = metrics;
    this.http = new HttpEndpoints(port, () -> true, metrics::scrape);
    schedules.describe().forEach(t -> LOG.info("schedule {}", t));
    election.start(
        () -> {
          LOG.info("{} became leader: scheduling backups", election.identity());
          leader = true;
          metrics.leader(true);
          schedules.activate();
        },
        () -> {
          LOG.info("{} lost leadership: standing by", election.identity());
          leader = false;
          metrics.leader(false);
          schedules.standby();
        },
        id -> LOG.info("leader is {}", id));
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

  /** Graceful: release the lease, let running jobs finish, stop HTTP. */
  @Override
  public void close() {
    election.close();
    schedules.close();
    http.close();
    stopped.countDown();
  }
}
