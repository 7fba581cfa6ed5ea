package io.zoneguard.failover.steps;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.Hydration;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.VolumeSpec;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.BlockStorage.NewVolume;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates one volume per moved PVC from its snapshot in its target zone, in parallel, keeping type,
 * iops, throughput and encryption, tagged with the failover id and PVC at creation. Volumes an
 * earlier run made are found by those tags and reused, never duplicated (EC2 ClientToken would do
 * the same on AWS, but emulators ignore it, and tags also survive a new process).
 */
public final class CreateVolumes implements FailoverStep {
  @Override
  public StepOutcome run(StepContext ctx) {
    Map<String, String> byPvc = new LinkedHashMap<>();
    for (VolumeSpec v : ctx.storage().findVolumes(Map.of(Keys.TAG_FAILOVER_ID, ctx.id()))) {
      String pvc = v.tags().get(Keys.TAG_PVC);
      if (pvc != null && !"deleted".equals(v.state())) {
        byPvc.putIfAbsent(pvc, v.volumeId());
      }
    }
    List<PlannedVolume> missing = new ArrayList<>();
    for (PlannedVolume v : ctx.plan().volumes()) {
      if (byPvc.containsKey(v.pvc())) {
        ctx.detail(v.pvc() + ": " + byPvc.get(v.pvc()) + " (made by an earlier run)");
      } else {
        missing.add(v);
      }
    }
    Map<String, String> snapshots = ctx.record().snapshots();
    // the old volumes' own tags (cost allocation, team, the CSI driver's) carry over; EC2 still
    // answers for volumes of a lost zone, and a failure to read them costs only the tags
    Map<String, VolumeSpec> old = new HashMap<>();
    if (!missing.isEmpty()) {
      try {
        old.putAll(
            ctx.storage().volumes(missing.stream().map(PlannedVolume::oldVolumeId).toList()));
      } catch (RuntimeException e) {
        ctx.detail("could not read the old volumes' tags (" + e.getMessage() + "): not copied");
      }
    }
    Hydration hydration = ctx.options().hydration();
    // one call for all snapshots; FSR applies per (snapshot, zone)
    Map<String, Set<String>> fsr =
        hydration.fastRestore() && !missing.isEmpty()
            ? ctx.storage()
                .fastRestoreZones(
                    missing.stream()
                        .map(v -> snapshots.getOrDefault(v.pvc(), v.snapshotId()))
                        .distinct()
                        .toList())
            : Map.of();
    List<VolumeSpec> made =
        ctx.parallel(
            missing,
            v -> {
              String snapshot = snapshots.getOrDefault(v.pvc(), v.snapshotId());
              boolean fsrHere = Hydration.enabledIn(fsr, snapshot, v.targetZone());
              Integer rate = hydration.rateFor(fsrHere);
              VolumeSpec created =
                  ctx.storage()
                      .createVolume(
                          // the volume may have grown since the snapshot: keep its size, so
                          // the PV's capacity is true (the CSI node plugin grows the fs)
                          NewVolume.restoring(
                                  v,
                                  snapshot,
                                  tags(old.get(v.oldVolumeId()), ctx.tags(v, v.targetZone())))
                              .withInitializationRate(rate));
              ctx.detail(
                  v.pvc()
                      + ": creating "
                      + created.volumeId()
                      + " in "
                      + v.targetZone()
                      + " from "
                      + snapshot
                      + (hydration.instant(fsrHere)
                          ? ", instant (Fast Snapshot Restore enabled in " + v.targetZone() + ")"
                          : rate != null
                              ? ", initialized at "
                                  + rate
                                  + " MiB/s (~"
                                  + Text.age(hydration.seconds(v.sizeGiB()))
                                  + ")"
                              : ""));
              return created;
            });
    for (VolumeSpec v : made) {
      byPvc.put(v.tags().get(Keys.TAG_PVC), v.volumeId());
    }
    // remember the ids before waiting: a crash while waiting loses nothing
    ctx.update(r -> r.withVolumes(byPvc));
    Map<String, String> states = new HashMap<>();
    for (VolumeSpec v : ctx.storage().awaitVolumes(byPvc.values(), ctx.options().volumeTimeout())) {
      states.put(v.volumeId(), v.state());
    }
    for (Map.Entry<String, String> e : byPvc.entrySet()) {
      String state = states.get(e.getValue());
      if (!"available".equals(state) && !"in-use".equals(state)) {
        throw ZoneguardException.failed(
            e.getKey() + ": volume " + e.getValue() + " is " + state + ", not available", null);
      }
      ctx.detail(e.getKey() + ": " + e.getValue() + " available");
    }
    return StepOutcome.of(
        !made.isEmpty(),
        made.size() + " created, " + (byPvc.size() - made.size()) + " reused: " + byPvc);
  }

  /** Old volume's tags a copy should keep, overridden by zoneguard's own. */
  static Map<String, String> tags(VolumeSpec old, Map<String, String> own) {
    Map<String, String> out = new HashMap<>();
    if (old != null) {
      old.tags()
          .forEach(
              (k, val) -> {
                boolean reserved =
                    k.startsWith("aws:")
                        || k.startsWith("zoneguard.io/")
                        || k.equals("CSIVolumeName")
                        || k.equals("kubernetes.io/created-for/pv/name");
                if (!reserved) {
                  out.put(k, val);
                }
              });
    }
    out.putAll(own);
    return out;
  }
}
