package io.zoneguard.domain;

/** Text helpers for user-facing messages. */
public final class Text {
  private Text() {}

  /** The first line of a message, trimmed: errors must stay one line on the terminal. */
  public static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl).strip();
  }

  /** A duration for people: 45s, 12m, 5h, 3d. */
  public static String age(long seconds) {
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 7200) {
      return seconds / 60 + "m";
    }
    if (seconds < 172800) {
      return seconds / 3600 + "h";
    }
    return seconds / 86400 + "d";
  }
}
