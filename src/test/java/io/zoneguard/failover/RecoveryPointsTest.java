package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.testing.Plans;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Per moved replica: snapshot loss, how far the binlog archive reaches, and the catch-up. */
class RecoveryPointsTest {
  private static final Instant NOW = Instant.parse("2026-11-24T11:00:00Z");

  // replica 1's snapshot is from 10:00 (an hour of data loss)
  private static FailoverPlan plan(String kind) {
    return new FailoverPlan(
        kind,
        "shop",
        "mysql",
        "us-east-1b",
        "given",
        List.of("us-east-1a"),
        List.of(
            Plans.move(1, "vol-1", "us-east-1b", "pv-1", "us-east-1a")
                .withSnapshot("snap-1", "2026-11-24T10:00:00Z")),
        List.of(),
        List.of(),
        List.of());
  }

  private static Optional<RecoveryPoints.Archive> archive(String first, String last) {
    return Optional.of(new RecoveryPoints.Archive(1, first, last, "0-1-77"));
  }

  @Test
  void anArchivePastTheSnapshotLeavesOnlyItsLagAndNamesTheReplicasCommand() {
    FailoverPlan.Recovery r =
        RecoveryPoints.of(
                plan(FailoverPlan.FAILOVER),
                archive("2026-11-24T09:00:00Z", "2026-11-24T10:59:50Z"),
                Optional.of("mysql-headless"),
                NOW)
            .get(0);
    assertThat(r.pvc()).isEqualTo("data-mysql-1");
    assertThat(r.pod()).isEqualTo("mysql-1");
    assertThat(r.snapshotDataLossSeconds()).isEqualTo(60);
    assertThat(r.archiveNewestGtid()).isEqualTo("0-1-77");
    assertThat(r.dataLossAfterCatchUpSeconds()).isEqualTo(10);
    assertThat(r.catchUp())
        .isEqualTo(
            "zoneguard binlog catch-up -n shop --statefulset mysql"
                + " --db-host mysql-1.mysql-headless.shop.svc");
    assertThat(r.why()).isNull();
  }

  @Test
  void anArchiveThatStartsAfterTheSnapshotOrEndsBeforeItOffersNoCatchUp() {
    FailoverPlan.Recovery gap =
        RecoveryPoints.of(
                plan(FailoverPlan.FAILOVER),
                archive("2026-11-24T10:30:00Z", "2026-11-24T10:59:50Z"),
                Optional.of("mysql"),
                NOW)
            .get(0);
    assertThat(gap.catchUp()).isNull();
    assertThat(gap.dataLossAfterCatchUpSeconds()).isNull();
    assertThat(gap.why()).contains("after the snapshot: catch-up would find a gap");

    FailoverPlan.Recovery stale =
        RecoveryPoints.of(
                plan(FailoverPlan.FAILOVER),
                archive("2026-11-24T08:00:00Z", "2026-11-24T09:30:00Z"),
                Optional.of("mysql"),
                NOW)
            .get(0);
    assertThat(stale.catchUp()).isNull();
    assertThat(stale.dataLossAfterCatchUpSeconds()).isEqualTo(60);
    assertThat(stale.why()).isEqualTo("the archive holds nothing newer than the snapshot");
  }

  @Test
  void withoutAnArchiveTheSnapshotIsTheRecoverablePointAndAFailbackLosesNothing() {
    FailoverPlan.Recovery none =
        RecoveryPoints.of(plan(FailoverPlan.FAILOVER), Optional.empty(), Optional.of("m"), NOW)
            .get(0);
    assertThat(none.archiveNewestEvent()).isNull();
    assertThat(none.catchUp()).isNull();
    assertThat(none.why()).startsWith("no binlog archive");
    assertThat(
            RecoveryPoints.of(
                plan(FailoverPlan.FAILBACK),
                archive("2026-11-24T09:00:00Z", "2026-11-24T10:59:50Z"),
                Optional.of("m"),
                NOW))
        .isEmpty();
  }
}
