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
}
