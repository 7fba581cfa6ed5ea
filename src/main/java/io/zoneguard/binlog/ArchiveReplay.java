package io.zoneguard.binlog;

import io.zoneguard.backup.BackupStore;
import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.BinlogDecoder;
import io.zoneguard.port.DatabaseLoader;
import io.zoneguard.port.DatabaseLoader.RunningLoad;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The two halves of replaying an archive, shared by point-in-time restore and catch-up: the chain's
 * files fetched to local disk, then the decoder's SQL piped into a server's client.
 */
final class ArchiveReplay {
  private ArchiveReplay() {}

  /**
   * Each file of the chain, its segments joined, under {@code work}; every segment's SHA-256 is
   * checked against its index first, so an altered archive replays nothing.
   */
  static List<Path> download(
      BackupStore store,
      String namespace,
      String statefulSet,
      List<BinlogChain.File> chain,
      Path work) {
    List<Path> out = new ArrayList<>();
    try {
      Files.createDirectories(work);
      for (BinlogChain.File f : chain) {
        Path p = work.resolve(f.name());
        try (OutputStream o = Files.newOutputStream(p)) {
          for (BinlogSegment s : f.segments()) {
            o.write(verified(s, store.binlogData(namespace, statefulSet, s.range())));
          }
        }
        out.add(p);
      }
    } catch (IOException e) {
      throw ZoneguardException.failed("cannot write binlog files to " + work, e);
    }
    return out;
  }

  private static byte[] verified(BinlogSegment s, byte[] data) {
    String actual = BinlogArchiver.sha256(data);
    if (!actual.equals(s.sha256())) {
      throw ZoneguardException.failed(
          "binlog segment "
              + s.file()
              + " "
              + s.from()
              + "-"
              + s.to()
              + " of server "
              + s.serverId()
              + " has SHA-256 "
              + actual
              + " but its index records "
              + s.sha256()
              + ": the object is corrupted or was altered; nothing was replayed",
          null);
    }
    return data;
  }

  /** Pipes the decoder's SQL into a new load; returns the bytes of SQL replayed. */
  static long pipe(BinlogDecoder.Decoding d, DatabaseLoader loader) {
    return pipe(d, loader, "").bytes();
  }

  /** What a replay piped: the bytes of SQL and what the client printed on stdout. */
  record Piped(long bytes, String output) {}

  /**
   * Pipes the decoder's SQL into a new load, then {@code trailer} in the same session (the drill's
   * query for what that session executed, {@link ReplayMarker}).
   */
  static Piped pipe(BinlogDecoder.Decoding d, DatabaseLoader loader, String trailer) {
    try (d;
        RunningLoad load = loader.start()) {
      long n;
      try (InputStream in = d.sql();
          OutputStream out = load.stdin()) {
        n = in.transferTo(out);
        out.write(trailer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        load.finish(Duration.ofSeconds(30));
        throw ZoneguardException.failed("replaying binary logs stopped: " + e.getMessage(), e);
      }
      d.finish(Duration.ofMinutes(10));
      load.finish(Duration.ofHours(6));
      return new Piped(n, load.output());
    }
  }
}
