package io.zoneguard.binlog;

import java.time.Instant;

/**
 * Reads the event headers of a MariaDB/MySQL binary log (format v4) as the server writes it and
 * {@code mariadb-binlog --raw} copies it: a 4-byte magic {@code FE 62 69 6E}, then events, each
 * with a 19-byte header (timestamp u32, type u8, server_id u32, event_size u32, log_pos u32, flags
 * u16, little-endian; MariaDB's log_event.h / MySQL's binlog_event.h). Only whole events count: the
 * server appends an event in several writes, so a reader may see a partial one at the end, which
 * the next scan picks up. MariaDB's GTID event (type 162) carries seq_no u64 and domain_id u32
 * after the header; with the header's server_id it is the GTID {@code domain-server-seq}.
 */
public final class BinlogEvents {
  public static final byte[] MAGIC = {(byte) 0xfe, 0x62, 0x69, 0x6e};
  static final int HEADER = 19;
  static final int ROTATE_EVENT = 4;
  static final int MARIADB_GTID_EVENT = 162;

  private BinlogEvents() {}

  /**
   * What a run of whole events holds: how many bytes they span from the scan's start, their first
   * and last timestamps and GTIDs (null if none), and whether the last is a ROTATE (the server
   * closed the file: nothing more will be appended).
   */
  public record Scan(
      int wholeBytes,
      int events,
      Instant firstTime,
      Instant lastTime,
      String firstGtid,
      String lastGtid,
      boolean rotated) {}

