package io.zoneguard.port;

import io.zoneguard.domain.ServerInfo;
import io.zoneguard.domain.TableStats;
import java.util.List;

/** Administrative queries on one MySQL/MariaDB server. */
public interface DatabaseAdmin {

  ServerInfo serverInfo();

  /** User databases: everything but the server's own schemas. */
  List<String> databases();

  /** Base tables of one database and their storage engines, sorted by name. Cheap: no scans. */
  java.util.Map<String, String> tableEngines(String database);

  /** Base tables of one database, sorted by name, with exact counts and optional checksums. */
  List<TableStats> tableStats(String database, boolean checksums);

  /**
   * {@code CHECKSUM TABLE} of every base table of one database, by table name (sorted), in one
   * statement and without the row counts {@link #tableStats} scans for. A table dropped meanwhile
   * is absent.
   */
  java.util.Map<String, Long> tableChecksums(String database);

  /**
   * Runs {@code action} while holding {@code FLUSH TABLES WITH READ LOCK}, released right after:
   * writes stall only for as long as the action takes (meant for CreateSnapshot calls only).
   */
  void withGlobalReadLock(Runnable action);

  /**
   * Drops a drill's scratch database. Refused (unsafe) unless the name contains {@code _zgdrill_}:
   * zoneguard drops nothing else. Absent already: ok.
   */
  void dropDrillDatabase(String name);

  /** User databases whose names contain {@code _zgdrill_<suffix>}: a drill's leftovers. */
  default List<String> drillDatabases(String suffix) {
    return databases().stream()
        .filter(d -> d.endsWith(io.zoneguard.domain.Keys.DRILL_DATABASE_MARKER + suffix))
        .toList();
  }
}
