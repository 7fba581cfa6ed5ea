package io.zoneguard.mysql;

import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.BinlogSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A server read over JDBC (server id, binary logs) and streamed with {@code mariadb-binlog}. The
 * account needs REPLICATION CLIENT (SHOW BINARY LOGS) and REPLICATION SLAVE (the stream).
 */
public final class MariaDbBinlogSource implements BinlogSource {
  private final DatabaseEndpoint endpoint;
  private final String binary;
  private final long replicaId;

  /**
   * {@code replicaId}: the server id the stream announces to the server, unique among its replicas
   * (the server drops the older of two connections with one id).
   */
  public MariaDbBinlogSource(DatabaseEndpoint endpoint, String binary, long replicaId) {
    this.endpoint = endpoint;
    this.binary = binary;
    this.replicaId = replicaId;
  }

  @Override
  public long serverId() {
    return Long.parseLong(query("SELECT @@server_id", "read the server id").get(0));
  }

  @Override
  public boolean binlogEnabled() {
    return "1".equals(query("SELECT @@log_bin", "read @@log_bin").get(0));
  }

  @Override
  public List<String> binaryLogs() {
    return query("SHOW BINARY LOGS", "list the binary logs");
  }

  @Override
  public Stream stream(Path dir, String firstFile) {
    BinlogStreamProcess p = BinlogStreamProcess.start(binary, endpoint, dir, firstFile, replicaId);
    return new Stream() {
      @Override
      public boolean alive() {
        return p.alive();
      }

      @Override
      public String reason() {
        return p.reason();
      }

      @Override
      public void close() {
        p.close();
      }
    };
  }

  /** The first column of every row. */
  private List<String> query(String sql, String what) {
    try (Connection c = new MariaDbAdmin(endpoint).connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getString(1));
      }
      return out;
    } catch (SQLException e) {
      // the driver's message names user and host, never the password
      throw ZoneguardException.failed(
          "cannot " + what + " on " + endpoint + ": " + Text.firstLine(e.getMessage()), e);
    }
  }
}
