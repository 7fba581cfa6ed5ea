package io.zoneguard.backup;

import java.time.Duration;
import java.util.List;

/**
 * One backup set to take. {@code dumpReplica} names the replica (ordinal) the database endpoint
 * reaches, used in the dump's object key. {@code databases} empty means every user database. {@code
 * consistency} {@code crash} snapshots without locking (InnoDB recovers); {@code ftwrl} holds FLUSH
 * TABLES WITH READ LOCK around the CreateSnapshot calls only.
 */
public record BackupRequest(
    String namespace,
    String statefulSet,
    int dumpReplica,
    List<String> databases,
    Consistency consistency,
    boolean checksums,
    Duration snapshotTimeout) {

  public enum Consistency {
    crash,
    ftwrl
  }

  public BackupRequest {
    databases = databases == null ? List.of() : List.copyOf(databases);
  }
}
