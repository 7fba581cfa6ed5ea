package io.zoneguard.binlog;

import io.zoneguard.backup.BackupStore;
import io.zoneguard.domain.BinlogSegment;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Archives one server's binary logs from a directory that a {@code mariadb-binlog --raw} stream
 * fills, into the backup store: each call uploads, per file, the whole events written since the
 * last call as one segment (a file the server already closed goes up in one piece). What is
 * archived is read from the store's listing at construction, so a new archiver after a crash, or on
 * another host, continues where the last segment ends: no gap, no byte twice (a stream restarted
 * from that file re-copies it from its start; the bytes already archived are skipped). A file
 * archived to its end is removed from the directory.
 */
public final class BinlogArchiver {
  /** Binary log files as servers name them: {@code <basename>.<6+ digits>}. */
  private static final Pattern BINLOG_FILE = Pattern.compile("[A-Za-z0-9._-]+\\.\\d{6,}");

  /** At most this much is read into memory per segment; a larger backlog becomes several. */
  static final int MAX_SEGMENT = 64 * 1024 * 1024;

  private final BackupStore store;
  private final String namespace;
  private final String statefulSet;
  private final long serverId;
  private final Path dir;
  private final int maxSegment;
  private final TreeMap<String, Long> archived = new TreeMap<>();
  private final Set<String> closed = new HashSet<>();

  public BinlogArchiver(
      BackupStore store, String namespace, String statefulSet, long serverId, Path dir) {
    this(store, namespace, statefulSet, serverId, dir, MAX_SEGMENT);
  }

  BinlogArchiver(
      BackupStore store,
      String namespace,
      String statefulSet,
      long serverId,
      Path dir,
      int maxSegment) {
    this.store = store;
    this.namespace = namespace;
    this.statefulSet = statefulSet;
    this.serverId = serverId;
    this.dir = dir;
    this.maxSegment = maxSegment;
    for (BinlogSegment.Range r : store.binlogRanges(namespace, statefulSet, serverId)) {
      archived.merge(r.file(), r.to(), Math::max);
      if (r.closed()) {
        closed.add(r.file());
      }
    }
  }

  /**
   * The file a stream should start from: the newest archived one unless it is closed, then the one
   * after it; empty when nothing is archived (start at the server's oldest binary log).
   */
  public Optional<String> resumeFile() {
    if (archived.isEmpty()) {
      return Optional.empty();
    }
    String last = archived.lastKey();
    return Optional.of(closed.contains(last) ? next(last) : last);
  }

  /** {@code binlog.000041} → {@code binlog.000042} (the server's own numbering). */
  static String next(String file) {
    return BinlogSegment.nextFile(file);
  }

  /** Uploads what the directory holds beyond what is archived; returns the new segments. */
  public List<BinlogSegment> archiveOnce() throws IOException {
    List<BinlogSegment> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> BINLOG_FILE.matcher(p.getFileName().toString()).matches())
              .sorted()
              .toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      while (!closed.contains(name)) {
        BinlogSegment seg = archiveNext(f, name);
        if (seg == null) {
          break;
        }
        out.add(seg);
      }
      if (closed.contains(name)) {
        // complete and in the bucket: the stream has moved on, the spool must not grow forever
        Files.deleteIfExists(f);
      }
    }
    return out;
  }

  /** The next whole events of one file as a segment, uploaded; null if there are none yet. */
  private BinlogSegment archiveNext(Path f, String name) throws IOException {
    long from = archived.getOrDefault(name, 0L);
    byte[] buf;
    int n;
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
      long available = raf.length() - from;
      if (available <= 0) {
        return null;
      }
      buf = new byte[(int) Math.min(available, maxSegment)];
      raf.seek(from);
      raf.readFully(buf);
      n = buf.length;
    }
    BinlogEvents.Scan scan = BinlogEvents.scan(buf, 0, n, from);
    if (scan.events() == 0) {
      return null; // only the magic number, or the first event is still being written
    }
    byte[] data = scan.wholeBytes() == n ? buf : java.util.Arrays.copyOf(buf, scan.wholeBytes());
    BinlogSegment seg =
        new BinlogSegment(
            serverId,
            name,
            from,
            from + data.length,
            scan.rotated(),
            sha256(data),
            scan.firstTime() == null ? null : scan.firstTime().toString(),
            scan.lastTime() == null ? null : scan.lastTime().toString(),
            scan.firstGtid(),
            scan.lastGtid());
    store.putBinlogSegment(namespace, statefulSet, seg, data);
    archived.put(name, seg.to());
    if (seg.closed()) {
      closed.add(name);
    }
    return seg;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
