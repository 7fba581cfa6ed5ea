package io.zoneguard.mysql;

import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.BinlogDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mariadb-binlog} over local files: {@code --start-position=<GTID>} (exclusive: only
 * transactions after the set's state; MariaDB 10.8+), {@code --stop-datetime} (events before the
 * target; read in the process's time zone, so TZ is UTC) or {@code --stop-position=<GTID>}
 * (inclusive), {@code --database} (ROW events of that database only; every database when none is
 * given, as catch-up replays a whole server) and {@code --rewrite-db} for renames.
 */
public final class MariaDbBinlogDecoder implements BinlogDecoder {
  private static final DateTimeFormatter STOP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final String binary;

  public MariaDbBinlogDecoder(String binary) {
    this.binary = binary;
  }

  @Override
  public Decoding decode(
      List<Path> files,
      String startGtid,
      Instant stopAt,
      String stopGtid,
      String database,
      Map<String, String> renames) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary);
    if (startGtid != null && !startGtid.isBlank()) {
      cmd.add("--start-position=" + startGtid);
    }
    // a GTID stop position is inclusive (mariadb-binlog --help, MariaDB 10.8+)
    cmd.add(
        stopAt != null ? "--stop-datetime=" + STOP.format(stopAt) : "--stop-position=" + stopGtid);
    if (database != null) {
      cmd.add("--database=" + database);
    }
    renames.forEach((from, to) -> cmd.add("--rewrite-db=" + from + "->" + to));
    files.forEach(f -> cmd.add(f.toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("TZ", "UTC");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw ZoneguardException.failed(
          "cannot run "
              + binary
              + " ("
              + Text.firstLine(e.getMessage())
              + "): install the MariaDB client (mariadb-binlog)",
          e);
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain =
        new Thread(
            () -> {
              try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
              } catch (IOException ignored) {
                // process gone
              }
            },
            "binlog-decoder-stderr");
    drain.setDaemon(true);
    drain.start();
    return new Decoding() {
      @Override
      public InputStream sql() {
        return p.getInputStream();
      }

      @Override
      public void finish(Duration timeout) {
        ClientProcess.await(
            p, drain, timeout, binary, () -> Text.firstLine(err.toString(StandardCharsets.UTF_8)));
      }

      @Override
      public void close() {
        if (p.isAlive()) {
          p.destroyForcibly();
        }
      }
    };
  }
}
