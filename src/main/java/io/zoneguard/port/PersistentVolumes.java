package io.zoneguard.port;

import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvShape;
import java.util.List;
import java.util.Optional;

/** PersistentVolumes: read, create pre-bound static EBS PVs, keep volumes, drill cleanup. */
public interface PersistentVolumes {

  Optional<PvFacts> get(String name);

  /** Names of the PVs labelled {@code key=value}. */
  List<String> namesLabelled(String key, String value);

  /**
   * Creates the static EBS PV over {@code volumeId}, pre-bound to {@code namespace/plan.pvc},
   * pinned to {@code plan.targetZone}, presenting the volume as {@code shape}, named {@link
   * io.zoneguard.domain.FailoverRecord#pvName}. Returns false (and changes nothing) when a PV of
   * that name exists: the caller decides whether it is this run's ({@link PvFacts#over}).
   */
  boolean create(
      String namespace, String failoverId, PlannedVolume plan, String volumeId, PvShape shape);

  /** Sets a PV's reclaim policy (Retain keeps the volume when its claim goes). */
  void setReclaimPolicy(String pv, String policy);

  /**
   * Deletes a drill's PV. Refused (unsafe) unless it is labelled with a drill id and bound to a
   * claim in a drill namespace: the port offers no way to delete any other PV. Gone already: ok.
   */
  void deleteDrillPv(String name);
}
