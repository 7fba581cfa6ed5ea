package io.zoneguard.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.binlog.BinlogChain;
import io.zoneguard.binlog.PointInTimeRestore;
import io.zoneguard.binlog.RecoveryTarget;
import io.zoneguard.binlog.ReplayReach;
import io.zoneguard.domain.BackupManifest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The drill's verdict on a binlog replay: what the scratch server executed against the archive. */
class DrillReplayTest {
  private static final BackupManifest SET =
      TestSets.shop(
          new BackupManifest.Binlog("binlog.000001", 4L, "0-1-12", null), Map.of(), Map.of());

  private static PointInTimeRestore.Plan plan(Optional<ReplayReach.Point> reach) {
    return new PointInTimeRestore.Plan(
        SET,
        "shop",
        1,
        RecoveryTarget.afterGtid("0-1-23"),
        List.of(new BinlogChain.File("binlog.000001", List.of())),
        List.of(Path.of("binlog.000001")),
        reach,
        "2026-11-23T10:05:00Z");
  }

  private static final Optional<ReplayReach.Point> DUE =
      Optional.of(new ReplayReach.Point("0-1-23", Instant.parse("2026-11-23T10:04:59Z")));

  @Test
  void reachedWhenTheScratchSessionExecutedTheArchivesLastTransaction() {
    DrillReport.ReplayCheck c =
        DrillReplay.check(plan(DUE), new PointInTimeRestore.Replayed(100, 23, null), 1.5);
    assertThat(c.reached()).isTrue();
    assertThat(c.expectedGtid()).isEqualTo("0-1-23");
    assertThat(c.expectedTime()).isEqualTo("2026-11-23T10:04:59Z");
    assertThat(c.fromGtid()).isEqualTo("0-1-12");
    assertThat(c.files()).containsExactly("binlog.000001");
    assertThat(c.newestArchivedEvent()).isEqualTo("2026-11-23T10:05:00Z");
  }

  @Test
  void aReplayThatStoppedShortOrWentPastFailsSayingWhich() {
    DrillReport.ReplayCheck shortOf =
        DrillReplay.check(plan(DUE), new PointInTimeRestore.Replayed(100, 20, null), 1);
    assertThat(shortOf.reached()).isFalse();
    assertThat(DrillReplay.shortfall(shortOf))
        .isEqualTo(
            "binlog replay to GTID 0-1-23 executed through sequence 20 but the archive's last"
                + " transaction before it is 0-1-23 (2026-11-23T10:04:59Z): the replay stopped"
                + " short");
    DrillReport.ReplayCheck past =
        DrillReplay.check(plan(DUE), new PointInTimeRestore.Replayed(100, 24, "0-1-24"), 1);
    assertThat(past.reached()).isFalse();
    assertThat(DrillReplay.shortfall(past)).contains("GTID 0-1-24").endsWith("went past it");
  }

  @Test
  void withNothingDueAfterTheSetNothingMayBeExecuted() {
    assertThat(
            DrillReplay.check(
                    plan(Optional.empty()), new PointInTimeRestore.Replayed(0, 0, null), 0)
                .reached())
        .isTrue();
    DrillReport.ReplayCheck extra =
        DrillReplay.check(plan(Optional.empty()), new PointInTimeRestore.Replayed(9, 13, null), 0);
    assertThat(extra.reached()).isFalse();
    assertThat(DrillReplay.shortfall(extra))
        .contains("no transaction after the set's 0-1-12 is archived before");
  }

  @Test
  void theRpoOfADrillToTheNewestEventIsThatEventsAge() {
    try (DrillReplay r = new DrillReplay(null, plan(DUE), Path.of("/nonexistent-zg"))) {
      Instant start = Instant.parse("2026-11-23T10:05:42Z");
      assertThat(r.rpoSeconds(true, start)).contains(42L);
      assertThat(r.rpoSeconds(false, start)).isEmpty();
    }
  }
}
