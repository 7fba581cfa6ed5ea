package io.zoneguard.cli.options;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as people write them: 500ms, 90s, 30m, 1h, 2d (or ISO-8601 such as PT1H30M). */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|[smhd])");

  @Override
  public Duration convert(String value) {
    Matcher m = SIMPLE.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration d = Duration.parse(value);
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative");
      }
      return d;
    } catch (RuntimeException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration (use e.g. 500ms, 90s, 30m, 1h, 2d or PT1H30M)");
    }
  }
}
