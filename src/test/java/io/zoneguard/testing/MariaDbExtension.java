package io.zoneguard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link ScratchDatabase} on the local MariaDB (127.0.0.1:3306, root, no password, or
 * -Dzoneguard.mariadb.host/port/user), dropped when the test ends. No MariaDB fails the test with
 * how to start it.
 */
public final class MariaDbExtension implements ParameterResolver {
  static final String HOST = System.getProperty("zoneguard.mariadb.host", "127.0.0.1");
  static final int PORT = Integer.getInteger("zoneguard.mariadb.port", 3306);
  static final String USER = System.getProperty("zoneguard.mariadb.user", "root");

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == ScratchDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    String name = "zg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    ScratchDatabase db = new ScratchDatabase(HOST, PORT, USER, name);
    exec("CREATE DATABASE `" + name + "`");
    c.getStore(ExtensionContext.Namespace.create(MariaDbExtension.class, name))
        .put("drop", (AutoCloseable) () -> exec("DROP DATABASE IF EXISTS `" + name + "`"));
    return db;
  }

  static void exec(String sql) {
    String url = "jdbc:mariadb://" + HOST + ":" + PORT + "/";
    try (Connection c = DriverManager.getConnection(url, USER, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "MariaDB at "
              + HOST
              + ":"
              + PORT
              + " is not usable ("
              + e.getMessage()
              + "). Start it with: start-stop-daemon --start --oknodo --background --exec"
              + " /usr/sbin/mariadbd",
          e);
    }
  }
}
