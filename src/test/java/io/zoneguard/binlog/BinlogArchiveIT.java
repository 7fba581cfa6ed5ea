package io.zoneguard.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.aws.AwsClients;
import io.zoneguard.backup.BackupStore;
import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.mysql.BinlogStreamProcess;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.BinlogServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous binlog archiving against a real MariaDB with binary logging on, a real {@code
 * mariadb-binlog --raw --stop-never} stream and S3 (moto): rows are written while the archiver
 * uploads segments; the stream and the archiver are killed mid-way (the stream's last event may be
 * half written) and a new archiver, knowing only the bucket, resumes on a fresh directory. In the
 * end every binary log file of the server is in the bucket exactly once: its segments are
 * contiguous from byte 0, none overlaps, and together they are the server's file byte for byte.
 */
@ExtendWith(AwsExtension.class)
class BinlogArchiveIT {
  private static final String NS = "shop";
  private static final String STS = "mysql";

  @Test
  void archivesWhileWritingAndResumesAfterAKillWithoutGapOrDuplicate(
      AwsBackend backend, @TempDir Path tmp) throws Exception {
    String bucket = "zg-binlog-" + UUID.randomUUID().toString().substring(0, 8);
    try (BinlogServer server = BinlogServer.start();
        AwsClients aws = backend.clients();
        Connection c = server.connect();
        Statement sql = c.createStatement()) {
      aws.s3().createBucket(b -> b.bucket(bucket));
      BackupStore store = BinlogServer.store(aws, bucket);
      sql.execute("CREATE DATABASE shop");
      sql.execute(
          "CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP(6) DEFAULT"
              + " CURRENT_TIMESTAMP(6), note VARCHAR(200))");

      // first life: stream from the oldest file, archive while writing, one rotation
      Path first = Files.createDirectory(tmp.resolve("first"));
      BinlogArchiver a = new BinlogArchiver(store, NS, STS, BinlogServer.SERVER_ID, first);
      assertThat(a.resumeFile()).isEmpty();
      List<BinlogSegment> segments = new ArrayList<>();
      try (BinlogStreamProcess stream =
          BinlogStreamProcess.start(
              "mariadb-binlog", server.endpoint(), first, "binlog.000001", 4242)) {
        for (int round = 0; round < 6; round++) {
          write(sql, 20, "first life round " + round);
          if (round == 2) {
            sql.execute("FLUSH BINARY LOGS");
          }
          Thread.sleep(300);
          segments.addAll(a.archiveOnce());
          assertThat(stream.alive()).as("stream: %s", stream.reason()).isTrue();
        }
        // killed while rows are being written: the local copy may end inside an event
        write(sql, 50, "written while the stream dies");
      }
      assertThat(segments)
          .extracting(BinlogSegment::file)
          .contains("binlog.000001", "binlog.000002");
      assertThat(segments.stream().filter(BinlogSegment::closed))
          .extracting(BinlogSegment::file)
          .containsExactly("binlog.000001");

      // second life: a new archiver on a fresh directory, from what the bucket says
      Path second = Files.createDirectory(tmp.resolve("second"));
      BinlogArchiver b = new BinlogArchiver(store, NS, STS, BinlogServer.SERVER_ID, second);
      assertThat(b.resumeFile()).contains("binlog.000002");
      try (BinlogStreamProcess stream =
          BinlogStreamProcess.start(
              "mariadb-binlog", server.endpoint(), second, b.resumeFile().get(), 4242)) {
        for (int round = 0; round < 4; round++) {
          write(sql, 20, "second life round " + round);
          if (round == 1) {
            sql.execute("FLUSH BINARY LOGS");
          }
          Thread.sleep(300);
          b.archiveOnce();
        }
        sql.execute("FLUSH BINARY LOGS"); // closes binlog.000003: its whole content is final
        awaitArchived(b, store, "binlog.000003");
        // archived to their end, closed files leave the spool: it holds the open file only
        try (var left = Files.list(second)) {
          assertThat(left.map(p -> p.getFileName().toString()).toList())
              .doesNotContain("binlog.000002", "binlog.000003");
        }
      }

      List<String> serverFiles = new ArrayList<>();
      try (ResultSet rs = sql.executeQuery("SHOW BINARY LOGS")) {
        while (rs.next()) {
          serverFiles.add(rs.getString(1));
        }
      }
      Map<String, List<BinlogSegment.Range>> byFile = new LinkedHashMap<>();
      for (BinlogSegment.Range r : store.binlogRanges(NS, STS, BinlogServer.SERVER_ID)) {
        byFile.computeIfAbsent(r.file(), k -> new ArrayList<>()).add(r);
      }
      for (String file : List.of("binlog.000001", "binlog.000002", "binlog.000003")) {
        assertThat(serverFiles).contains(file);
        List<BinlogSegment.Range> ranges = byFile.get(file);
        assertThat(ranges).as(file).isNotEmpty();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        long expected = 0;
        for (BinlogSegment.Range r : ranges) {
          assertThat(r.from()).as("%s: no gap, no overlap", file).isEqualTo(expected);
          byte[] data = store.binlogData(NS, STS, r);
          BinlogSegment index = store.binlogSegment(NS, STS, r);
          assertThat(index.sha256()).isEqualTo(sha256(data));
          // whole events only: each segment is readable alone, none ends inside an event
          assertThat(BinlogEvents.scan(data, 0, data.length, r.from()).wholeBytes())
              .as("%s %d-%d event-aligned", file, r.from(), r.to())
              .isEqualTo(data.length);
          assertThat(index.firstEventTime()).isNotNull();
          joined.write(data);
          expected = r.to();
        }
        assertThat(ranges.get(ranges.size() - 1).closed()).as("%s closed", file).isTrue();
        assertThat(joined.toByteArray())
            .as("%s archived byte for byte", file)
            .isEqualTo(Files.readAllBytes(server.binlogFile(file)));
      }
      // every transaction's GTID is in the archive: the last one the server wrote is the last
      // archived of binlog.000003 or earlier (000004 holds no transaction yet)
      String executed;
      try (ResultSet rs = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
        rs.next();
        executed = rs.getString(1);
      }
      List<BinlogSegment.Range> third = byFile.get("binlog.000003");
      String lastArchivedGtid = null;
      for (BinlogSegment.Range r : third) {
        String g = store.binlogSegment(NS, STS, r).lastGtid();
        lastArchivedGtid = g == null ? lastArchivedGtid : g;
      }
      assertThat(lastArchivedGtid).isEqualTo(executed);
      // what failover plan and backup list report: the archive's window
      BackupStore.BinlogWindow window = store.binlogWindow(NS, STS).orElseThrow();
      assertThat(window.serverId()).isEqualTo(BinlogServer.SERVER_ID);
      assertThat(window.files()).isGreaterThanOrEqualTo(3);
      BinlogSegment lastOfThird = store.binlogSegment(NS, STS, third.get(third.size() - 1));
      assertThat(java.time.Instant.parse(window.lastEventTime()))
          .isAfterOrEqualTo(java.time.Instant.parse(lastOfThird.lastEventTime()));
      assertThat(java.time.Instant.parse(window.firstEventTime()))
          .isBeforeOrEqualTo(java.time.Instant.parse(window.lastEventTime()));

      // retention: only files holding nothing after a set's GTID may go, and only closed ones
      String endOfFirst =
          store
              .binlogSegment(
                  NS, STS, byFile.get("binlog.000001").get(byFile.get("binlog.000001").size() - 1))
              .lastGtid();
      assertThat(store.binlogFilesBefore(NS, STS, "0-1-0")).isEmpty();
      assertThat(store.binlogFilesBefore(NS, STS, endOfFirst))
          .containsExactly(Map.entry(BinlogServer.SERVER_ID, List.of("binlog.000001")));
      assertThat(store.binlogFilesBefore(NS, STS, executed).get(BinlogServer.SERVER_ID))
          .as("the newest file is never a candidate: it may still grow")
          .doesNotContain("binlog.000004")
          .contains("binlog.000001", "binlog.000002");
      store.deleteBinlogFile(NS, STS, BinlogServer.SERVER_ID, "binlog.000001");
      assertThat(store.binlogRanges(NS, STS, BinlogServer.SERVER_ID))
          .extracting(BinlogSegment.Range::file)
          .doesNotContain("binlog.000001")
          .contains("binlog.000002");
      // what is left still replays from a set whose GTID is past binlog.000001
      assertThat(
              BinlogChain.plan(
                  store.binlogSegments(NS, STS).get(BinlogServer.SERVER_ID),
                  endOfFirst,
                  RecoveryTarget.at(java.time.Instant.parse(window.lastEventTime()))))
          .extracting(BinlogChain.File::name)
          .startsWith("binlog.000002");
    }
  }

  private static void awaitArchived(BinlogArchiver a, BackupStore store, String file)
      throws Exception {
    for (int i = 0; i < 50; i++) {
      a.archiveOnce();
      boolean closed =
          store.binlogRanges(NS, STS, BinlogServer.SERVER_ID).stream()
              .anyMatch(r -> r.file().equals(file) && r.closed());
      if (closed) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(file + " was not archived as closed within 5 s");
  }

  private static void write(Statement sql, int rows, String note) throws Exception {
    for (int i = 0; i < rows; i++) {
      sql.execute("INSERT INTO shop.orders (note) VALUES ('" + note + " #" + i + "')");
    }
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
