package io.zoneguard.config;

import java.util.List;

/**
 * One protected StatefulSet's schedules in {@code serve} mode (the {@code schedules:} list of the
 * config file). Cron expressions are Quartz's, with seconds: {@code "0 0 * * * ?"} is hourly.
 * {@code drill} is the scratch database server a scheduled drill restores the dump into ({@code
 * host} required with {@code drillCron}). {@code binlog}: continuous archiving of the database's
 * binary logs while this instance leads. {@code fastRestore}: EBS Fast Snapshot Restore on the
 * newest complete set's snapshots in the given zones, and on no older set's.
 */
public record ScheduleSpec(
    String namespace,
    String statefulSet,
    String backupCron,
    String pruneCron,
    String drillCron,
    Database database,
    Database drill,
    List<String> databases,
    String consistency,
    Retention retention,
    Binlog binlog,
    FastRestore fastRestore) {

  public ScheduleSpec {
    databases = databases == null ? List.of() : List.copyOf(databases);
    consistency = consistency == null ? "crash" : consistency;
    retention = retention == null ? new Retention(24, 7, 4, 6) : retention;
    database =
        database == null
            ? new Database(null, 3306, "root", null, null, 0, "tcp", null, null)
            : database;
  }

  /**
   * How to reach the database. {@code via: tcp} (default): {@code host} (default the replica's DNS
   * name), user, and the password from a Secret ({@code passwordSecret: name/key}) or a mounted
   * file. {@code via: exec}: mysqldump inside the replica's pod, the password read there from the
   * container's {@code passwordEnv} variable (default MYSQL_ROOT_PASSWORD).
   */
  public record Database(
      String host,
      int port,
      String user,
      String passwordSecret,
      String passwordFile,
      int replica,
      String via,
      String container,
      String passwordEnv) {
    public Database {
      port = port == 0 ? 3306 : port;
      user = user == null ? "root" : user;
      via = via == null ? "tcp" : via;
    }
  }

  public record Retention(int hourly, int daily, int weekly, int monthly) {}

  /**
   * Continuous binlog archiving from {@code database} (tcp only): upload every {@code
   * intervalSeconds} (default 10: the archive's lag), announcing {@code replicaServerId} (default
   * 4207) to the server, which must differ from every real replica's.
   */
  public record Binlog(boolean enabled, int intervalSeconds, long replicaServerId) {
    public Binlog {
      intervalSeconds = intervalSeconds == 0 ? 10 : intervalSeconds;
      replicaServerId = replicaServerId == 0 ? 4207 : replicaServerId;
    }
  }

  /**
   * After each complete scheduled backup, FSR on that set's snapshots in {@code zones} and off on
   * the StatefulSet's older zoneguard snapshots (billed per snapshot per zone per hour); no zones:
   * off on all of them.
   */
  public record FastRestore(List<String> zones) {
    public FastRestore {
      zones = zones == null ? List.of() : List.copyOf(zones);
    }
  }

  /** Whether scheduled backups move FSR (with no zones: turn it off on every set). */
  public boolean managesFastRestore() {
    return fastRestore != null;
  }

  /** The zones whose FSR scheduled backups keep on the newest set. */
  public List<String> fastRestoreZones() {
    return fastRestore == null ? List.of() : fastRestore.zones();
  }

  /** Whether this schedule archives binary logs. */
  public boolean archivesBinlogs() {
    return binlog != null && binlog.enabled();
  }

  public String id() {
    return namespace + "/" + statefulSet;
  }
}
