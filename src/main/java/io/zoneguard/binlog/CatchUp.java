package io.zoneguard.binlog;

import io.zoneguard.backup.BackupStore;
import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.Gtid;
import io.zoneguard.domain.ServerGtidState;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.BinlogDecoder;
import io.zoneguard.port.DatabaseLoader;
import io.zoneguard.port.ServerPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code binlog catch-up}: brings a server that holds a prefix of the archived history (a replica
 * restored from a snapshot, a server loaded by {@code restore} once given the set's position)
 * forward by replaying the archived transactions it lacks, read from its own GTID position, through
 * a client connection to it. The chain is proven complete from that position and the position
 * proven to be in the archive before anything is written; afterwards the server's position must
 * equal the last transaction replayed. Idempotent: a second run finds nothing to apply.
 */
public final class CatchUp {
  /** The report's target when none was given: the newest archived transaction. */
  public static final String LATEST = "newest archived";

  private final BackupStore store;
  private final BinlogDecoder decoder;

  public CatchUp(BackupStore store, BinlogDecoder decoder) {
    this.store = store;
    this.decoder = decoder;
  }

  /** What the server and the request are: where to write and how far. */
  public record Request(
      String namespace,
      String statefulSet,
      RecoveryTarget target,
      boolean dryRun,
      boolean replicationStopped) {}

  /**
   * What was (or, with dry-run, would be) applied: the archive's server, the position before (and
   * which variable held it), the last transaction replayed, how many transactions and events, the
   * files read, and the server's position afterwards. {@code slavePosSet}: gtid_slave_pos was moved
   * to the new position, so replication started later continues after it.
   */
  public record Report(
      String server,
      long archiveServerId,
      String target,
      String fromGtid,
      String positionVariable,
      String toGtid,
      int transactions,
      long events,
      List<String> binlogFiles,
      long sqlBytes,
      boolean dryRun,
      boolean slavePosSet,
      String positionAfter,
      boolean readOnly,
      boolean gtidStrictMode,
      List<String> notes) {
    public boolean nothingToApply() {
      return transactions == 0;
    }
  }

  public Report run(Request req, ServerPosition server, DatabaseLoader loader, Path work) {
    ServerGtidState before = server.read();
    CatchUpPlanner.checkReplication(before, server.describe(), req.replicationStopped());
    Map<Long, List<BinlogSegment>> archives =
        store.binlogSegments(req.namespace(), req.statefulSet());
    if (archives.isEmpty()) {
      throw ZoneguardException.unsafe(
          req.namespace()
              + "/"
              + req.statefulSet()
              + " has no binlog archive: nothing to catch up from");
    }
    ZoneguardException why = null;
    for (Map.Entry<Long, List<BinlogSegment>> e : archives.entrySet()) {
      Prepared p;
      try {
        p = prepare(req, before, e.getKey(), e.getValue(), work.resolve("" + e.getKey()));
      } catch (ZoneguardException ex) {
        why = why == null ? ex : why;
        continue;
      }
      return apply(req, server, loader, before, p);
    }
    throw why;
  }

  /** An archive whose chain continues the server's position, downloaded and planned. */
  private record Prepared(long serverId, long domain, List<Path> files, CatchUpPlanner.Plan plan) {}

  private Prepared prepare(
      Request req, ServerGtidState before, long serverId, List<BinlogSegment> archive, Path work) {
    long domain = CatchUpPlanner.domain(archive, serverId);
    Optional<ServerGtidState.Applied> applied = before.applied(domain);
    List<String> gtids = new ArrayList<>();
    for (BinlogSegment s : archive) {
      for (String g : new String[] {s.firstGtid(), s.lastGtid()}) {
        if (g != null) {
          gtids.add(g);
        }
      }
    }
    CatchUpPlanner.Archived first = indexed(gtids.get(0));
    CatchUpPlanner.Archived newest = indexed(gtids.get(gtids.size() - 1));
    RecoveryTarget target =
        req.target() != null ? req.target() : RecoveryTarget.afterGtid(newest.text());
    if (applied.isPresent() && !newest.gtid().after(applied.get().gtid())) {
      // at or ahead of everything archived: nothing to download (BinlogChain would look for the
      // target after the position); the planner says nothing to apply, or refuses
      return new Prepared(
          serverId,
          domain,
          List.of(),
          CatchUpPlanner.plan(
              applied, domain, List.of(), new HashSet<>(gtids), first, newest, target));
    }
    List<BinlogChain.File> chain =
        BinlogChain.plan(archive, applied.map(a -> a.gtid().text()).orElse(""), target);
    List<Path> files =
        ArchiveReplay.download(store, req.namespace(), req.statefulSet(), chain, work);
    List<CatchUpPlanner.Archived> txs = new ArrayList<>();
    for (Path f : files) {
      try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(f))) {
        for (BinlogEvents.Transaction t : BinlogEvents.transactions(in)) {
          txs.add(
              new CatchUpPlanner.Archived(
                  Gtid.parse(t.gtid()),
                  t.gtid(),
                  t.time(),
                  t.events(),
                  f.getFileName().toString()));
        }
      } catch (IOException | IllegalArgumentException ex) {
        throw ZoneguardException.failed("cannot read the archived " + f.getFileName(), ex);
      }
    }
    CatchUpPlanner.Plan plan =
        CatchUpPlanner.plan(applied, domain, txs, new HashSet<>(gtids), first, newest, target);
    return new Prepared(serverId, domain, files, plan);
  }

  private static CatchUpPlanner.Archived indexed(String gtid) {
    return new CatchUpPlanner.Archived(Gtid.parse(gtid), gtid, null, 0, null);
  }

  private Report apply(
      Request req,
      ServerPosition server,
      DatabaseLoader loader,
      ServerGtidState before,
      Prepared p) {
    CatchUpPlanner.Plan plan = p.plan();
    List<String> files =
        plan.transactions().stream().map(CatchUpPlanner.Archived::file).distinct().toList();
    List<String> notes = notes(before);
    String target = req.target() == null ? LATEST : req.target().toString();
    if (plan.transactions().isEmpty() || req.dryRun()) {
      return report(server, p, before, target, files, 0, req.dryRun(), false, plan.from(), notes);
    }
    long bytes =
        ArchiveReplay.pipe(
            decoder.decode(p.files(), plan.from(), null, plan.to(), null, Map.of()), loader);
    // a replica's replication resumes from gtid_slave_pos (a server whose replication status
    // could not be read may be one); without binary logging nothing else would record what was
    // replayed. Set only after the whole replay: with binary logging on, a
    // replay that stopped midway is still recorded (gtid_binlog_pos) and a re-run continues; with
    // it off, it is not (runbooks/failover.md)
    boolean setSlavePos = !before.logBin() || !before.notAReplica();
    Gtid to = Gtid.parse(plan.to());
    if (setSlavePos) {
      server.setSlavePos(before.slavePos().with(to));
    }
    ServerGtidState after = server.read();
    String now = after.applied(p.domain()).map(a -> a.gtid().text()).orElse(null);
    if (!plan.to().equals(now)) {
      throw ZoneguardException.failed(
          "replayed "
              + plan.transactions().size()
              + " transactions into "
              + server.describe()
              + " but its position in domain "
              + p.domain()
              + " is now "
              + now
              + ", not "
              + plan.to()
              + ": check the server before writing to it",
          null);
    }
    return report(server, p, before, target, files, bytes, false, setSlavePos, now, notes);
  }

  private static Report report(
      ServerPosition server,
      Prepared p,
      ServerGtidState before,
      String target,
      List<String> files,
      long bytes,
      boolean dryRun,
      boolean slavePosSet,
      String positionAfter,
      List<String> notes) {
    CatchUpPlanner.Plan plan = p.plan();
    return new Report(
        server.describe(),
        p.serverId(),
        target,
        plan.from(),
        plan.positionVariable(),
        plan.to(),
        plan.transactions().size(),
        plan.events(),
        files,
        bytes,
        dryRun,
        slavePosSet,
        positionAfter,
        before.readOnly(),
        before.gtidStrictMode(),
        notes);
  }

  /** What the operator should know about the server before starting it as a replica again. */
  private static List<String> notes(ServerGtidState s) {
    List<String> out = new ArrayList<>();
    if (s.replicaConfigured()) {
      for (ServerGtidState.ReplicationThreads t : s.replication()) {
        if (!"Slave_Pos".equalsIgnoreCase(t.usingGtid())
            && !"Current_Pos".equalsIgnoreCase(t.usingGtid())) {
          out.add(
              "replication connection '"
                  + t.connection()
                  + "' uses file/position (Using_Gtid "
                  + t.usingGtid()
                  + "): run CHANGE MASTER TO master_use_gtid=slave_pos before START SLAVE, or it"
                  + " fetches what was replayed again");
        }
      }
    }
    if (!s.gtidStrictMode()) {
      out.add(
          "gtid_strict_mode is OFF: the server itself would not refuse a transaction twice;"
              + " zoneguard's GTID check is the only guard");
    }
    return out;
  }
}
