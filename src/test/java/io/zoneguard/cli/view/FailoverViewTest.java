package io.zoneguard.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.testing.Plans;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A failover's report ends with the catch-up command per moved replica, once it is finished. */
class FailoverViewTest {
  private static final String COMMAND =
      "zoneguard binlog catch-up -n shop --statefulset mysql --db-host mysql-1.mysql.shop.svc";

  private static FailoverRecord record(String finishedAt) {
    FailoverPlan plan =
        new FailoverPlan(
                FailoverPlan.FAILOVER,
                "shop",
                "mysql",
                "us-east-1b",
                "given",
                List.of("us-east-1a"),
                List.of(Plans.move(1, "vol-1", "us-east-1b", "pv-1", "us-east-1a")),
                List.of(),
                List.of(),
                List.of())
            .withRecovery(
                List.of(
                    new FailoverPlan.Recovery(
                        "data-mysql-1",
                        "mysql-1",
                        "2026-11-24T10:00:00Z",
                        3600,
                        1L,
                        "2026-11-24T10:59:50Z",
                        "0-1-77",
                        10L,
                        COMMAND,
                        null)));
    return new FailoverRecord(
        "fo-1", "me", "t0", "t1", finishedAt, null, plan, List.of(), null, null);
  }

  private static String render(FailoverRecord r) {
    StringWriter s = new StringWriter();
    FailoverView.record(new PrintWriter(s, true), r);
    return s.toString();
  }

  @Test
  void aFinishedFailoverNamesTheCatchUpOfEachMovedReplica() {
    assertThat(render(record("t2")))
        .contains(
            "next, once mysql-1 is Ready and its replication stopped (runbooks/failover.md): "
                + COMMAND);
    assertThat(render(record(null))).doesNotContain("next, once");
  }

  @Test
  void thePlanShowsSnapshotLossAndArchiveReachSideBySide() {
    StringWriter s = new StringWriter();
    FailoverView.plan(new PrintWriter(s, true), record(null).plan());
    assertThat(s.toString())
        .containsPattern("data-mysql-1\\s+60m\\s+2026-11-24T10:59:50Z \\(0-1-77\\)\\s+10s")
        .contains(COMMAND);
  }
}
