package io.zoneguard.backup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a mysqldump stream as it passes and learns, from the dump itself, what a restore will
 * contain: rows per table (tuples of its extended INSERTs) and the binlog coordinates and GTID
 * position written by {@code --master-data=2}/{@code --source-data=2} and {@code --gtid}. Counting
 * what the dump session wrote is exact and consistent with the dump, unlike a separate COUNT(*).
 *
 * <p>A byte state machine: only lines starting with {@code I}, {@code U}, {@code -} or {@code S}
 * are examined; inside VALUES, until the statement's closing {@code ;}, it tracks quotes
 * (backslash-escaped, as mysqldump writes them) and parenthesis depth, counting each top-level
 * tuple.
 */
public final class DumpScanner {
  private static final Pattern INSERT =
      Pattern.compile("INSERT INTO `((?:[^`]|``)+)`.* VALUES ?", Pattern.DOTALL);
  private static final Pattern USE = Pattern.compile("USE `((?:[^`]|``)+)`;");
  private static final Pattern LOG_POS =
      Pattern.compile(
          "-- CHANGE (?:MASTER|REPLICATION SOURCE) TO (?:MASTER|SOURCE)_LOG_FILE='([^']+)',"
              + " (?:MASTER|SOURCE)_LOG_POS=(\\d+);");
  private static final Pattern GTID = Pattern.compile("-- SET GLOBAL gtid_slave_pos='([^']*)';");
  private static final int MAX_HEADER = 8192;

  private enum Mode {
    LINE_START,
    HEADER,
    VALUES,
    SKIP
  }

  private Mode mode = Mode.LINE_START;
  private final ByteArrayOutputStream header = new ByteArrayOutputStream();
  private boolean inQuote;
  private boolean escape;
  private int depth;
  private String database = "";
  private String table;
  private long tableRows;
  private final Map<String, Long> rows = new LinkedHashMap<>();
  private String binlogFile;
  private Long binlogPosition;
  private String gtid;
  private boolean completed;
  private Runnable pastLocks = () -> {};
  private boolean databaseSeen;

  /**
   * Runs {@code action} (once, on the scanning thread) when the dump shows its first database:
   * mysqldump has then released the global read lock it may take at its start.
   */
  public void whenPastLocks(Runnable action) {
    this.pastLocks = action;
  }

  public void update(byte[] buf, int len) {
    update(buf, 0, len);
  }

  public void update(byte[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte b = buf[i];
      switch (mode) {
        case LINE_START -> {
          if (b == 'I' || b == 'U' || b == '-' || b == 'S') {
            header.reset();
            header.write(b);
            mode = Mode.HEADER;
          } else if (b != '\n') {
            mode = Mode.SKIP;
          }
        }
        case HEADER -> header(b);
        case VALUES -> values(b);
        case SKIP -> {
          if (b == '\n') {
            mode = Mode.LINE_START;
          }
        }
      }
    }
  }

  private void header(byte b) {
    // MySQL writes "INSERT INTO `t` VALUES (..),(..);" on one line; MariaDB 10.11 breaks the line
    // after VALUES and after each tuple. Both end at the ';' outside quotes.
    if (b == '\n') {
      if (!startInsert()) {
        headerLine(header.toString(StandardCharsets.UTF_8));
        mode = Mode.LINE_START;
      }
      return;
    }
    header.write(b);
    if (b == ' ' && header.size() > 20 && startInsert()) {
      return;
    }
    if (header.size() > MAX_HEADER) {
      mode = Mode.SKIP;
    }
  }

  private boolean startInsert() {
    if (header.size() < 20 || header.toByteArray()[0] != 'I') {
      return false;
    }
    Matcher m = INSERT.matcher(header.toString(StandardCharsets.UTF_8));
    if (!m.matches()) {
      return false;
    }
    String t = m.group(1).replace("``", "`");
    String key = database.isEmpty() ? t : database + "." + t;
    if (!key.equals(table)) {
      flushTable();
      table = key;
    }
    mode = Mode.VALUES;
    inQuote = false;
    escape = false;
    depth = 0;
    return true;
  }

  private void values(byte b) {
    if (inQuote) {
      if (escape) {
        escape = false;
      } else if (b == '\\') {
        escape = true;
      } else if (b == '\'') {
        inQuote = false;
      }
      return;
    }
    switch (b) {
      case '\'' -> inQuote = true;
      case '(' -> {
        if (depth++ == 0) {
          tableRows++;
        }
      }
      case ')' -> depth--;
      case ';' -> {
        if (depth == 0) {
          mode = Mode.SKIP;
        }
      }
      default -> {}
    }
  }

  private void headerLine(String line) {
    Matcher m;
    if ((m = USE.matcher(line)).matches()) {
      flushTable();
      database = m.group(1).replace("``", "`");
      if (!databaseSeen) {
        databaseSeen = true;
        pastLocks.run();
      }
    } else if ((m = LOG_POS.matcher(line)).matches()) {
      binlogFile = m.group(1);
      binlogPosition = Long.parseLong(m.group(2));
    } else if ((m = GTID.matcher(line)).matches()) {
      gtid = m.group(1);
    } else if (line.startsWith("-- Dump completed")) {
      completed = true;
    }
  }

  private void flushTable() {
    if (table != null) {
      rows.merge(table, tableRows, Long::sum);
    }
    table = null;
    tableRows = 0;
  }

  /** Rows per {@code database.table} seen so far (tables without rows are absent). */
  public Map<String, Long> rowCounts() {
    flushTable();
    return Map.copyOf(rows);
  }

  public String binlogFile() {
    return binlogFile;
  }

  public Long binlogPosition() {
    return binlogPosition;
  }

  /** True once mysqldump's closing "-- Dump completed" line has passed: the output is whole. */
  public boolean completed() {
    return completed;
  }

  public String gtid() {
    return gtid;
  }
}
