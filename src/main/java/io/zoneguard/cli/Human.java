package io.zoneguard.cli;

/** Sizes and ages for people. */
final class Human {
  private Human() {}

  static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }

  static String age(long seconds) {
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
