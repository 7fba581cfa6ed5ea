package io.zoneguard.mysql;

import io.zoneguard.domain.DatabaseEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mariadb-binlog --read-from-remote-server --raw --stop-never}: connects as a replication
 * client and writes the server's binary log files, byte for byte, into a directory as events
 * arrive, opening the next file at each rotation, until stopped. Needs REPLICATION SLAVE (MariaDB
 * 10.5+: BINLOG REPLAY is not needed; REPLICATION SLAVE ADMIN is not). The password goes through
 * {@code MYSQL_PWD} only ({@link ClientProcess}).
 */
public final class BinlogStreamProcess implements AutoCloseable {
  private final ClientProcess process;

  private BinlogStreamProcess(ClientProcess process) {
    this.process = process;
  }

  /**
   * Starts streaming from {@code firstFile} (from its beginning: raw files are copied whole) into
   * {@code dir}. {@code replicaId} is the server id the stream announces; it must differ from every
   * real replica's, or the server drops one of the two connections.
   */
  public static BinlogStreamProcess start(
      String binary, DatabaseEndpoint endpoint, Path dir, String firstFile, long replicaId) {
    List<String> args = new ArrayList<>();
    args.add("--read-from-remote-server");
    args.add("--raw");
    args.add("--stop-never");
    args.add("--stop-never-slave-server-id=" + replicaId);
    // a trailing separator makes it a directory: the files keep the server's names
    args.add("--result-file=" + dir.toAbsolutePath() + "/");
    args.add(firstFile);
    return new BinlogStreamProcess(ClientProcess.start(binary, endpoint, args, true));
  }

  public boolean alive() {
    return process.alive();
  }

  /** Why the stream stopped (first error line of the client), when it is not alive. */
  public String reason() {
    return process.reason();
  }

  @Override
  public void close() {
    process.kill();
  }
}
