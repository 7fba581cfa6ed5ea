package io.zoneguard.domain;

import java.util.List;
import java.util.Optional;

/**
 * What a MariaDB server says it has applied, and what decides whether archived events may be
 * replayed into it: its server id, binary logging, read_only, gtid_strict_mode, its three GTID
 * positions and its replication connections ({@code replication} null when SHOW ALL SLAVES STATUS
 * could not be read, {@code replicationUnreadable} then says why).
 */
public record ServerGtidState(
    long serverId,
    boolean logBin,
    boolean readOnly,
    boolean gtidStrictMode,
    GtidPosition binlogPos,
    GtidPosition slavePos,
    GtidPosition currentPos,
    List<ReplicationThreads> replication,
    String replicationUnreadable) {

  public ServerGtidState {
    replication = replication == null ? null : List.copyOf(replication);
  }

  /**
   * One replication connection (the default one has the name ""): its IO and SQL thread states as
   * SHOW ALL SLAVES STATUS reports them (Yes, No, Connecting, Preparing) and Using_Gtid.
   */
  public record ReplicationThreads(String connection, String io, String sql, String usingGtid) {
    /** Whether either thread may still apply or fetch events ("No" is the only stopped state). */
    public boolean running() {
      return !"No".equalsIgnoreCase(io) || !"No".equalsIgnoreCase(sql);
    }
  }

  /** The last transaction of a domain the server has applied, and which variable said so. */
  public record Applied(Gtid gtid, String variable) {}

  /**
   * The newest transaction of {@code domain} whose changes are in this server's data.
   *
   * <p>Neither variable alone is right for a server restored from an EBS snapshot of a replica.
   * gtid_slave_pos is what replication applied; MariaDB keeps it in the InnoDB table
   * mysql.gtid_slave_pos, updated in the same transaction as the replicated rows, so a crash image
   * (a snapshot) holds exactly the position of its data. gtid_binlog_pos is the last GTID in the
   * server's own binary log: a replica with log_slave_updates off (MariaDB's default) or binary
   * logging off never writes replicated transactions there, so on such a replica it is stale or
   * empty. gtid_current_pos is gtid_slave_pos overridden per domain only by binlog GTIDs carrying
   * the server's own server_id; events replayed through a client keep their original server_id
   * (mariadb-binlog sets it per session), so after a catch-up into a replica gtid_current_pos still
   * shows the old position (checked on 10.11) and a second run would replay everything again. Hence
   * per domain the newer of gtid_slave_pos and gtid_binlog_pos: whichever way a transaction arrived
   * (replication, the server's own writes, an earlier catch-up), it is in one of them. On a tie
   * with different server ids the binlog's wins: an errant local transaction then shows up as a
   * position the archive does not contain, which is refused rather than replayed over.
   */
  public Optional<Applied> applied(long domain) {
    Optional<Gtid> slave = slavePos.inDomain(domain);
    Optional<Gtid> binlog = binlogPos.inDomain(domain);
    if (slave.isEmpty()) {
      return binlog.map(g -> new Applied(g, "gtid_binlog_pos"));
    }
    if (binlog.isEmpty() || slave.get().after(binlog.get())) {
      return slave.map(g -> new Applied(g, "gtid_slave_pos"));
    }
    return binlog.map(g -> new Applied(g, "gtid_binlog_pos"));
  }

  /** Whether the server has a replication connection (running or not). */
  public boolean replicaConfigured() {
    return replication != null && !replication.isEmpty();
  }

  /** Known to have no replication connection (false when the status could not be read). */
  public boolean notAReplica() {
    return replication != null && replication.isEmpty();
  }
}
