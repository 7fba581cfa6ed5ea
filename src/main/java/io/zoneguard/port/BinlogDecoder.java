package io.zoneguard.port;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Turns archived binary log files into SQL a client can replay ({@code mariadb-binlog}). */
public interface BinlogDecoder {
  /**
   * The events of {@code files} (in order) after {@code startGtid} and before {@code stopAt} (or,
   * with {@code stopAt} null, up to and including {@code stopGtid}), of {@code database} only (all
   * when null), renamed as {@code renames} says; the caller reads {@link Decoding#sql()} to its
   * end, then calls {@link Decoding#finish}.
   */
  Decoding decode(
      List<Path> files,
      String startGtid,
      Instant stopAt,
      String stopGtid,
      String database,
      Map<String, String> renames);

  interface Decoding extends AutoCloseable {
    InputStream sql();

    /** Waits for the decoder; fails with its first error line unless it exited 0. */
    void finish(Duration timeout);

    @Override
    void close();
  }
}
