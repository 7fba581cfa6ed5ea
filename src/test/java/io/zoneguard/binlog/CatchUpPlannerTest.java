package io.zoneguard.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.Gtid;
import io.zoneguard.domain.GtidPosition;
import io.zoneguard.domain.ServerGtidState;
import io.zoneguard.domain.ZoneguardException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which archived transactions a server lacks, and every way catch-up refuses before writing. */
class CatchUpPlannerTest {
  // the downloaded chain: GTIDs 0-1-11 .. 0-1-20, one per second from t=1011, 3 events each
  private final List<CatchUpPlanner.Archived> chain = new ArrayList<>();
  private final CatchUpPlanner.Archived first = tx(1);
  private final CatchUpPlanner.Archived newest = tx(20);
  // the index names first/last GTIDs of segments, including 0-1-10 of a file not downloaded
  private final Set<String> index = Set.of("0-1-1", "0-1-10", "0-1-11", "0-1-20");

  CatchUpPlannerTest() {
    for (int i = 11; i <= 20; i++) {
      chain.add(tx(i));
    }
  }

  private static CatchUpPlanner.Archived tx(long seq) {
    return new CatchUpPlanner.Archived(
        new Gtid(0, 1, seq),
        "0-1-" + seq,
        Instant.ofEpochSecond(1000 + seq),
        3,
        "binlog.00000" + (seq <= 10 ? 1 : 2));
  }

  private static Optional<ServerGtidState.Applied> at(String gtid) {
    return Optional.of(new ServerGtidState.Applied(Gtid.parse(gtid), "gtid_slave_pos"));
  }

  private CatchUpPlanner.Plan plan(Optional<ServerGtidState.Applied> pos, RecoveryTarget target) {
    return CatchUpPlanner.plan(pos, 0, chain, index, first, newest, target);
  }

  private static final RecoveryTarget LATEST = RecoveryTarget.afterGtid("0-1-20");

  @Test
  void appliesOnlyWhatFollowsTheServersPositionUpToTheNewest() {
    CatchUpPlanner.Plan p = plan(at("0-1-14"), LATEST);
    assertThat(p.from()).isEqualTo("0-1-14");
    assertThat(p.positionVariable()).isEqualTo("gtid_slave_pos");
    assertThat(p.transactions())
        .extracting(CatchUpPlanner.Archived::text)
        .first()
        .isEqualTo("0-1-15");
    assertThat(p.transactions()).hasSize(6);
    assertThat(p.to()).isEqualTo("0-1-20");
    assertThat(p.events()).isEqualTo(18);
  }

  @Test
  void aPositionTheIndexNamesInAFileNotDownloadedIsKnown() {
    assertThat(plan(at("0-1-10"), LATEST).transactions()).hasSize(10);
  }

  @Test
  void aServerAtTheNewestOrPastTheTargetHasNothingToApply() {
    CatchUpPlanner.Plan p = plan(at("0-1-20"), LATEST);
    assertThat(p.transactions()).isEmpty();
    assertThat(p.to()).isEqualTo("0-1-20");
    assertThat(plan(at("0-1-17"), RecoveryTarget.afterGtid("0-1-15")).transactions()).isEmpty();
  }

  @Test
  void aGtidTargetIsInclusiveAndATimeTargetExclusive() {
    assertThat(plan(at("0-1-12"), RecoveryTarget.afterGtid("0-1-16")).to()).isEqualTo("0-1-16");
    // transactions at 1013..1015 are before 1016; the one at 1016 is not
    CatchUpPlanner.Plan byTime = plan(at("0-1-12"), RecoveryTarget.at(Instant.ofEpochSecond(1016)));
    assertThat(byTime.transactions()).hasSize(3);
    assertThat(byTime.to()).isEqualTo("0-1-15");
  }

