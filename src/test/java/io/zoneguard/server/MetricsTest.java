package io.zoneguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.schedule.Schedules;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The series the chart's alerts and dashboard read, as exported before and after the jobs run. */
class MetricsTest {
  private static final String STS = "{namespace=\"shop\",statefulset=\"mysql\"}";

  @Test
  void aProtectedStatefulSetHasItsRpoAndZeroFailuresBeforeItsFirstJob() {
    Metrics m = new Metrics();
    m.protect("shop", "mysql", Duration.ofHours(1), true, Duration.ofDays(7));
    assertThat(m.scrape())
        .contains("zoneguard_backup_rpo_seconds" + STS + " 3600.0")
        .contains("zoneguard_backup_failures_total" + STS + " 0.0")
        .contains("zoneguard_drill_interval_seconds" + STS + " 604800.0")
        .contains("zoneguard_drill_failures_total" + STS + " 0.0")
        .contains("zoneguard_prune_deleted_sets_total" + STS + " 0.0")
        .contains("process_start_time_seconds ")
        .doesNotContain("zoneguard_backup_last_success");

    m.backupFailed("shop", "mysql");
    m.drilled("shop", "mysql", false, 0, null, 0);
    assertThat(m.scrape())
        .contains("zoneguard_backup_failures_total" + STS + " 1.0")
        .contains("zoneguard_drill_failures_total" + STS + " 1.0");

    m.backupSucceeded("shop", "mysql", Duration.ofSeconds(90), 2048, 1_700_000_000L);
    m.drilled("shop", "mysql", true, 120, 33.6, 1_700_000_100L);
    assertThat(m.scrape())
        .contains("zoneguard_backup_last_success_timestamp_seconds" + STS + " 1.7E9")
        .contains("zoneguard_backup_duration_seconds_sum" + STS + " 90.0")
        .contains("zoneguard_backup_bytes_sum" + STS + " 2048.0")
        .contains("zoneguard_drill_last_success_timestamp_seconds" + STS + " 1.7000001E9")
        .contains("zoneguard_drill_rpo_seconds" + STS + " 120.0")
        .contains("zoneguard_drill_rto_seconds" + STS + " 34.0");
  }

  @Test
  void aStatefulSetWithoutDrillsOrPrunesHasNoSuchSeries() {
    Metrics m = new Metrics();
    m.protect("shop", "mysql", Duration.ofHours(1), false, null);
    assertThat(m.scrape())
        .contains("zoneguard_backup_rpo_seconds")
        .doesNotContain("zoneguard_drill")
        .doesNotContain("zoneguard_prune");
  }

  @Test
  void failoverStateIsReadWhenScrapedAndKeptWhenAReadFails() {
    Metrics m = new Metrics();
    AtomicInteger reads = failoverReads(m, Duration.ZERO);
    System.gc(); // the read's cache must outlive a collection: nothing but the gauge holds it
    assertThat(m.scrape())
        .contains("zoneguard_failover_unfinished_since_timestamp_seconds" + STS + " 1.7E9")
        .contains("zoneguard_failover_last_finished_timestamp_seconds" + STS + " 0.0");
    assertThat(m.scrape())
        .contains("zoneguard_failover_unfinished_since_timestamp_seconds" + STS + " 1.7E9");
    assertThat(reads.get()).as("the second scrape read again, and failed").isGreaterThan(1);
  }

  @Test
  void failoverStateIsReadAtMostOncePerRefresh() {
    Metrics m = new Metrics();
    AtomicInteger reads = failoverReads(m, Duration.ofHours(1));
    m.scrape();
    m.scrape();
    assertThat(reads.get()).as("both series, two scrapes, one read").isOne();
  }

  /** Registers shop/mysql's failover series with a read that counts calls and fails after one. */
  private static AtomicInteger failoverReads(Metrics m, Duration refresh) {
    AtomicInteger reads = new AtomicInteger();
    m.failovers(
        "shop",
        "mysql",
        () -> {
          if (reads.incrementAndGet() > 1) {
            throw new IllegalStateException("API server down");
          }
          return new Metrics.FailoverState(1_700_000_000L, 0);
        },
        refresh);
    return reads;
  }

  @Test
  void theRpoOfACronIsItsLongestGap() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(Schedules.longestGap("0 0 * * * ?", now)).isEqualTo(Duration.ofHours(1));
    assertThat(Schedules.longestGap("0 0 1,2 * * ?", now)).isEqualTo(Duration.ofHours(23));
    assertThat(Schedules.longestGap("0/2 * * * * ?", now)).isEqualTo(Duration.ofSeconds(2));
  }
}
