package io.zoneguard.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ZoneguardException;
import org.junit.jupiter.api.Test;

/**
 * What the mysql client prints for {@link ReplayMarker#QUERY} (its --batch output, header first),
 * as seen on MariaDB 10.11 with and without binary logging.
 */
class ReplayMarkerTest {
  private static final String HEADER =
      "CONCAT('zoneguard-replayed-through ', @@last_gtid, '|', @@session.gtid_seq_no)\n";

  @Test
  void aServerWithoutBinaryLoggingKeepsTheSessionsLastSequenceNumber() {
    assertThat(ReplayMarker.parse(HEADER + "zoneguard-replayed-through |7\n"))
        .isEqualTo(new ReplayMarker.Executed(7, null));
  }

  @Test
  void aServerWithBinaryLoggingRecordsTheLastGtidAndClearsTheNumber() {
    assertThat(ReplayMarker.parse(HEADER + "zoneguard-replayed-through 0-1-100|0\n"))
        .isEqualTo(new ReplayMarker.Executed(100, "0-1-100"));
    // filtered-out transactions after the last logged one still set the number
    assertThat(ReplayMarker.parse(HEADER + "zoneguard-replayed-through 0-1-4|7\n"))
        .isEqualTo(new ReplayMarker.Executed(7, "0-1-4"));
  }

  @Test
  void nothingReplayedIsSequenceZero() {
    assertThat(ReplayMarker.parse(HEADER + "zoneguard-replayed-through |0\n").seq()).isZero();
  }

  @Test
  void noMarkerMeansTheLoadDidNotReachItsEnd() {
    assertThatThrownBy(() -> ReplayMarker.parse(""))
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining("did not report how far it got");
    assertThatThrownBy(() -> ReplayMarker.parse(HEADER + "zoneguard-replayed-through |x\n"))
        .isInstanceOf(ZoneguardException.class);
  }

  @Test
  void theQueryIsAStatementOfItsOwnAfterTheDecodersOutput() {
    assertThat(ReplayMarker.QUERY).startsWith("\n").endsWith(";\n").contains("@@last_gtid");
  }
}
