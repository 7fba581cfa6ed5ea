package io.zoneguard.backup;

import io.zoneguard.domain.BackupManifest;

/**
 * One backup set as listed: {@code complete} only when its manifest exists and says so. A set
 * without a manifest (a crash mid-backup) is listed as incomplete and never used.
 */
public record BackupSetSummary(
    String setId,
    String startedAt,
    long ageSeconds,
    boolean hasManifest,
    boolean complete,
    long sizeBytes,
    int snapshots,
    BackupManifest manifest) {}
