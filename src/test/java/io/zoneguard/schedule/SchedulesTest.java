package io.zoneguard.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.config.ScheduleSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The real Quartz scheduler behind {@code serve}, with work that only records when it fired: a
 * standby that becomes leader makes up for the backups it missed with ONE run, then follows the
 * cron. (Quartz counts a fire time as missed only after its misfire threshold, 60 s: without care
 * every fire time of the last minute runs at once — four backups within 3 s were seen for a 15 s
 * cron after 55 s of standby.)
 */
class SchedulesTest {
  /** A schedule of backups only, on {@code cron}. */
  private static ScheduleSpec backupsAt(String cron) {
    return new ScheduleSpec(
        "shop", "mysql", cron, null, null, null, null, null, null, null, null, null, false);
  }

  private static final ScheduleSpec EVERY_SECOND = backupsAt("* * * * * ?");

  /** Records the time of every backup fired. */
  private static final class Recorder implements ScheduledWork {
    final List<Long> backups = new CopyOnWriteArrayList<>();

    @Override
    public void backup(ScheduleSpec spec) {
      backups.add(System.nanoTime());
    }

    @Override
    public void prune(ScheduleSpec spec) {}

    @Override
    public void drill(ScheduleSpec spec) {}
  }

  private static long firedWithin(Recorder r, long since, Duration window) {
    return r.backups.stream().filter(t -> t >= since && t - since <= window.toNanos()).count();
  }

  @Test
  void aStandbyThatBecomesLeaderRunsOneCatchUpNotEveryMissedFireTime() throws Exception {
    Recorder work = new Recorder();
    try (Schedules s = Schedules.create(List.of(EVERY_SECOND), work)) {
      Thread.sleep(5_000); // standby: five fire times missed, all within the misfire threshold
      long leader = System.nanoTime();
      s.activate();
      Thread.sleep(700);
      // one catch-up, plus at most the cron's own next second
      assertThat(firedWithin(work, leader, Duration.ofMillis(700))).isBetween(1L, 2L);
      Thread.sleep(2_300);
      // then the cron: about one a second
      assertThat(firedWithin(work, leader, Duration.ofSeconds(3))).isBetween(3L, 5L);
    }
  }

  @Test
  void leadershipLostAndRegainedCatchesUpOnceAgain() throws Exception {
    Recorder work = new Recorder();
    try (Schedules s = Schedules.create(List.of(EVERY_SECOND), work)) {
      s.activate();
      Thread.sleep(1_500);
      s.standby();
      Thread.sleep(4_000);
      long again = System.nanoTime();
      s.activate();
      Thread.sleep(700);
      assertThat(firedWithin(work, again, Duration.ofMillis(700))).isBetween(1L, 2L);
    }
  }

  @Test
  void aLeaderFromTheStartDoesNotInventACatchUp() throws Exception {
    Recorder work = new Recorder();
    ScheduleSpec hourly = backupsAt("0 0 * * * ?");
    try (Schedules s = Schedules.create(List.of(hourly), work)) {
      s.activate();
      Thread.sleep(1_000);
      assertThat(work.backups).isEmpty();
    }
  }
}
