package io.zoneguard.port;

import java.nio.file.Path;
import java.util.List;

/** A MySQL/MariaDB server whose binary logs zoneguard archives, seen as a replication client. */
public interface BinlogSource {
  /** {@code @@server_id}: archives are kept per server, as binlog file names repeat across them. */
  long serverId();

  /** Whether binary logging is on ({@code @@log_bin}); nothing to archive otherwise. */
  boolean binlogEnabled();

  /** The binary log files the server still has, oldest first ({@code SHOW BINARY LOGS}). */
  List<String> binaryLogs();

  /** Starts copying the server's binary logs, from {@code firstFile} on, into {@code dir}. */
  Stream stream(Path dir, String firstFile);

  /** A running copy; closing it stops it. */
  interface Stream extends AutoCloseable {
    boolean alive();

    /** Why it stopped, when it is not alive. */
    String reason();

    @Override
    void close();
  }
}
