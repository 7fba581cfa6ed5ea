package io.zoneguard.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.ZoneguardException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay chain a point-in-time restore may use, and every way it is refused. */
class BinlogChainTest {
  private static BinlogSegment seg(
      String file, long from, long to, boolean closed, int t0, int t1, String g0, String g1) {
    return new BinlogSegment(
        1,
        file,
        from,
        to,
        closed,
        "sha",
        Instant.ofEpochSecond(t0).toString(),
        Instant.ofEpochSecond(t1).toString(),
        g0,
        g1);
  }

  // binlog.000001: GTIDs 1..10 (t 100-200), closed; binlog.000002: 11..20 (t 200-300), two parts
  private final List<BinlogSegment> archive =
      List.of(
          seg("binlog.000001", 0, 500, true, 100, 200, "0-1-1", "0-1-10"),
          seg("binlog.000002", 0, 300, false, 200, 250, "0-1-11", "0-1-15"),
          seg("binlog.000002", 300, 600, false, 250, 300, "0-1-16", "0-1-20"));

  private static List<String> names(List<BinlogChain.File> chain) {
    return chain.stream().map(BinlogChain.File::name).toList();
  }

  @Test
  void theChainStartsAtTheFileAfterTheSetAndEndsWhereTheTargetIs() {
    assertThat(
            names(
                BinlogChain.plan(archive, "0-1-5", RecoveryTarget.at(Instant.ofEpochSecond(150)))))
        .containsExactly("binlog.000001");
    assertThat(
            names(
                BinlogChain.plan(archive, "0-1-5", RecoveryTarget.at(Instant.ofEpochSecond(260)))))
        .containsExactly("binlog.000001", "binlog.000002");
    // the set already holds all of binlog.000001
    assertThat(
            names(
                BinlogChain.plan(archive, "0-1-10", RecoveryTarget.at(Instant.ofEpochSecond(260)))))
        .containsExactly("binlog.000002");
  }

  @Test
  void aTargetAfterTheNewestArchivedEventIsRefused() {
    assertRefused(
        () -> BinlogChain.plan(archive, "0-1-5", RecoveryTarget.at(Instant.ofEpochSecond(301))),
        "is after the newest archived event (1970-01-01T00:05:00Z)");
  }

  @Test
  void holesJumpsAndAnArchiveStartingAfterTheSetAreRefused() {
    List<BinlogSegment> hole =
        List.of(
            seg("binlog.000001", 0, 500, false, 100, 200, "0-1-1", "0-1-10"),
            seg("binlog.000001", 700, 900, true, 200, 300, "0-1-12", "0-1-20"));
    assertRefused(
        () -> BinlogChain.plan(hole, "0-1-5", RecoveryTarget.at(Instant.ofEpochSecond(250))),
        "has a gap at bytes 500-700");
    List<BinlogSegment> jump =
        List.of(
            seg("binlog.000001", 0, 500, true, 100, 200, "0-1-1", "0-1-10"),
            seg("binlog.000003", 0, 500, false, 200, 300, "0-1-16", "0-1-20"));
    assertRefused(
        () -> BinlogChain.plan(jump, "0-1-5", RecoveryTarget.at(Instant.ofEpochSecond(250))),
        "jumps from binlog.000001 to binlog.000003");
    List<BinlogSegment> late =
        List.of(seg("binlog.000004", 0, 500, false, 100, 300, "0-1-30", "0-1-40"));
    assertRefused(
        () -> BinlogChain.plan(late, "0-1-5", RecoveryTarget.at(Instant.ofEpochSecond(250))),
        "starts at GTID 0-1-30 but the set ends at 0-1-5");
  }

  @Test
  void aGtidTargetEndsTheChainAtItsFileAndOneNotArchivedIsRefused() {
    assertThat(names(BinlogChain.plan(archive, "0-1-5", RecoveryTarget.afterGtid("0-1-8"))))
        .containsExactly("binlog.000001");
    assertThat(names(BinlogChain.plan(archive, "0-1-5", RecoveryTarget.afterGtid("0-1-17"))))
        .containsExactly("binlog.000001", "binlog.000002");
    assertRefused(
        () -> BinlogChain.plan(archive, "0-1-5", RecoveryTarget.afterGtid("0-1-21")),
        "GTID 0-1-21 is not in the binlog archive (newest archived: 0-1-20)");
    assertThatThrownBy(() -> RecoveryTarget.afterGtid("0-1"))
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void aGtidThatIsNotOneIsAUsageError() {
    assertThatThrownBy(
            () -> BinlogChain.plan(archive, "five", RecoveryTarget.at(Instant.ofEpochSecond(150))))
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining("not a GTID")
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  private static void assertRefused(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String why) {
    assertThatThrownBy(call)
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining(why)
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.REFUSED_UNSAFE);
  }
}
