package io.zoneguard.kube;

import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.zoneguard.domain.ServerInfo;
import io.zoneguard.domain.TableStats;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.DatabaseAdmin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link DatabaseAdmin} through the mysql client inside the database pod (no network path needed).
 */
public final class PodExecAdmin implements DatabaseAdmin {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Duration LOCK_WAIT = Duration.ofSeconds(60);
  private static final List<String> CLIENTS = List.of("mariadb", "mysql");
  private static final Set<String> SYSTEM_SCHEMAS =
      Set.of("mysql", "information_schema", "performance_schema", "sys");

  private final PodShell shell;

  public PodExecAdmin(PodShell shell) {
    this.shell = shell;
  }

  private List<String[]> query(String sql) {
    String out = shell.run(shell.clientScript(CLIENTS, List.of("-N", "-B", "-e", sql)), TIMEOUT);
    List<String[]> rows = new ArrayList<>();
    out.lines().filter(l -> !l.isEmpty()).forEach(l -> rows.add(l.split("\t", -1)));
    return rows;
  }

  @Override
  public ServerInfo serverInfo() {
    String[] r = query("SELECT VERSION(), @@log_bin").get(0);
    return new ServerInfo(r[0], r[0].toLowerCase().contains("mariadb"), "1".equals(r[1]));
  }

  @Override
  public List<String> databases() {
    return query("SHOW DATABASES").stream()
        .map(r -> r[0])
        .filter(d -> !SYSTEM_SCHEMAS.contains(d))
        .toList();
  }

  @Override
  public Map<String, String> tableEngines(String database) {
    Map<String, String> out = new TreeMap<>();
    for (String[] r :
        query(
            "SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                + literal(database)
                + " AND TABLE_TYPE = 'BASE TABLE'")) {
      out.put(r[0], r[1]);
    }
    return out;
  }

  @Override
  public List<TableStats> tableStats(String database, boolean checksums) {
    List<TableStats> out = new ArrayList<>();
    for (Map.Entry<String, String> t : tableEngines(database).entrySet()) {
      String q = ident(database) + "." + ident(t.getKey());
      long rows = Long.parseLong(query("SELECT COUNT(*) FROM " + q).get(0)[0]);
      Long sum = checksums ? Long.valueOf(query("CHECKSUM TABLE " + q).get(0)[1]) : null;
      out.add(new TableStats(t.getKey(), t.getValue(), rows, sum));
    }
    return out;
  }

  @Override
  public Map<String, Long> tableChecksums(String database) {
    List<String> tables = List.copyOf(tableEngines(database).keySet());
    Map<String, Long> out = new TreeMap<>();
    if (tables.isEmpty()) {
      return out;
    }
    List<String[]> rows =
        query(
            "CHECKSUM TABLE "
                + String.join(
                    ", ", tables.stream().map(t -> ident(database) + "." + ident(t)).toList()));
    // one row per table, in the order named; NULL for a table dropped meanwhile
    for (int i = 0; i < Math.min(rows.size(), tables.size()); i++) {
      String sum = rows.get(i)[1];
      if (!"NULL".equals(sum)) {
        out.put(tables.get(i), Long.valueOf(sum));
      }
    }
    return out;
  }

  /**
   * Holds the lock in an interactive mysql session in the pod: the lock lives as long as that
   * session, so the client waits for "locked", runs the action, then unlocks and ends it.
   */
  /** Drills restore into a scratch server reached over TCP, never through a production pod. */
  @Override
  public void dropDrillDatabase(String name) {
    throw io.zoneguard.domain.ZoneguardException.usage(
        "drills use a scratch database server over TCP (--db-host), not exec into a pod");
  }

  @Override
  public void withGlobalReadLock(Runnable action) {
    try (ExecWatch w =
        shell.start(shell.clientScript(CLIENTS, List.of("-N", "-B", "--unbuffered")), true)) {
      OutputStream in = w.getInput();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(w.getOutput(), StandardCharsets.UTF_8));
      in.write(
          "FLUSH TABLES WITH READ LOCK;\nSELECT 'zoneguard-locked';\n"
              .getBytes(StandardCharsets.UTF_8));
      in.flush();
      // FLUSH TABLES WITH READ LOCK waits behind long queries while stalling every write:
      // give up after LOCK_WAIT rather than freeze the database.
      var locked =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals("zoneguard-locked")) {
                      return true;
                    }
                  }
                  return false;
                } catch (IOException e) {
                  return false;
                }
              });
      boolean ok;
      try {
        ok = locked.get(LOCK_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        ok = false;
      }
      if (!ok) {
        throw ZoneguardException.failed(
            "FLUSH TABLES WITH READ LOCK in "
                + shell.where()
                + " did not succeed within "
                + LOCK_WAIT.toSeconds()
                + " s (long-running queries?); no snapshot was taken",
            null);
      }
      try {
        action.run();
      } finally {
        // "quit" ends the session even where the exec protocol cannot signal end of stdin (v4).
        in.write("UNLOCK TABLES;\nquit\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        in.close();
      }
      PodShell.exitCode(w, TIMEOUT);
    } catch (IOException e) {
      throw ZoneguardException.failed("lost the lock session in " + shell.where(), e);
    }
  }

  static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  static String ident(String s) {
    return "`" + s.replace("`", "``") + "`";
  }
}
