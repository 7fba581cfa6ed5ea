package io.zoneguard.schedule;

import io.zoneguard.config.ScheduleSpec;

/** What the scheduler triggers; the serve command supplies the real services. */
public interface ScheduledWork {
  void backup(ScheduleSpec spec);

  void prune(ScheduleSpec spec);

  void drill(ScheduleSpec spec);
}
