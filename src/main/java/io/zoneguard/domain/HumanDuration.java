package io.zoneguard.domain;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in flags and the config file: 500ms, 90s, 30m, 1h, 2d, or ISO-8601
 * such as PT1H30M. One parser, so a flag and a config key accept the same spellings.
 */
public final class HumanDuration {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|[smhd])");

  private HumanDuration() {}

  /**
   * @throws IllegalArgumentException naming the value and the accepted spellings
   */
  public static Duration parse(String value) {
    Matcher m = SIMPLE.matcher(value == null ? "" : value);
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
      if (!d.isNegative()) {
        return d;
      }
    } catch (RuntimeException e) {
      // said below
    }
    throw new IllegalArgumentException(
        "'" + value + "' is not a duration (use e.g. 500ms, 90s, 30m, 1h, 2d or PT1H30M)");
  }
}