  @Test
  void aServerWithNoTransactionGetsEverything() {
    List<CatchUpPlanner.Archived> all = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      all.add(tx(i));
    }
    CatchUpPlanner.Plan p =
        CatchUpPlanner.plan(Optional.empty(), 0, all, index, first, newest, LATEST);
    assertThat(p.from()).isNull();
    assertThat(p.positionVariable()).isEqualTo("none");
    assertThat(p.transactions()).hasSize(20);
  }

  @Test
  void aPositionJustBeforeTheArchiveContinuesIt() {
    CatchUpPlanner.Archived first11 = tx(11);
    CatchUpPlanner.Plan p =
        CatchUpPlanner.plan(
            at("0-1-10"), 0, chain, Set.of("0-1-11", "0-1-20"), first11, newest, LATEST);
    assertThat(p.transactions()).hasSize(10);
  }

  @Test
  void aServerAheadOfTheArchiveIsRefused() {
    assertRefused(
        () -> plan(at("0-1-23"), LATEST),
        "the server is ahead of the binlog archive: its gtid_slave_pos is 0-1-23, the newest"
            + " archived transaction 0-1-20; nothing to catch up from, nothing written");
  }

  @Test
  void aPositionWithAnotherServersGtidAtThatSequenceIsRefused() {
    assertRefused(
        () -> plan(at("0-2-14"), LATEST),
        "the server's position 0-2-14 (gtid_slave_pos) is not in the binlog archive (it holds"
            + " 0-1-1 .. 0-1-20): its data has another history; nothing written");
  }

  @Test
  void aTargetGtidThatIsNotArchivedIsRefused() {
    assertRefused(
        () -> plan(at("0-1-12"), RecoveryTarget.afterGtid("0-1-99")),
        "GTID 0-1-99 is not in the binlog archive (newest archived: 0-1-20)");
    // another domain would compare as "not after" anything: refused, not taken as reached
    assertRefused(
        () -> plan(at("0-1-12"), RecoveryTarget.afterGtid("3-1-2")),
        "GTID 3-1-2 is not in the binlog archive (newest archived: 0-1-20)");
  }

  @Test
  void theArchiveMustHoldOneDomain() {
    BinlogSegment a = seg("0-1-1", "0-1-9");
    assertThat(CatchUpPlanner.domain(List.of(a), 1)).isZero();
    assertRefused(
        () -> CatchUpPlanner.domain(List.of(a, seg("1-1-1", "1-1-2")), 1),
        "the binlog archive of server 1 spans GTID domains [0, 1]: catch-up replays one domain;"
            + " use restore --to-time instead");
    assertRefused(
        () -> CatchUpPlanner.domain(List.of(seg(null, null)), 1),
        "the binlog archive of server 1 holds no transaction: nothing to apply");
  }

  @Test
  void aServerThatReplicatesIsRefusedEvenIfTheUserSaysOtherwise() {
    ServerGtidState running =
        state(
            List.of(
                new ServerGtidState.ReplicationThreads("", "No", "No", "Slave_Pos"),
                new ServerGtidState.ReplicationThreads("gone", "Connecting", "Yes", "No")),
            null);
    for (boolean userSays : new boolean[] {false, true}) {
      assertRefused(
          () -> CatchUpPlanner.checkReplication(running, "root@db:3306", userSays),
          "root@db:3306 is replicating (connection 'gone' (IO Connecting, SQL Yes)): replaying the"
              + " archive into it as well would apply transactions twice; run STOP ALL SLAVES"
              + " there first, nothing was written");
    }
    CatchUpPlanner.checkReplication(
        state(List.of(new ServerGtidState.ReplicationThreads("", "No", "No", "No")), null),
        "s",
        false);
    CatchUpPlanner.checkReplication(state(List.of(), null), "s", false);
  }

  @Test
  void anUnreadableReplicationStatusNeedsTheUsersWord() {
    ServerGtidState unknown = state(null, "Access denied; you need the REPLICA MONITOR privilege");
    assertRefused(
        () -> CatchUpPlanner.checkReplication(unknown, "s", false),
        "cannot read the replication status of s (Access denied; you need the REPLICA MONITOR"
            + " privilege): grant REPLICA MONITOR, or pass --replication-stopped once you know no"
            + " replication thread runs there");
    CatchUpPlanner.checkReplication(unknown, "s", true);
  }

  private static ServerGtidState state(
      List<ServerGtidState.ReplicationThreads> threads, String unreadable) {
    GtidPosition none = GtidPosition.parse("");
    return new ServerGtidState(2, true, true, true, none, none, none, threads, unreadable);
  }

  private static BinlogSegment seg(String g0, String g1) {
    return new BinlogSegment(1, "binlog.000001", 0, 100, false, "sha", null, null, g0, g1);
  }

  private static void assertRefused(Runnable r, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOf(ZoneguardException.class)
        .hasMessage(message)
        .satisfies(
            e ->
                assertThat(((ZoneguardException) e).exitCode()).isEqualTo(ExitCode.REFUSED_UNSAFE));
  }
}
