package io.zoneguard.mysql;

import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.ServerInfo;
import io.zoneguard.domain.TableStats;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.DatabaseAdmin;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/** {@link DatabaseAdmin} over JDBC (MariaDB Connector/J speaks to MySQL and MariaDB alike). */
public final class MariaDbAdmin implements DatabaseAdmin {
  private static final Set<String> SYSTEM_SCHEMAS =
      Set.of("mysql", "information_schema", "performance_schema", "sys");

  private final DatabaseEndpoint endpoint;

  public MariaDbAdmin(DatabaseEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  Connection connect() {
    Properties p = new Properties();
    p.setProperty("user", endpoint.user());
    p.setProperty("password", endpoint.password().reveal());
    p.setProperty("connectTimeout", "5000");
    try {
      return DriverManager.getConnection(
          "jdbc:mariadb://" + endpoint.host() + ":" + endpoint.port() + "/", p);
    } catch (SQLException e) {
      // The driver's message names user and host but never the password.
      throw ZoneguardException.failed(
          "cannot connect to database " + endpoint + ": " + Text.firstLine(e.getMessage()), e);
    }
  }

  @Override
  public ServerInfo serverInfo() {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT VERSION(), @@log_bin")) {
      r.next();
      String version = r.getString(1);
      return new ServerInfo(version, version.toLowerCase().contains("mariadb"), r.getInt(2) == 1);
    } catch (SQLException e) {
      throw failed("read server version", e);
    }
  }

  @Override
  public List<String> databases() {
    List<String> out = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW DATABASES")) {
      while (r.next()) {
        if (!SYSTEM_SCHEMAS.contains(r.getString(1))) {
          out.add(r.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("list databases", e);
    }
  }

  @Override
  public Map<String, String> tableEngines(String database) {
    try (Connection c = connect()) {
      return engines(c, database);
    } catch (SQLException e) {
      throw failed("list tables of " + database, e);
    }
  }

  private static Map<String, String> engines(Connection c, String database) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (var ps =
        c.prepareStatement(
            "SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'")) {
      ps.setString(1, database);
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getString(2));
        }
      }
    }
    return out;
  }

  @Override
  public List<TableStats> tableStats(String database, boolean checksums) {
    List<TableStats> out = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (Map.Entry<String, String> t : engines(c, database).entrySet()) {
        String q = quote(database) + "." + quote(t.getKey());
        long rows;
        try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + q)) {
          r.next();
          rows = r.getLong(1);
        }
        Long sum = null;
        if (checksums) {
          try (ResultSet r = s.executeQuery("CHECKSUM TABLE " + q)) {
            r.next();
            sum = r.getLong(2);
          }
        }
        out.add(new TableStats(t.getKey(), t.getValue(), rows, sum));
      }
      return out;
    } catch (SQLException e) {
      throw failed("read table statistics of " + database, e);
    }
  }

  @Override
  public Map<String, Long> tableChecksums(String database) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      List<String> tables = List.copyOf(engines(c, database).keySet());
      Map<String, Long> out = new TreeMap<>();
      if (tables.isEmpty()) {
        return out;
      }
      String sql =
          "CHECKSUM TABLE "
              + String.join(
                  ", ", tables.stream().map(t -> quote(database) + "." + quote(t)).toList());
      try (ResultSet r = s.executeQuery(sql)) {
        // one row per table, in the order named (the names in it are not quoted)
        for (int i = 0; r.next() && i < tables.size(); i++) {
          long sum = r.getLong(2);
          if (!r.wasNull()) {
            out.put(tables.get(i), sum);
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("checksum the tables of " + database, e);
    }
  }

  @Override
  public void dropDrillDatabase(String name) {
    if (!name.contains(io.zoneguard.domain.Keys.DRILL_DATABASE_MARKER)) {
      throw ZoneguardException.unsafe(
          "refusing to drop database " + name + ": zoneguard drops only drill scratch databases");
    }
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + quote(name));
    } catch (SQLException e) {
      throw failed("drop scratch database " + name, e);
    }
  }

  @Override
  public void withGlobalReadLock(Runnable action) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(60);
      s.execute("FLUSH TABLES WITH READ LOCK");
      try {
        action.run();
      } finally {
        s.execute("UNLOCK TABLES");
      }
    } catch (SQLException e) {
      throw failed("hold FLUSH TABLES WITH READ LOCK", e);
    }
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  private ZoneguardException failed(String what, SQLException e) {
    return ZoneguardException.failed(
        "cannot " + what + " on " + endpoint + ": " + Text.firstLine(e.getMessage()), e);
  }
}
