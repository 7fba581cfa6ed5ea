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
          new FailoverPlan(
              FailoverPlan.FAILBACK,
              "shop",
              "mysql",
              "us-east-1b",
              "x",
              List.of("us-east-1b"),
              List.of(),
              List.of(),
              List.of(new FailoverPlan.Step("hold-claims", "d")),
              List.of(),
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
