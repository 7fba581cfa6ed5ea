package io.zoneguard.config;

import java.util.List;

/**
 * One protected StatefulSet's schedules in {@code serve} mode (the {@code schedules:} list of the
 * config file). Cron expressions are Quartz's, with seconds: {@code "0 0 * * * ?"} is hourly.
 * {@code drill} is the scratch database server a scheduled drill restores the dump into ({@code
 * host} required with {@code drillCron}). {@code binlog}: continuous archiving of the database's
 * binary logs while this instance leads. {@code fastRestore}: EBS Fast Snapshot Restore on the
 * newest complete set's snapshots in the given zones, and on no older set's. {@code drillToLatest}:
 * the scheduled drill also replays the binlog archive into the scratch database up to its newest
 * transaction and proves it got there (as {@code drill run --to-latest}), so the cron drill proves
 * the archive too.
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
    FastRestore fastRestore,
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
   * Continuous binlog archiving (tcp only) from the server {@code from} names: {@code primary} (the
   * schedule's {@code database.host}), {@code replica N} (the pod {@code <sts>-N} through the
   * StatefulSet's headless Service, {@code <sts>-N.<serviceName>.<ns>.svc}, with {@code database}'s
   * port, user and password), or, without {@code from}, the {@code database} the backups use.
   * Uploads every {@code interval} (a duration, default 10s: the archive's lag; {@code
   * intervalSeconds} is its deprecated spelling), announcing {@code replicaServerId} (default 4207)
   * to the server, which must differ from every real replica's.
   */
  public record Binlog(
      boolean enabled, String interval, int intervalSeconds, String from, long replicaServerId) {
    public static final java.time.Duration DEFAULT_INTERVAL = java.time.Duration.ofSeconds(10);

    public Binlog {
      replicaServerId = replicaServerId == 0 ? 4207 : replicaServerId;
    }

    /**
     * How often the open file's new events are uploaded.
     *
     * @throws IllegalArgumentException when {@code interval} is not a duration
     */
    public java.time.Duration every() {
      if (interval != null) {
        return io.zoneguard.domain.HumanDuration.parse(interval);
      }
      return intervalSeconds > 0 ? java.time.Duration.ofSeconds(intervalSeconds) : DEFAULT_INTERVAL;
    }

    /**
     * The server {@code from} names.
     *
     * @throws IllegalArgumentException when {@code from} is neither form
     */
    public From source() {
      return From.parse(from);
    }
  }

  /** Which server a binlog stream reads: the backups' database, the primary, or replica N. */
  public record From(Kind kind, int replica) {
    public enum Kind {
      DATABASE,
      PRIMARY,
      REPLICA
    }

    private static final java.util.regex.Pattern REPLICA_N =
        java.util.regex.Pattern.compile("replica\\s+(\\d{1,6})");

    static From parse(String from) {
      if (from == null) {
        return new From(Kind.DATABASE, -1);
      }
      if (from.trim().equals("primary")) {
        return new From(Kind.PRIMARY, -1);
      }
      java.util.regex.Matcher m = REPLICA_N.matcher(from.trim());
      if (m.matches()) {
        return new From(Kind.REPLICA, Integer.parseInt(m.group(1)));
      }
      throw new IllegalArgumentException(
          "binlog.from must be 'primary' or 'replica N' (e.g. replica 1), got '" + from + "'");
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
