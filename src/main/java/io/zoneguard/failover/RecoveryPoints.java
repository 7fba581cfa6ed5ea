package io.zoneguard.failover;

import io.zoneguard.domain.FailoverPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far past its snapshot each replica a failover moves can be brought by replaying the binlog
 * archive into it once it is Ready ({@code zoneguard binlog catch-up}): pure, from the plan, the
 * archive's window and the StatefulSet's governing service (for the replica's DNS name).
 */
final class RecoveryPoints {
  private RecoveryPoints() {}

  /**
   * What of the binlog archive a replay can use: its server, the first event from which it is
   * continuous (a catch-up crosses no gap), its newest event and GTID.
   */
  record Archive(long serverId, String firstEventTime, String lastEventTime, String lastGtid) {}

  static List<FailoverPlan.Recovery> of(
      FailoverPlan p, Optional<Archive> archive, Optional<String> serviceName, Instant now) {
    if (!FailoverPlan.FAILOVER.equals(p.kind())) {
      return List.of(); // a failback stops the replicas first: it loses nothing
    }
    return p.volumes().stream().map(v -> of(p, v, archive, serviceName, now)).toList();
  }

  private static FailoverPlan.Recovery of(
      FailoverPlan p,
      FailoverPlan.PlannedVolume v,
      Optional<Archive> archive,
      Optional<String> serviceName,
      Instant now) {
    String pod = p.statefulSet() + "-" + v.ordinal();
    if (archive.isEmpty()) {
      return new FailoverPlan.Recovery(
          v.pvc(),
          pod,
          v.snapshotTime(),
          v.dataLossSeconds(),
          null,
          null,
          null,
          null,
          null,
          "no binlog archive: the snapshot is as far as this replica gets (or replication from"
              + " the primary)");
    }
    Archive w = archive.get();
    Instant newest = Instant.parse(w.lastEventTime());
    Instant snapshot = instant(v.snapshotTime());
    Instant first = instant(w.firstEventTime());
    Long after = null;
    String command = null;
    String why = null;
    if (snapshot != null && first != null && first.isAfter(snapshot)) {
      why =
          "the archive starts at "
              + w.firstEventTime()
              + ", after the snapshot: catch-up would find a gap (restore --to-time from a later"
              + " set instead)";
    } else if (snapshot != null && !newest.isAfter(snapshot)) {
      after = v.dataLossSeconds();
      why = "the archive holds nothing newer than the snapshot";
    } else {
      after = Math.max(0, Duration.between(newest, now).toSeconds());
      String host =
          serviceName
              .filter(s -> !s.isBlank())
              .map(s -> pod + "." + s + "." + p.namespace() + ".svc")
              .orElse("<" + pod + "'s address>");
      command =
          "zoneguard binlog catch-up -n "
              + p.namespace()
              + " --statefulset "
              + p.statefulSet()
              + " --db-host "
              + host;
    }
    return new FailoverPlan.Recovery(
        v.pvc(),
        pod,
        v.snapshotTime(),
        v.dataLossSeconds(),
        w.serverId(),
        w.lastEventTime(),
        w.lastGtid(),
        after,
        command,
        why);
  }

  /** Null for a time this plan cannot compare (none recorded). */
  private static Instant instant(String iso) {
    try {
      return iso == null ? null : Instant.parse(iso);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
