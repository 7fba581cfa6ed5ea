package io.zoneguard.schedule;

import io.zoneguard.config.ScheduleSpec;
import java.util.Map;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Thin Quartz jobs: look up the schedule and hand it to {@link ScheduledWork}. */
final class Jobs {
  static final String WORK = "zoneguard.work";
  static final String SPECS = "zoneguard.specs";
  static final String SPEC_ID = "spec";
  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  private Jobs() {}

  /** Never two backups of the same StatefulSet at once: a slow one delays the next. */
  @DisallowConcurrentExecution
  public static final class Backup implements Job {
    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
      run(ctx, "backup");
    }
  }

  @DisallowConcurrentExecution
  public static final class Prune implements Job {
    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
      run(ctx, "prune");
    }
  }

  @DisallowConcurrentExecution
  public static final class Drill implements Job {
    @Override
    public void execute(JobExecutionContext ctx) throws JobExecutionException {
      run(ctx, "drill");
    }
  }

  @SuppressWarnings("unchecked")
  private static void run(JobExecutionContext ctx, String kind) throws JobExecutionException {
    try {
      ScheduledWork work = (ScheduledWork) ctx.getScheduler().getContext().get(WORK);
      Map<String, ScheduleSpec> specs =
          (Map<String, ScheduleSpec>) ctx.getScheduler().getContext().get(SPECS);
      ScheduleSpec spec = specs.get(ctx.getJobDetail().getJobDataMap().getString(SPEC_ID));
      MDC.put("statefulset", spec.id());
      MDC.put("job", kind);
      // the fire time tells a catch-up (now) from a cron run and shows how late a run started
      LOG.info(
          "{} of {} for fire time {}", kind, spec.id(), ctx.getScheduledFireTime().toInstant());
      try {
        switch (kind) {
          case "backup" -> work.backup(spec);
          case "drill" -> work.drill(spec);
          default -> work.prune(spec);
        }
      } finally {
        MDC.clear();
      }
    } catch (SchedulerException e) {
      throw new JobExecutionException(e);
    } catch (RuntimeException e) {
      // Failures are counted and reported by ScheduledWork; do not let Quartz re-fire at once.
      throw new JobExecutionException(e, false);
    }
  }
}
