package io.zoneguard.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter c = new DurationConverter();

  @Test
  void readsHumanAndIsoDurations() {
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.convert("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(c.convert("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(c.convert("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void rejectsAnythingElseSayingWhatWorks() {
    assertThatThrownBy(() -> c.convert("1.5h"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'1.5h' is not a duration (use e.g. 500ms, 90s, 30m, 1h, 2d or PT1H30M)");
    assertThatThrownBy(() -> c.convert("-1h")).isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> c.convert("-PT1H")).isInstanceOf(TypeConversionException.class);
  }
}
