package io.zoneguard.binlog;

import io.zoneguard.backup.BackupSetSummary;
import io.zoneguard.backup.BackupStore;
import io.zoneguard.backup.RestoreService;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.Gtid;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.BinlogDecoder;
import io.zoneguard.port.DatabaseLoader;
import io.zoneguard.port.DatabaseLoader.RunningLoad;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

  /**
   * What was restored: the set, the binlog files replayed, the target; the archive's last
   * transaction before the target (null when none after the set), what the replay session executed,
   * and whether the two agree ({@link #reached}).
   */
  public record Result(
      RestoreService.Result dump,
      String toTime,
      long serverId,
      List<String> binlogFiles,
      long binlogBytes,
      String expectedGtid,
      long executedSeq,
      String executedGtid,
      boolean reached) {}

  public Result restore(
      String namespace,
      String statefulSet,
      Optional<String> setId,
      RecoveryTarget target,
      DatabaseLoader loader,
      Map<String, String> renames,
      Path work) {
    Plan plan = prepare(namespace, statefulSet, setId, target, work);
    RestoreService.Result dump = restores.restore(plan.set(), loader, renames);
    Replayed replayed = replay(plan, loader, renames);
    return new Result(
        dump,
        plan.target().toString(),
        plan.serverId(),
        plan.fileNames(),
        replayed.bytes(),
        plan.reach().map(ReplayReach.Point::gtid).orElse(null),
        replayed.executedSeq(),
        replayed.executedGtid(),
        reached(plan, replayed));
  }

  /**
   * Whether a replay reached the archive's last transaction before the target: the session executed
   * exactly its sequence number (or, when none was due, nothing after the set). The expectation
   * comes from the archived bytes ({@link ReplayReach}), not from the decoder whose work it checks.
   */
  public static boolean reached(Plan plan, Replayed r) {
    return plan.reach()
        .map(p -> Gtid.parse(p.gtid()).seq() == r.executedSeq())
        .orElse(
            Long.compareUnsigned(r.executedSeq(), Gtid.parse(plan.set().binlog().gtid()).seq())
                <= 0);
  }

  /**
   * Everything a replay needs, proven before the target server is touched: the set, the archived
   * files from its GTID to the target (downloaded under {@code work}), the resolved target, the
   * newest transaction the replay must apply ({@link ReplayReach}; empty when none after the set)
   * and the time of the newest archived event of that server.
   */
  public record Plan(
      BackupManifest set,
      String database,
      long serverId,
      RecoveryTarget target,
      List<BinlogChain.File> chain,
      List<Path> files,
      Optional<ReplayReach.Point> reach,
      String newestEventTime) {

    public List<String> fileNames() {
      return chain.stream().map(BinlogChain.File::name).toList();
    }
  }

  /**
   * Chooses the set (the newest complete one before the target, or {@code setId}), proves the chain
   * from its GTID to the target complete and downloads it; {@link RecoveryTarget#latest()} resolves
   * to the newest archived transaction of the server whose archive reaches furthest.
   *
   * @throws ZoneguardException unsafe (exit 3) for a gap, an archive that does not reach the target
   *     or a set without a GTID; nothing has been written anywhere but {@code work}
   */
  public Plan prepare(
      String namespace,
      String statefulSet,
      Optional<String> setId,
      RecoveryTarget target,
      Path work) {
    BackupManifest m =
        target.isLatest()
            ? store.chosen(namespace, statefulSet, setId)
            : chooseSet(namespace, statefulSet, setId, target);
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
    List<Map.Entry<Long, List<BinlogSegment>>> archives =
        new ArrayList<>(store.binlogSegments(namespace, statefulSet).entrySet());
    if (target.isLatest()) {
      // after a failover the newest events are on another server: try the freshest archive first
      archives.sort(
          java.util.Comparator.comparing(
                  (Map.Entry<Long, List<BinlogSegment>> e) -> newestEventTime(e.getValue()))
              .reversed());
    }
    ZoneguardException why = null;
    for (Map.Entry<Long, List<BinlogSegment>> e : archives) {
      RecoveryTarget resolved =
          target.isLatest()
              ? RecoveryTarget.afterGtid(newestGtid(e.getValue(), m.binlog().gtid()))
              : target;
      if (target.isLatest() && !resolved.gtid().after(Gtid.parse(m.binlog().gtid()))) {
        // no transaction archived after the set (a quiet server; its newest files may hold no
        // transaction at all): the newest recoverable state is the set itself
        return new Plan(
            m,
            m.dump().databases().get(0),
            e.getKey(),
            resolved,
            List.of(),
            List.of(),
            Optional.empty(),
            newestEventTime(e.getValue()));
      }
      List<BinlogChain.File> chain;
      try {
        chain = BinlogChain.plan(e.getValue(), m.binlog().gtid(), resolved);
      } catch (ZoneguardException ex) {
        why = why == null ? ex : why;
        continue;
      }
      List<Path> files = ArchiveReplay.download(store, namespace, statefulSet, chain, work);
      return new Plan(
          m,
          m.dump().databases().get(0),
          e.getKey(),
          resolved,
          chain,
          files,
          ReplayReach.of(files, m.binlog().gtid(), resolved),
          newestEventTime(e.getValue()));
    }
    throw why != null
        ? why
        : ZoneguardException.unsafe(
            namespace + "/" + statefulSet + " has no binlog archive: nothing to roll forward");
  }

  /**
   * What a replay applied: the SQL bytes decoded and the sequence number of the last transaction
   * the loading session executed ({@link ReplayMarker}), with its whole GTID when the server logs
   * binary logs itself.
   */
  public record Replayed(long bytes, long executedSeq, String executedGtid) {}

  /**
   * Replays a prepared plan into {@code loader}'s server after its dump was loaded there: the
   * decoded events, then (in the same session) a query for the GTID sequence number it executed.
   */
  public Replayed replay(Plan plan, DatabaseLoader loader, Map<String, String> renames) {
    if (plan.files().isEmpty()) {
      return markerOnly(loader);
    }
    // MariaDB's mariadb-binlog filters --database on the name as logged, before --rewrite-db
    // (checked against 10.11; MySQL's mysqlbinlog does it the other way round)
    ArchiveReplay.Piped piped =
        ArchiveReplay.pipe(
            decoder.decode(
                plan.files(),
                plan.set().binlog().gtid(),
                plan.target().time(),
                plan.target().gtidText(),
                plan.database(),
                renames),
            loader,
            ReplayMarker.QUERY);
    ReplayMarker.Executed x = ReplayMarker.parse(piped.output());
    return new Replayed(piped.bytes(), x.seq(), x.gtid());
  }

  /** Nothing to decode: only what the session reports (nothing executed, unless it lies). */
  private static Replayed markerOnly(DatabaseLoader loader) {
    try (RunningLoad load = loader.start()) {
      try (OutputStream out = load.stdin()) {
        out.write(ReplayMarker.QUERY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        load.finish(Duration.ofSeconds(30));
        throw ZoneguardException.failed("cannot query " + load.target() + ": " + e.getMessage(), e);
      }
      load.finish(Duration.ofMinutes(1));
      ReplayMarker.Executed x = ReplayMarker.parse(load.output());
      return new Replayed(0, x.seq(), x.gtid());
    }
  }

  /** The newest GTID of one server's archive; {@code fallback} when it holds none. */
  private static String newestGtid(List<BinlogSegment> segments, String fallback) {
    String newest = fallback;
    for (BinlogSegment s : segments) {
      newest = s.lastGtid() != null ? s.lastGtid() : newest;
    }
    return newest;
  }

  /** The newest event time of one server's archive ("" when none: sorts first). */
  private static String newestEventTime(List<BinlogSegment> segments) {
    String newest = "";
    for (BinlogSegment s : segments) {
      if (s.lastEventTime() != null && s.lastEventTime().compareTo(newest) > 0) {
        newest = s.lastEventTime();
      }
    }
    return newest;
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
        && !Gtid.parse(m.binlog().gtid()).after(target.gtid());
  }
}
