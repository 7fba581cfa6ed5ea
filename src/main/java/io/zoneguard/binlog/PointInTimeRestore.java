package io.zoneguard.binlog;

import io.zoneguard.backup.BackupSetSummary;
import io.zoneguard.backup.BackupStore;
import io.zoneguard.backup.RestoreService;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.BinlogDecoder;
import io.zoneguard.port.DatabaseLoader;
import io.zoneguard.port.DatabaseLoader.RunningLoad;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code restore --to-time}: the newest complete set taken before the target, its dump, then the
 * archived binary logs from the set's GTID up to the target. The whole chain is proven before the
 * target server is touched ({@link BinlogChain}): a gap, an archive that does not reach the target
 * or a set without a binlog position is refused (exit 3) with nothing loaded.
 */
public final class PointInTimeRestore {
  private final BackupStore store;
  private final RestoreService restores;
  private final BinlogDecoder decoder;

  public PointInTimeRestore(BackupStore store, RestoreService restores, BinlogDecoder decoder) {
    this.store = store;
    this.restores = restores;
    this.decoder = decoder;
  }

  /** What was restored: the set, the binlog files replayed, the target time. */
  public record Result(
      RestoreService.Result dump,
      String toTime,
      long serverId,
      List<String> binlogFiles,
      long binlogBytes) {}

  public Result restore(
      String namespace,
      String statefulSet,
      Optional<String> setId,
      RecoveryTarget target,
      DatabaseLoader loader,
      Map<String, String> renames,
      Path work) {
    BackupManifest m = chooseSet(namespace, statefulSet, setId, target);
    if (m.binlog() == null || m.binlog().gtid() == null) {
      throw ZoneguardException.unsafe(
          "set "
              + m.setId()
              + " recorded no GTID position (binary logging was off when it was taken): it cannot"
              + " be rolled forward");
    }
    if (m.dump().databases().size() != 1) {
      throw ZoneguardException.usage(
          "set "
              + m.setId()
              + " holds "
              + m.dump().databases()
              + ": --to-time replays one database; back it up alone (--database) to roll it"
              + " forward");
    }
    String database = m.dump().databases().get(0);
    // every check before the first write to the target server
    Map<Long, List<BinlogSegment>> archives = store.binlogSegments(namespace, statefulSet);
    ZoneguardException why = null;
    List<BinlogChain.File> chain = null;
    long server = 0;
    for (Map.Entry<Long, List<BinlogSegment>> e : archives.entrySet()) {
      try {
        chain = BinlogChain.plan(e.getValue(), m.binlog().gtid(), target);
        server = e.getKey();
        break;
      } catch (ZoneguardException ex) {
        why = why == null ? ex : why;
      }
    }
    if (chain == null) {
      throw why != null
          ? why
          : ZoneguardException.unsafe(
              namespace + "/" + statefulSet + " has no binlog archive: nothing to roll forward");
    }
    List<Path> files = download(namespace, statefulSet, chain, work);
    RestoreService.Result dump = restores.restore(m, loader, renames);
    // MariaDB's mariadb-binlog filters --database on the name as logged, before --rewrite-db
    // (checked against 10.11; MySQL's mysqlbinlog does it the other way round)
    long bytes = replay(files, m.binlog().gtid(), target, database, renames, loader);
    return new Result(
        dump,
        target.toString(),
        server,
        chain.stream().map(BinlogChain.File::name).toList(),
        bytes);
  }

  private BackupManifest chooseSet(
      String namespace, String statefulSet, Optional<String> setId, RecoveryTarget target) {
    if (setId.isPresent()) {
      BackupManifest m = store.chosen(namespace, statefulSet, setId);
      if (!startsBefore(m, target)) {
        throw ZoneguardException.unsafe(
            "set " + m.setId() + " (" + m.createdAt() + ") is not before " + target);
      }
      return m;
    }
    List<BackupSetSummary> before =
        store.list(namespace, statefulSet).stream()
            .filter(BackupSetSummary::complete)
            .filter(
                s ->
                    target.time() != null
                        ? !Instant.parse(s.startedAt()).isAfter(target.time())
                        : startsBefore(s.manifest(), target))
            .toList();
    if (before.isEmpty()) {
      throw ZoneguardException.unsafe(
          target
              + " is before the oldest complete backup set of "
              + namespace
              + "/"
              + statefulSet
              + ": nothing to start from");
    }
    // sets are listed newest first; its dump's consistent point is when it started
    return before.get(0).manifest();
  }

  /** Whether a set's consistent point is at or before the target. */
  private static boolean startsBefore(BackupManifest m, RecoveryTarget target) {
    if (target.time() != null) {
      return !Instant.parse(m.createdAt()).isAfter(target.time());
    }
    return m != null
        && m.binlog() != null
        && m.binlog().gtid() != null
        && !io.zoneguard.domain.Gtid.parse(m.binlog().gtid()).after(target.gtid());
  }

  /** Each file of the chain, its segments joined and SHA-256 checked, under {@code work}. */
  private List<Path> download(
      String namespace, String statefulSet, List<BinlogChain.File> chain, Path work) {
    return ArchiveReplay.download(store, namespace, statefulSet, chain, work);
  }

  private long replay(
      List<Path> files,
      String gtid,
      RecoveryTarget target,
      String database,
      Map<String, String> renames,
      DatabaseLoader loader) {
    try (BinlogDecoder.Decoding d =
            decoder.decode(files, gtid, target.time(), target.gtidText(), database, renames);
        RunningLoad load = loader.start()) {
      long n;
      try (InputStream in = d.sql();
          OutputStream out = load.stdin()) {
        n = in.transferTo(out);
      } catch (IOException e) {
        load.finish(Duration.ofSeconds(30));
        throw ZoneguardException.failed("replaying binary logs stopped: " + e.getMessage(), e);
      }
      d.finish(Duration.ofMinutes(10));
      load.finish(Duration.ofHours(6));
      return n;
    }
  }
}
