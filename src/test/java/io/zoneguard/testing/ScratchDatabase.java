package io.zoneguard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A database of its own on the local MariaDB, created for one test and dropped after it. */
public record ScratchDatabase(String host, int port, String user, String name) {

  public String jdbcUrl() {
    return "jdbc:mariadb://" + host + ":" + port + "/" + name;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user, "");
  }
}
