package io.zoneguard.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.BinlogSegment.Gap;
import io.zoneguard.domain.BinlogSegment.Range;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Holes in one server's archive, found from the listing alone (what `backup list` shows). */
class BinlogGapsTest {
  private static Range r(String file, long from, long to, boolean closed) {
    return new Range(1, file, from, to, closed);
  }

  @Test
  void closedFilesInSequenceAndContiguousSegmentsHaveNoGap() {
    assertThat(
            BinlogSegment.gaps(
                List.of(
                    r("binlog.000001", 0, 100, false),
                    r("binlog.000001", 100, 250, true),
                    r("binlog.000002", 0, 80, false))))
        .isEmpty();
  }

  @Test
  void filesPurgedBeforeTheyWereArchivedAreAGap() {
    assertThat(
            BinlogSegment.gaps(
                List.of(
                    r("binlog.000001", 0, 100, false),
                    r("binlog.000004", 0, 80, true),
                    r("binlog.000005", 0, 80, false))))
        .containsExactly(
            new Gap(
                "between binlog.000001 byte 100 and binlog.000004 (binary logs purged before they"
                    + " were archived)",
                1));
  }

  @Test
  void aFileNotArchivedToItsEndOrWithAHoleIsAGap() {
    assertThat(
            BinlogSegment.gaps(
                List.of(
                    r("binlog.000001", 0, 100, false),
                    r("binlog.000002", 0, 50, false),
                    r("binlog.000002", 70, 90, true),
                    r("binlog.000003", 20, 30, false))))
        .extracting(Gap::description, Gap::resumesAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "between binlog.000001 byte 100 and binlog.000002 (not archived to its end)", 1),
            org.assertj.core.groups.Tuple.tuple("binlog.000002 bytes 50-70", 2),
            org.assertj.core.groups.Tuple.tuple("binlog.000003 bytes 0-20", 3));
  }

  @Test
  void theNextFileKeepsTheServersNumbering() {
    assertThat(BinlogSegment.nextFile("binlog.000041")).isEqualTo("binlog.000042");
    assertThat(BinlogSegment.nextFile("mysql-bin.999999")).isEqualTo("mysql-bin.1000000");
  }
}
