package io.zoneguard.drill;

import java.time.Duration;
import java.util.Optional;

/**
 * A drill of one StatefulSet's backups: which set (default the newest complete one), whether to
 * keep the scratch objects for inspection, whether a checksum drift fails the drill, and how long
 * to wait for volumes and claims.
 */
public record DrillRequest(
    String namespace,
    String statefulSet,
    Optional<String> setId,
    boolean keep,
    boolean strictChecksums,
    Duration volumeTimeout,
    Duration bindTimeout) {}
