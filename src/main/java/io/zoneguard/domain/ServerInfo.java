package io.zoneguard.domain;

/**
 * What a backup needs to know about the server: flavour and version (which binlog option mysqldump
 * takes) and whether binary logging is on (without it there is no position to record).
 */
public record ServerInfo(String version, boolean mariaDb, boolean binlogEnabled) {

  /**
   * The mysqldump option that records the binlog position: {@code --source-data=2} on MySQL 8.0.26
   * and later, {@code --master-data=2} on MariaDB and older MySQL; none when binary logging is off
   * (the option would fail with error 1381).
   */
  public String binlogPositionOption() {
    if (!binlogEnabled) {
      return null;
    }
    return !mariaDb && atLeast(8, 0, 26) ? "--source-data=2" : "--master-data=2";
  }

  boolean atLeast(int major, int minor, int patch) {
    String[] parts = version.split("[.-]");
    int[] v = new int[3];
    for (int i = 0; i < 3 && i < parts.length; i++) {
      try {
        v[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        v[i] = 0;
      }
    }
    if (v[0] != major) {
      return v[0] > major;
    }
    if (v[1] != minor) {
      return v[1] > minor;
    }
    return v[2] >= patch;
  }
}
