package io.zoneguard.mysql;

import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.GtidPosition;
import io.zoneguard.domain.ServerGtidState;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.ServerPosition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** {@link ServerPosition} over JDBC: server variables and SHOW ALL SLAVES STATUS. */
public final class MariaDbServerPosition implements ServerPosition {
  /** ER_SPECIFIC_ACCESS_DENIED_ERROR: the account lacks a privilege the statement needs. */
  private static final int ACCESS_DENIED = 1227;

  private final DatabaseEndpoint endpoint;
  private final MariaDbAdmin admin;

  public MariaDbServerPosition(DatabaseEndpoint endpoint) {
    this.endpoint = endpoint;
    this.admin = new MariaDbAdmin(endpoint);
  }

  @Override
  public ServerGtidState read() {
    try (Connection c = admin.connect();
        Statement s = c.createStatement()) {
      long serverId;
      boolean logBin;
      boolean readOnly;
      boolean strict;
      String binlog;
      String slave;
      String current;
      try (ResultSet r =
          s.executeQuery(
              "SELECT @@server_id, @@log_bin, @@read_only, @@gtid_strict_mode,"
                  + " @@gtid_binlog_pos, @@gtid_slave_pos, @@gtid_current_pos")) {
        r.next();
        serverId = r.getLong(1);
        logBin = r.getInt(2) == 1;
        readOnly = r.getInt(3) == 1;
        strict = r.getInt(4) == 1;
        binlog = r.getString(5);
        slave = r.getString(6);
        current = r.getString(7);
      } catch (SQLException e) {
        throw ZoneguardException.unsafe(
            endpoint
                + " keeps no MariaDB GTID positions ("
                + Text.firstLine(e.getMessage())
                + "): binlog catch-up needs MariaDB 10.0 or later");
      }
      List<ServerGtidState.ReplicationThreads> threads = new ArrayList<>();
      String unreadable = null;
      try (ResultSet r = s.executeQuery("SHOW ALL SLAVES STATUS")) {
        while (r.next()) {
          threads.add(
              new ServerGtidState.ReplicationThreads(
                  r.getString("Connection_name"),
                  r.getString("Slave_IO_Running"),
                  r.getString("Slave_SQL_Running"),
                  r.getString("Using_Gtid")));
        }
      } catch (SQLException e) {
        if (e.getErrorCode() != ACCESS_DENIED) {
          throw e;
        }
        threads = null;
        unreadable = Text.firstLine(e.getMessage());
      }
      return new ServerGtidState(
          serverId,
          logBin,
          readOnly,
          strict,
          GtidPosition.parse(binlog),
          GtidPosition.parse(slave),
          GtidPosition.parse(current),
          threads,
          unreadable);
    } catch (SQLException e) {
      throw ZoneguardException.failed(
          "cannot read the GTID position of " + endpoint + ": " + Text.firstLine(e.getMessage()),
          e);
    }
  }

  @Override
  public void setSlavePos(GtidPosition position) {
    try (Connection c = admin.connect();
        Statement s = c.createStatement()) {
      // text() is digits, dashes and commas only (parsed GTIDs): nothing to escape
      s.execute("SET GLOBAL gtid_slave_pos = '" + position.text() + "'");
    } catch (SQLException e) {
      throw ZoneguardException.failed(
          "replayed, but cannot set gtid_slave_pos on "
              + endpoint
              + " to "
              + position.text()
              + ": "
              + Text.firstLine(e.getMessage()),
          e);
    }
  }

  @Override
  public String describe() {
    return endpoint.toString();
  }
}
