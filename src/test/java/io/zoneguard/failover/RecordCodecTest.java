package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.ZoneguardException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private final FailoverRecord record =
      FailoverRecord.start(
          "fb-1",
          "me@host",
          "2026-11-24T10:00:00Z",
          io.zoneguard.testing.Plans.failback(
              "us-east-1b",
              List.of(),
              List.of(new FailoverPlan.Step("hold-claims", "d")),
              List.of("mysql-1 is down from stop-pods until wait-ready")));

  @Test
  void theRecordCarriesItsFormatVersionAndReadsBack() {
    String json = RecordCodec.write(record);
    assertThat(json).startsWith("{\"formatVersion\":1,");
    assertThat(RecordCodec.read(json, "here")).isEqualTo(record);
    // written before versioning: read as version 1
    assertThat(RecordCodec.read(json.replace("\"formatVersion\":1,", ""), "here"))
        .isEqualTo(record);
  }

  @Test
  void aPlansRecoveryPointsReadBackAndARecordWithoutThemReadsAsNone() {
    FailoverPlan.Recovery point =
        new FailoverPlan.Recovery(
            "data-mysql-1",
            "mysql-1",
            "t",
            60,
            1L,
            "t2",
            "0-1-7",
            5L,
            "zoneguard binlog ...",
            null);
    FailoverRecord withRecovery =
        FailoverRecord.start("fo-1", "me", "t", record.plan().withRecovery(List.of(point)));
    String json = RecordCodec.write(withRecovery);
    assertThat(RecordCodec.read(json, "here").plan().recovery()).containsExactly(point);
    // written before plans had recovery points
    String old = json.replaceAll(",\"recovery\":\\[.*?\\]", "");
    assertThat(old).doesNotContain("recovery");
    assertThat(RecordCodec.read(old, "here").plan().recovery()).isEmpty();
  }

  @Test
  void aRecordOfAnotherFormatVersionIsAUsageError() {
    String json = RecordCodec.write(record).replace("\"formatVersion\":1", "\"formatVersion\":2");
    assertThatThrownBy(
            () -> RecordCodec.read(json, "annotation zoneguard.io/failover of shop/mysql"))
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining("has format version 2; this zoneguard reads version 1")
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThatThrownBy(() -> RecordCodec.read("[1]", "here"))
        .hasMessageContaining("is not valid JSON");
  }
}