  /**
   * Scans {@code len} bytes of a binlog file read at {@code fileOffset} (0 includes the magic,
   * which is checked); events must start at {@code buf[off]} after it.
   *
   * @throws IllegalArgumentException if the bytes are not a binlog (bad magic or event size)
   */
  public static Scan scan(byte[] buf, int off, int len, long fileOffset) {
    int pos = off;
    int end = off + len;
    if (fileOffset == 0) {
      if (len < MAGIC.length) {
        return new Scan(0, 0, null, null, null, null, false);
      }
      for (int i = 0; i < MAGIC.length; i++) {
        if (buf[off + i] != MAGIC[i]) {
          throw new IllegalArgumentException("not a binary log: bad magic number");
        }
      }
      pos += MAGIC.length;
    }
    int events = 0;
    Instant first = null;
    Instant last = null;
    String firstGtid = null;
    String lastGtid = null;
    boolean rotated = false;
    while (end - pos >= HEADER) {
      long size = u32(buf, pos + 9);
      if (size < HEADER || size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "not a binary log: event at offset " + (fileOffset + pos - off) + " of size " + size);
      }
      if (end - pos < size) {
        break; // the server is still writing this event
      }
      int type = buf[pos + 4] & 0xff;
      long timestamp = u32(buf, pos);
      // the format description and a rotate the server writes itself carry real times; a
      // timestamp of 0 (artificial events) says nothing about when data changed
      if (timestamp != 0) {
        Instant t = Instant.ofEpochSecond(timestamp);
        first = first == null ? t : first;
        last = t;
      }
      if (type == MARIADB_GTID_EVENT && size >= HEADER + 12) {
        String gtid = gtidAt(buf, pos);
        firstGtid = firstGtid == null ? gtid : firstGtid;
        lastGtid = gtid;
      }
      rotated = type == ROTATE_EVENT;
      pos += (int) size;
      events++;
    }
    int whole = pos - off;
    return new Scan(whole, events, first, last, firstGtid, lastGtid, rotated && events > 0);
  }

  /** The GTID a MariaDB GTID event at {@code buf[pos]} announces. */
  private static String gtidAt(byte[] buf, int pos) {
    long serverId = u32(buf, pos + 5);
    long seq = u64(buf, pos + HEADER);
    long domain = u32(buf, pos + HEADER + 8);
    return domain + "-" + serverId + "-" + Long.toUnsignedString(seq);
  }

  /**
   * One transaction of a binlog file: its GTID, the time of its GTID event (what {@code
   * mariadb-binlog --stop-datetime} compares), and how many events it spans, GTID event to commit.
   */
  public record Transaction(String gtid, Instant time, int events) {}

  /** Events a server writes between transactions: not part of any (MariaDB's log_event.h). */
  private static final java.util.Set<Integer> OUTSIDE_TRANSACTIONS =
      java.util.Set.of(
          3 /* STOP */,
          ROTATE_EVENT,
          15 /* FORMAT_DESCRIPTION */,
          161 /* BINLOG_CHECKPOINT */,
          163 /* GTID_LIST */,
          164 /* START_ENCRYPTION */);

  /**
   * The transactions of a whole binlog file (or its archived head, from byte 0), in order; a
   * partial event at the end is ignored, as in {@link #scan}.
   *
   * @throws IllegalArgumentException if the bytes are not a binlog
   */
  public static java.util.List<Transaction> transactions(byte[] file) {
    try {
      return transactions(new java.io.ByteArrayInputStream(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // a byte array does not fail
    }
  }

  /**
   * The same from a stream (see {@link #walk}).
   *
   * @throws IllegalArgumentException if the bytes are not a binlog
   */
  public static java.util.List<Transaction> transactions(java.io.InputStream in)
      throws java.io.IOException {
    java.util.List<Transaction> out = new java.util.ArrayList<>();
    Transaction[] open = {null};
    walk(
        in,
        e -> {
          if (e.gtid() != null) {
            if (open[0] != null) {
              out.add(open[0]);
            }
            open[0] = new Transaction(e.gtid().text(), e.time(), 1);
          } else if (open[0] != null && !OUTSIDE_TRANSACTIONS.contains(e.type())) {
            open[0] = new Transaction(open[0].gtid(), open[0].time(), open[0].events() + 1);
          }
          return true;
        });
    if (open[0] != null) {
      out.add(open[0]);
    }
    return out;
  }

  /**
   * A whole event: its header's time and type, and for a MariaDB GTID event its GTID (else null).
   */
  public record Event(Instant time, int type, io.zoneguard.domain.Gtid gtid) {}

  /**
   * Hands each whole event of a binlog file (from its start: the magic is checked) to {@code
   * visitor} until it returns false, holding one header at a time: a file may be larger than any
   * array (max_binlog_size up to 1 GiB, and a transaction may exceed it), and bodies are skipped,
   * not read. A partial event at the end (the archived head of an open file) is not handed over.
   *
   * @throws IllegalArgumentException if the bytes are not a binlog (bad magic or event size)
   */
  public static void walk(java.io.InputStream in, java.util.function.Predicate<Event> visitor)
      throws java.io.IOException {
    if (!java.util.Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("not a binary log: bad magic number");
    }
    byte[] h = new byte[HEADER + 12];
    while (in.readNBytes(h, 0, HEADER) == HEADER) {
      int type = h[4] & 0xff;
      long size = u32(h, 9);
      if (size < HEADER) {
        throw new IllegalArgumentException("not a binary log: event of size " + size);
      }
      long body = size - HEADER;
      io.zoneguard.domain.Gtid gtid = null;
      if (type == MARIADB_GTID_EVENT && body >= 12) {
        if (in.readNBytes(h, HEADER, 12) < 12) {
          return; // a partial GTID event
        }
        body -= 12;
        gtid = new io.zoneguard.domain.Gtid(u32(h, HEADER + 8), u32(h, 5), u64(h, HEADER));
      }
      if (!skipFully(in, body)
          || !visitor.test(new Event(Instant.ofEpochSecond(u32(h, 0)), type, gtid))) {
        return; // a partial event at the end (the next archived segment holds it), or done
      }
    }
  }

  /** Skips {@code n} bytes; false when the stream ends first. */
  private static boolean skipFully(java.io.InputStream in, long n) throws java.io.IOException {
    while (n > 0) {
      long k = in.skip(n);
      if (k <= 0) {
        if (in.read() < 0) {
          return false;
        }
        k = 1;
      }
      n -= k;
    }
    return true;
  }

  static long u32(byte[] b, int i) {
    return (b[i] & 0xffL)
        | (b[i + 1] & 0xffL) << 8
        | (b[i + 2] & 0xffL) << 16
        | (b[i + 3] & 0xffL) << 24;
  }

  static long u64(byte[] b, int i) {
    return u32(b, i) | u32(b, i + 4) << 32;
  }
}
