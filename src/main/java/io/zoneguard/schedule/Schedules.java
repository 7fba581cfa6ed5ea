package io.zoneguard.schedule;

import io.zoneguard.config.ScheduleSpec;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * The Quartz scheduler of {@code serve}: one backup and one prune job per StatefulSet, in memory
 * (the cron lives in the config; nothing to persist). Created in standby: jobs fire only between
 * {@link #activate()} and {@link #standby()}, which leader election drives.
 */
public final class Schedules implements AutoCloseable, LeaderDuty {
  private final Scheduler scheduler;

  private Schedules(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * The longest gap between two fires of {@code cron} over the next 1000 fires from {@code from}:
   * how old the last success may get with every run on time (an hourly backup's RPO is an hour; "at
   * 1 and 2 o'clock" is 23 hours). The alerts compare ages with it.
   */
  public static Duration longestGap(String cron, Instant from) {
    CronExpression e;
    try {
      e = new CronExpression(cron);
    } catch (ParseException ex) {
      throw new IllegalArgumentException("not a Quartz cron expression: " + cron, ex);
    }
    Date at = e.getNextValidTimeAfter(Date.from(from));
    long longest = 0;
    for (int i = 0; i < 1000 && at != null; i++) {
      Date next = e.getNextValidTimeAfter(at);
      if (next == null) {
        break;
      }
      longest = Math.max(longest, next.getTime() - at.getTime());
      at = next;
    }
    return Duration.ofMillis(longest);
  }

  public static Schedules create(List<ScheduleSpec> specs, ScheduledWork work) {
    Properties p = new Properties();
    // A unique name: Quartz keeps schedulers in a JVM-wide registry by name.
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "zoneguard-" + UUID.randomUUID());
    p.setProperty("org.quartz.threadPool.threadCount", "4");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    // A backup late by more than this is a misfire, handled per trigger below.
    p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    try {
      Scheduler s = new StdSchedulerFactory(p).getScheduler();
      Map<String, ScheduleSpec> byId = new LinkedHashMap<>();
      specs.forEach(spec -> byId.put(spec.id(), spec));
      s.getContext().put(Jobs.WORK, work);
      s.getContext().put(Jobs.SPECS, byId);
      for (ScheduleSpec spec : specs) {
        if (spec.backupCron() != null) {
          // Missed backups (process down, not leader) run once when possible, not once per miss.
          schedule(
              s,
              Jobs.Backup.class,
              "backup",
              spec,
              CronScheduleBuilder.cronSchedule(spec.backupCron())
                  .withMisfireHandlingInstructionFireAndProceed());
        }
        if (spec.pruneCron() != null) {
          schedule(
              s,
              Jobs.Prune.class,
              "prune",
              spec,
              CronScheduleBuilder.cronSchedule(spec.pruneCron())
                  .withMisfireHandlingInstructionDoNothing());
        }
        if (spec.drillCron() != null) {
          // a missed drill is not made up: the next one comes soon enough
          schedule(
              s,
              Jobs.Drill.class,
              "drill",
              spec,
              CronScheduleBuilder.cronSchedule(spec.drillCron())
                  .withMisfireHandlingInstructionDoNothing());
        }
      }
      return new Schedules(s);
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot create the scheduler: " + e.getMessage(), e);
    }
  }

  private static void schedule(
      Scheduler s,
      Class<? extends org.quartz.Job> job,
      String kind,
      ScheduleSpec spec,
      CronScheduleBuilder cron)
      throws SchedulerException {
    JobDetail detail =
        JobBuilder.newJob(job)
            .withIdentity(JobKey.jobKey(kind + ":" + spec.id()))
            .usingJobData(Jobs.SPEC_ID, spec.id())
            .build();
    Trigger trigger =
        TriggerBuilder.newTrigger().withIdentity(kind + ":" + spec.id()).withSchedule(cron).build();
    s.scheduleJob(detail, trigger);
  }

  /**
   * Start firing jobs (this instance became the leader). Fire times missed while standing by are
   * not left to Quartz: it treats a fire time as missed only after its misfire threshold (60 s), so
   * every fire time of the last minute would run at once (four backups within 3 s for a 15 s cron
   * after 55 s of standby). Instead each trigger that missed a fire time restarts its cron from
   * now, and a backup schedule gets exactly one catch-up run; prunes and drills none.
   */
  @Override
  public synchronized void activate() {
    try {
      Date now = new Date();
      for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.anyTriggerGroup())) {
        Trigger t = scheduler.getTrigger(key);
        if (!(t instanceof CronTrigger cron)
            || cron.getNextFireTime() == null
            || !cron.getNextFireTime().before(now)) {
          continue;
        }
        // the cron's first fire time strictly after now: no second run right behind the catch-up
        scheduler.rescheduleJob(
            key, cron.getTriggerBuilder().startAt(new Date(now.getTime() + 1000)).build());
        if (cron.getMisfireInstruction() == CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW) {
          scheduler.triggerJob(cron.getJobKey());
        }
      }
      scheduler.start();
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stop firing new jobs (leadership lost); running jobs finish. */
  @Override
  public synchronized void standby() {
    try {
      if (scheduler.isShutdown()) {
        return;
      }
      scheduler.standby();
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean active() {
    try {
      return scheduler.isStarted() && !scheduler.isInStandbyMode();
    } catch (SchedulerException e) {
      return false;
    }
  }

  /** Job name and next fire time of every trigger, for the startup log. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    try {
      for (String group : scheduler.getTriggerGroupNames()) {
        for (var key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(group))) {
          Date next = scheduler.getTrigger(key).getNextFireTime();
          out.add(key.getName() + " next " + (next == null ? "never" : next.toInstant()));
        }
      }
    } catch (SchedulerException e) {
      out.add("cannot list triggers: " + e.getMessage());
    }
    return out;
  }

  /**
   * Stops firing jobs, waits up to {@code timeout} for running ones to finish and shuts the
   * scheduler down; returns how many were still running (abandoned) then.
   */
  public int drain(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (scheduler.isShutdown()) {
        return 0;
      }
      scheduler.standby();
      while (running() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      int left = running();
      scheduler.shutdown(false);
      return left;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return running();
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  private int running() {
    try {
      return scheduler.getCurrentlyExecutingJobs().size();
    } catch (SchedulerException e) {
      return 0;
    }
  }

  /** Graceful: waits for running jobs to finish. */
  @Override
  public void close() {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }
}
