package io.zoneguard.binlog;

import io.zoneguard.backup.BackupStore;
import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.Poller;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.BinlogSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Continuous archiving of one StatefulSet's server: keeps a binlog stream running into a spool
 * directory and uploads what it wrote every {@code interval}, so the archive trails the server by
 * about one interval. Restarts a stream that died from where the archive ends. A file the archive
 * needs that the server no longer has (purged before it was archived) is a gap: reported, counted,
 * and archiving continues from the server's next file.
 */
public final class BinlogArchiveService {
  private final BackupStore store;
  private final Clock clock;

  public BinlogArchiveService(BackupStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Hears what a run does: each segment, each finished pass, gaps, and lines for people. */
  public interface Listener {
    /** A line for the log or terminal. */
    void say(String line);

    default void segment(BinlogSegment s) {}

    /** A pass uploaded every whole event the stream had written: the archive is current. */
    default void pass() {}

    default void gap(String gap) {}
  }

  /** What a run archived. */
  public record Report(
      long serverId,
      int segments,
      long bytes,
      String lastEventTime,
      String lastGtid,
      List<String> gaps) {}

  /**
   * Archives until {@code stop} holds (checked after each upload) or {@code maxRun} has passed;
   * uploads once more before returning. Each segment is reported to {@code progress}.
   */
  public Report run(
      String namespace,
      String statefulSet,
      BinlogSource source,
      Path spool,
      Duration interval,
      Duration maxRun,
      BooleanSupplier stop,
      Listener listener) {
    if (!source.binlogEnabled()) {
      throw ZoneguardException.unsafe(
          "binary logging is off on the server of "
              + namespace
              + "/"
              + statefulSet
              + ": nothing to archive (enable log_bin and set server_id in the server's configuration)");
    }
    long serverId = source.serverId();
    BinlogArchiver archiver = new BinlogArchiver(store, namespace, statefulSet, serverId, spool);
    List<String> gaps = new ArrayList<>();
    List<BinlogSegment> done = new ArrayList<>();
    BinlogSource.Stream[] stream = {null};
    try {
      new Poller(clock, interval)
          .until(
              maxRun,
              () -> {
                if (stream[0] == null || !stream[0].alive()) {
                  if (stream[0] != null) {
                    listener.say("binlog stream stopped (" + stream[0].reason() + "); restarting");
                    stream[0].close();
                  }
                  int known = gaps.size();
                  String from =
                      startFile(archiver.resumeFile(), source.binaryLogs(), gaps, listener::say);
                  gaps.subList(known, gaps.size()).forEach(listener::gap);
                  stream[0] = source.stream(spool, from);
                }
                upload(archiver, done, listener);
                return stop.getAsBoolean();
              });
      upload(archiver, done, listener);
    } finally {
      if (stream[0] != null) {
        stream[0].close();
      }
    }
    BinlogSegment last = done.isEmpty() ? null : done.get(done.size() - 1);
    return new Report(
        serverId,
        done.size(),
        done.stream().mapToLong(s -> s.to() - s.from()).sum(),
        last == null ? null : last.lastEventTime(),
        done.stream()
            .map(BinlogSegment::lastGtid)
            .filter(g -> g != null)
            .reduce((a, b) -> b)
            .orElse(null),
        gaps);
  }

  /**
   * Removes a spool directory and what is left in it (the open file's copy): the archive is in the
   * bucket and a new stream copies again from where it ends.
   */
  public static void discardSpool(Path dir) {
    io.zoneguard.domain.ScratchDir.delete(dir);
  }

  private static void upload(BinlogArchiver archiver, List<BinlogSegment> done, Listener listener) {
    try {
      for (BinlogSegment s : archiver.archiveOnce()) {
        done.add(s);
        listener.segment(s);
        listener.say(
            String.format(
                "archived %s %d-%d%s (last event %s%s)",
                s.file(),
                s.from(),
                s.to(),
                s.closed() ? " closed" : "",
                s.lastEventTime(),
                s.lastGtid() == null ? "" : ", gtid " + s.lastGtid()));
      }
      listener.pass();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Where a stream starts: where the archive ends if the server still has that file; the server's
   * oldest file when nothing is archived; else the server's first newer file, and the files in
   * between are a gap (purged before they were archived).
   */
  static String startFile(
      Optional<String> resume,
      List<String> onServer,
      List<String> gaps,
      Consumer<String> progress) {
    if (onServer.isEmpty()) {
      throw ZoneguardException.failed("the server lists no binary logs (SHOW BINARY LOGS)", null);
    }
    if (resume.isEmpty() || onServer.contains(resume.get())) {
      return resume.orElse(onServer.get(0));
    }
    String want = resume.get();
    String next =
        onServer.stream()
            .filter(f -> f.compareTo(want) > 0)
            .findFirst()
            .orElseThrow(
                () ->
                    ZoneguardException.unsafe(
                        "the archive continues at "
                            + want
                            + " but the server's binary logs are "
                            + onServer.get(0)
                            + ".."
                            + onServer.get(onServer.size() - 1)
                            + " (RESET MASTER, or another server?): refusing to mix them"));
    String gap = want + " up to " + next + " (purged before archived)";
    gaps.add(gap);
    progress.accept("GAP: binary logs " + gap + "; continuing at " + next);
    return next;
  }
}
