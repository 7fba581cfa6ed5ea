package io.zoneguard.cli;

import io.zoneguard.config.ScheduleSpec;
import io.zoneguard.schedule.LeaderDuty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}'s continuous binlog archiving: while this instance leads, one thread per schedule
 * with {@code binlog.enabled} keeps an archiver running (restarted after a failure, after a pause);
 * on losing the lease every thread stops after its current upload, so two instances never archive
 * one server at once for longer than a lease handover.
 */
final class BinlogArchiving implements LeaderDuty {
  private static final Logger LOG = LoggerFactory.getLogger(BinlogArchiving.class);

  /** The archiving of one schedule, run until {@code active} turns false. */
  interface Archive {
    void run(ScheduleSpec spec, BooleanSupplier active);
  }

  private final List<ScheduleSpec> specs;
  private final Archive archive;
  private final Duration retryAfter;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean active;

  BinlogArchiving(List<ScheduleSpec> specs, Archive archive, Duration retryAfter) {
    this.specs = specs.stream().filter(ScheduleSpec::archivesBinlogs).toList();
    this.archive = archive;
    this.retryAfter = retryAfter;
  }

  @Override
  public synchronized void activate() {
    if (active) {
      return;
    }
    active = true;
    for (ScheduleSpec spec : specs) {
      Thread t = new Thread(() -> loop(spec), "binlog-" + spec.id());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop(ScheduleSpec spec) {
    while (active) {
      try {
        archive.run(spec, () -> active);
      } catch (RuntimeException e) {
        if (!active) {
          return;
        }
        LOG.error(
            "binlog archiving of {} failed: {}; retrying in {}s",
            spec.id(),
            e.getMessage(),
            retryAfter.toSeconds());
        try {
          Thread.sleep(retryAfter.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  @Override
  public synchronized void standby() {
    active = false;
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    threads.clear();
  }
}
