package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.backup.BackupStore.BinlogWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan's note on how far the binlog archive brings a restored replica. */
class RecoverablePointTest {
  @Test
  void aContinuousArchiveReachesItsNewestEvent() {
    String note =
        FailoverPlanService.recoverablePoint(
            new BinlogWindow(
                1,
                "2026-11-25T00:00:00Z",
                "2026-11-25T01:00:00Z",
                "0-1-9",
                2,
                100,
                List.of(),
                "2026-11-25T00:00:00Z"));
    assertThat(note)
        .startsWith("binlog archive reaches 2026-11-25T01:00:00Z (server 1, GTID 0-1-9)")
        .doesNotContain("gap");
  }

  @Test
  void aGapLimitsWhichSnapshotsTheArchiveCanBringForward() {
    String note =
        FailoverPlanService.recoverablePoint(
            new BinlogWindow(
                1,
                "2026-11-25T00:00:00Z",
                "2026-11-25T01:00:00Z",
                null,
                3,
                100,
                List.of("between binlog.000001 byte 9 and binlog.000003 (purged)"),
                "2026-11-25T00:40:00Z"));
    assertThat(note)
        .contains("the archive has 1 gap(s)")
        .endsWith("only a snapshot taken after 2026-11-25T00:40:00Z can be brought that far");
  }
}
