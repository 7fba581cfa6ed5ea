package io.zoneguard.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which transaction a replay must reach, read from synthetic binlog files. */
class ReplayReachTest {
  @TempDir Path tmp;

  private static byte[] event(long time, int type, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(19 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt((int) time).put((byte) type).putInt(1).putInt(19 + body.length);
    b.putInt(0).putShort((short) 0).put(body);
    return b.array();
  }

  /** A GTID event 0-1-seq at {@code time}, then its row and commit events one second later. */
  private static byte[] transaction(long time, long seq) {
    byte[] gtid =
        event(
            time,
            162,
            ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN).putLong(seq).putInt(0).array());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(gtid);
    out.writeBytes(event(time, 30, new byte[20]));
    out.writeBytes(event(time, 16, new byte[8]));
    return out.toByteArray();
  }

  private Path file(String name, byte[]... events) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(BinlogEvents.MAGIC);
    out.writeBytes(event(900, 15, new byte[40]));
    for (byte[] e : events) {
      out.writeBytes(e);
    }
    return Files.write(tmp.resolve(name), out.toByteArray());
  }

  @Test
  void theLastTransactionBeforeTheTargetAcrossFiles() throws Exception {
    Path a = file("binlog.000001", transaction(1000, 4), transaction(1001, 5));
    Path b = file("binlog.000002", transaction(1003, 6), transaction(1005, 7));
    List<Path> chain = List.of(a, b);

    // the newest archived transaction (drill --to-latest resolves to its GTID)
    assertThat(ReplayReach.of(chain, "0-1-4", RecoveryTarget.afterGtid("0-1-7")))
        .contains(new ReplayReach.Point("0-1-7", Instant.ofEpochSecond(1005)));
    // a GTID is inclusive
    assertThat(ReplayReach.of(chain, "0-1-4", RecoveryTarget.afterGtid("0-1-6")))
        .contains(new ReplayReach.Point("0-1-6", Instant.ofEpochSecond(1003)));
    // a time is exclusive: events at 1005 are not applied, those at 1003 are
    assertThat(ReplayReach.of(chain, "0-1-4", RecoveryTarget.at(Instant.ofEpochSecond(1005))))
        .contains(new ReplayReach.Point("0-1-6", Instant.ofEpochSecond(1003)));
    assertThat(ReplayReach.of(chain, "0-1-4", RecoveryTarget.at(Instant.ofEpochSecond(1002))))
        .contains(new ReplayReach.Point("0-1-5", Instant.ofEpochSecond(1001)));
  }

  @Test
  void nothingIsDueWhenNoTransactionFollowsTheSetBeforeTheTarget() throws Exception {
    Path a = file("binlog.000001", transaction(1000, 4), transaction(1001, 5));
    // the set already holds 0-1-5
    assertThat(ReplayReach.of(List.of(a), "0-1-5", RecoveryTarget.afterGtid("0-1-5"))).isEmpty();
    // the first transaction after the set is at the target
    assertThat(ReplayReach.of(List.of(a), "0-1-4", RecoveryTarget.at(Instant.ofEpochSecond(1001))))
        .isEmpty();
    // another domain's transactions are not this set's
    assertThat(ReplayReach.of(List.of(a), "1-1-0", RecoveryTarget.afterGtid("1-1-9"))).isEmpty();
  }

  @Test
  void aFileThatIsNotABinlogIsRefused() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk"), "not a binlog");
    assertThatThrownBy(
            () -> ReplayReach.of(List.of(junk), "0-1-1", RecoveryTarget.afterGtid("0-1-2")))
        .hasMessageContaining("not a binary log");
  }
}
