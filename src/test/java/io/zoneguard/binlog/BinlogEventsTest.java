package io.zoneguard.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BinlogEventsTest {
  /** A v4 event: 19-byte header (little-endian) and a body. */
  private static byte[] event(long time, int type, long serverId, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(19 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt((int) time).put((byte) type).putInt((int) serverId).putInt(19 + body.length);
    b.putInt(0).putShort((short) 0).put(body);
    return b.array();
  }

  /** MariaDB's GTID event body: seq_no u64, domain_id u32, flags u8 (+ padding). */
  private static byte[] gtid(long domain, long seq) {
    return ByteBuffer.allocate(19)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(seq)
        .putInt((int) domain)
        .put((byte) 0)
        .array();
  }

  private static byte[] file(byte[]... events) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(BinlogEvents.MAGIC);
    for (byte[] e : events) {
      out.write(e);
    }
    return out.toByteArray();
  }

  @Test
  void readsWholeEventsTheirTimesGtidsAndTheClosingRotate() throws Exception {
    byte[] fde = event(1000, 15, 1, new byte[40]);
    byte[] g1 = event(1001, 162, 7, gtid(0, 41));
    byte[] rows = event(1001, 30, 7, new byte[25]);
    byte[] g2 = event(1005, 162, 7, gtid(0, 42));
    byte[] rotate = event(0, 4, 7, new byte[16]);
    byte[] f = file(fde, g1, rows, g2, rotate);

    BinlogEvents.Scan all = BinlogEvents.scan(f, 0, f.length, 0);
    assertThat(all.wholeBytes()).isEqualTo(f.length);
    assertThat(all.events()).isEqualTo(5);
    assertThat(all.firstTime()).isEqualTo(Instant.ofEpochSecond(1000));
    // the rotate's 0 timestamp is artificial: it does not move the last time
    assertThat(all.lastTime()).isEqualTo(Instant.ofEpochSecond(1005));
    assertThat(all.firstGtid()).isEqualTo("0-7-41");
    assertThat(all.lastGtid()).isEqualTo("0-7-42");
    assertThat(all.rotated()).isTrue();

    // from an offset inside the file (a later segment): no magic expected there
    int at = 4 + fde.length;
    BinlogEvents.Scan tail = BinlogEvents.scan(f, at, f.length - at, at);
    assertThat(tail.events()).isEqualTo(4);
    assertThat(tail.firstGtid()).isEqualTo("0-7-41");
  }

  @Test
  void stopsBeforeAnEventTheServerIsStillWriting() throws Exception {
    byte[] fde = event(1000, 15, 1, new byte[40]);
    byte[] rows = event(1001, 30, 1, new byte[100]);
    byte[] f = file(fde, rows);
    for (int cut = 4 + fde.length; cut < f.length; cut += 7) {
      BinlogEvents.Scan s = BinlogEvents.scan(f, 0, cut, 0);
      assertThat(s.wholeBytes()).as("cut at %d", cut).isEqualTo(4 + fde.length);
      assertThat(s.events()).isEqualTo(1);
      assertThat(s.rotated()).isFalse();
    }
    assertThat(BinlogEvents.scan(f, 0, 3, 0).wholeBytes()).isZero();
  }

  @Test
  void refusesWhatIsNotABinaryLog() {
    byte[] text = "-- MariaDB dump 10.19\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> BinlogEvents.scan(text, 0, text.length, 0))
        .hasMessageContaining("bad magic number");
    byte[] tiny = new byte[40];
    tiny[9] = 3; // an event size below the header's
    assertThatThrownBy(() -> BinlogEvents.scan(tiny, 0, tiny.length, 120))
        .hasMessageContaining("event at offset 120 of size 3");
  }

  @Test
  void theNextFileKeepsTheServersNumbering() {
    assertThat(BinlogArchiver.next("binlog.000041")).isEqualTo("binlog.000042");
    assertThat(BinlogArchiver.next("mysql-bin.999999")).isEqualTo("mysql-bin.1000000");
  }

  @Test
  void listsEachTransactionWithItsGtidTimeAndEventsButNotTheFilesOwnEvents() throws Exception {
    byte[] fde = event(1000, 15, 1, new byte[40]);
    byte[] gtidList = event(1000, 163, 1, new byte[8]);
    byte[] g1 = event(1001, 162, 7, gtid(0, 41));
    byte[] map = event(1001, 19, 7, new byte[12]);
    byte[] rows = event(1001, 30, 7, new byte[25]);
    byte[] xid = event(1001, 16, 7, new byte[8]);
    byte[] checkpoint = event(1002, 161, 7, new byte[12]);
    byte[] g2 = event(1005, 162, 7, gtid(0, 42));
    byte[] query = event(1005, 2, 7, new byte[30]);
    byte[] rotate = event(0, 4, 7, new byte[16]);
    byte[] f = file(fde, gtidList, g1, map, rows, xid, checkpoint, g2, query, rotate);

    assertThat(BinlogEvents.transactions(f))
        .containsExactly(
            new BinlogEvents.Transaction("0-7-41", Instant.ofEpochSecond(1001), 4),
            new BinlogEvents.Transaction("0-7-42", Instant.ofEpochSecond(1005), 2));
    // the archived head of an open file may end inside an event: only whole ones count
    byte[] head = java.util.Arrays.copyOf(f, f.length - rotate.length - 5);
    assertThat(BinlogEvents.transactions(head))
        .containsExactly(
            new BinlogEvents.Transaction("0-7-41", Instant.ofEpochSecond(1001), 4),
            new BinlogEvents.Transaction("0-7-42", Instant.ofEpochSecond(1005), 1));
    assertThatThrownBy(() -> BinlogEvents.transactions(new byte[] {1, 2, 3, 4, 5}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scansAFileLargerThanAnyArrayWithoutHoldingIt() throws Exception {
    // max_binlog_size may be 1 GiB and one transaction may exceed it: catch-up scanned each
    // downloaded file as one byte[] (readAllBytes), which a 256 MiB heap cannot hold. Three
    // transactions, each with a 1 GiB rows event, as a stream of 3 GiB generated on the fly.
    long big = 1L << 30;
    java.util.List<byte[]> parts = new java.util.ArrayList<>();
    parts.add(BinlogEvents.MAGIC);
    parts.add(event(1000, 15, 1, new byte[40]));
    for (int i = 0; i < 3; i++) {
      parts.add(event(1001 + i, 162, 7, gtid(0, 41 + i)));
      parts.add(header(1001 + i, 30, 7, 19 + big));
      parts.add(null); // the rows event's body: 1 GiB of zeros
      parts.add(event(1001 + i, 16, 7, new byte[8]));
    }
    java.io.InputStream in = new Generated(parts, big);
    assertThat(BinlogEvents.transactions(in))
        .containsExactly(
            new BinlogEvents.Transaction("0-7-41", Instant.ofEpochSecond(1001), 3),
            new BinlogEvents.Transaction("0-7-42", Instant.ofEpochSecond(1002), 3),
            new BinlogEvents.Transaction("0-7-43", Instant.ofEpochSecond(1003), 3));
  }

  /** A header alone, for an event whose body {@link Generated} makes up. */
  private static byte[] header(long time, int type, long serverId, long size) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(19).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt((int) time).put((byte) type).putInt((int) serverId).putInt((int) size);
    return b.array();
  }

  /** The parts in order; a null part is {@code zeros} zero bytes, skipped without being made. */
  private static final class Generated extends java.io.InputStream {
    private final java.util.Iterator<byte[]> parts;
    private final long zeros;
    private byte[] cur = new byte[0];
    private long zerosLeft;
    private int pos;

    Generated(java.util.List<byte[]> parts, long zeros) {
      this.parts = parts.iterator();
      this.zeros = zeros;
    }

    private boolean advance() {
      while (pos >= cur.length && zerosLeft == 0) {
        if (!parts.hasNext()) {
          return false;
        }
        byte[] next = parts.next();
        cur = next == null ? new byte[0] : next;
        zerosLeft = next == null ? zeros : 0;
        pos = 0;
      }
      return true;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (!advance()) {
        return -1;
      }
      if (zerosLeft > 0) {
        int n = (int) Math.min(len, zerosLeft);
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        zerosLeft -= n;
        return n;
      }
      int n = Math.min(len, cur.length - pos);
      System.arraycopy(cur, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      if (!advance()) {
        return 0;
      }
      if (zerosLeft > 0) {
        long k = Math.min(n, zerosLeft);
        zerosLeft -= k;
        return k;
      }
      int k = (int) Math.min(n, cur.length - pos);
      pos += k;
      return k;
    }
  }
}
