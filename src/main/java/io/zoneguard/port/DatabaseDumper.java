package io.zoneguard.port;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * Runs mysqldump somewhere (a local process over TCP, or exec in a pod) and hands out its stdout.
 */
public interface DatabaseDumper {

  /**
   * What to dump: these databases (never empty), plus the binlog option chosen from the server
   * (null when binary logging is off) and whether to record the MariaDB GTID position.
   */
  record DumpOptions(List<String> databases, String binlogOption, boolean gtid) {
    public DumpOptions {
      if (databases == null || databases.isEmpty()) {
        throw new IllegalArgumentException("at least one database to dump");
      }
      databases = List.copyOf(databases);
    }
  }

  RunningDump start(DumpOptions options);

  /** A dump in progress. Read {@link #stdout()} to the end, then {@link #finish}. */
  interface RunningDump extends AutoCloseable {
    InputStream stdout();

    /**
     * Waits for the dump to exit and fails, with the first line of its stderr, unless it exited 0:
     * a stream that merely ended is not a successful dump.
     */
    void finish(Duration timeout);

    /** Where the dump runs, for the manifest and messages: never holds a secret. */
    String source();

    /** Kills the dump; safe to call at any time and more than once. */
    @Override
    void close();
  }
}
