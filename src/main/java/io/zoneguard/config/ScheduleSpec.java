package io.zoneguard.config;

import java.util.List;

/**
 * One protected StatefulSet's schedules in {@code serve} mode (the {@code schedules:} list of the
 * config file). Cron expressions are Quartz's, with seconds: {@code "0 0 * * * ?"} is hourly.
 * {@code drill} is the scratch database server a scheduled drill restores the dump into ({@code
 * host} required with {@code drillCron}). {@code binlog}: continuous archiving of the database's
 * binary logs while this instance leads. {@code drillToLatest}: the scheduled drill also replays
 * the binlog archive into the scratch database up to its newest transaction and proves it got there
 * (as {@code drill run --to-latest}), so the cron drill proves the archive too.
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
    boolean drillToLatest) {

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

  /** Whether this schedule archives binary logs. */
  public boolean archivesBinlogs() {
    return binlog != null && binlog.enabled();
  }

  public String id() {
    return namespace + "/" + statefulSet;
  }
}
