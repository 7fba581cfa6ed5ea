package io.zoneguard.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seeds a scratch database with what a real shop schema has, and reads counts and checksums. */
public final class SeedData {
  private SeedData() {}

  /**
   * Tables with awkward values (quotes, parentheses, backslashes, newlines, binary), a view, a
   * trigger, a routine, and a {@code big} table of about {@code bigMb} MiB.
   */
  public static void seed(ScratchDatabase db, int bigMb) throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100), note TEXT) ENGINE=InnoDB");
      s.execute(
          "INSERT INTO customers VALUES (1,'O''Brien','likes (parens)'),"
              + " (2,'back\\\\slash','line\\nbreak'), (3,'),(',')('), (4,NULL,NULL)");
      s.execute("CREATE TABLE blobs (id INT PRIMARY KEY, data BLOB) ENGINE=InnoDB");
      s.execute(
          "INSERT INTO blobs VALUES (1, UNHEX('00FF28292C27')), (2, RANDOM_BYTES(64)), (3, '')");
      s.execute("CREATE TABLE empty_table (id INT PRIMARY KEY) ENGINE=InnoDB");
      s.execute("CREATE VIEW customer_names AS SELECT name FROM customers");
      s.execute("CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(50))");
      s.execute(
          "CREATE TRIGGER customers_ai AFTER INSERT ON customers FOR EACH ROW"
              + " INSERT INTO audit (what) VALUES (CONCAT('new ', NEW.id))");
      s.execute(
          "CREATE FUNCTION shout(x VARCHAR(50)) RETURNS VARCHAR(60) DETERMINISTIC RETURN UPPER(x)");
      s.execute(
          "CREATE TABLE big (id BIGINT AUTO_INCREMENT PRIMARY KEY, k INT, pad CHAR(120),"
              + " payload VARCHAR(900)) ENGINE=InnoDB");
      s.execute(
          "INSERT INTO big (k, pad, payload) VALUES (1, REPEAT('p',120), REPEAT(MD5(1), 28))");
      // ~1 KiB a row: double until the table holds bigMb MiB
      long rows = 1;
      while (rows * 1024 < (long) bigMb * 1024 * 1024) {
        s.execute(
            "INSERT INTO big (k, pad, payload) SELECT k + id, pad, REPEAT(MD5(id + k), 28) FROM big");
        rows *= 2;
      }
    }
  }

  /** Row count and CHECKSUM TABLE of every base table, keyed by table name. */
  public static Map<String, long[]> stats(ScratchDatabase db, String schema) throws SQLException {
    Map<String, long[]> out = new LinkedHashMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      java.util.List<String> tables = new java.util.ArrayList<>();
      try (ResultSet r =
          s.executeQuery(
              "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='"
                  + schema
                  + "' AND TABLE_TYPE='BASE TABLE' ORDER BY 1")) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
      for (String t : tables) {
        long count;
        long sum;
        try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM `" + schema + "`.`" + t + "`")) {
          r.next();
          count = r.getLong(1);
        }
        try (ResultSet r = s.executeQuery("CHECKSUM TABLE `" + schema + "`.`" + t + "`")) {
          r.next();
          sum = r.getLong(2);
        }
        out.put(t, new long[] {count, sum});
      }
    }
    return out;
  }
}
