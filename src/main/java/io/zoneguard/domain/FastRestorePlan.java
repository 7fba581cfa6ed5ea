package io.zoneguard.domain;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which Fast Snapshot Restores (FSR: one per snapshot and zone) to enable and which to disable so
 * that, of one StatefulSet's zoneguard snapshots, exactly the newest complete set's have FSR in the
 * chosen zones. A failover takes each claim's newest snapshot, so FSR on an older set's snapshots
 * only costs money (per snapshot-zone hour) and counts against the region's FSR quota. Pure: the
 * caller reads the states and applies the plan, disabling first (that frees quota).
 *
 * @param enable zone → snapshots to enable there
 * @param disable zone → snapshots to disable there
 */
public record FastRestorePlan(Map<String, Set<String>> enable, Map<String, Set<String>> disable) {

  /**
   * States that hold FSR (and bill it): a snapshot-zone pair in one of them needs no enabling, and
   * one that should not have FSR needs disabling. {@code disabling} and {@code disabled} do not.
   */
  public static final Set<String> ACTIVE = Set.of("enabling", "optimizing", "enabled");

  public FastRestorePlan {
    enable = frozen(enable);
    disable = frozen(disable);
  }

  /**
   * @param newest the newest complete set's snapshot ids
   * @param zones the zones FSR should be enabled in (empty: FSR on none of them)
   * @param states every zoneguard snapshot of the StatefulSet (newest included) → zone → FSR state,
   *     as EC2 reports them; pairs EC2 does not report have never had FSR
   */
  public static FastRestorePlan of(
      Collection<String> newest,
      Collection<String> zones,
      Map<String, Map<String, String>> states) {
    Map<String, Set<String>> enable = new TreeMap<>();
    for (String zone : zones) {
      for (String snapshot : newest) {
        String state = states.getOrDefault(snapshot, Map.of()).get(zone);
        if (state == null || !ACTIVE.contains(state)) {
          enable.computeIfAbsent(zone, z -> new TreeSet<>()).add(snapshot);
        }
      }
    }
    Map<String, Set<String>> disable = new TreeMap<>();
    states.forEach(
        (snapshot, byZone) ->
            byZone.forEach(
                (zone, state) -> {
                  boolean wanted = newest.contains(snapshot) && zones.contains(zone);
                  if (ACTIVE.contains(state) && !wanted) {
                    disable.computeIfAbsent(zone, z -> new TreeSet<>()).add(snapshot);
                  }
                }));
    return new FastRestorePlan(enable, disable);
  }

  public boolean nothingToDo() {
    return enable.isEmpty() && disable.isEmpty();
  }

  /** How many snapshot-zone pairs the map names. */
  public static int pairs(Map<String, Set<String>> byZone) {
    return byZone.values().stream().mapToInt(Set::size).sum();
  }

  /** One snapshot-zone pair EC2 refused to change, with its error code and message. */
  public record Failure(String snapshotId, String zone, String code, String message) {
    @Override
    public String toString() {
      return snapshotId + " in " + zone + ": " + code + (message == null ? "" : " " + message);
    }
  }

  private static Map<String, Set<String>> frozen(Map<String, Set<String>> m) {
    Map<String, Set<String>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, Set.copyOf(new TreeSet<>(v))));
    return java.util.Collections.unmodifiableMap(out);
  }

  /** For messages: {@code zone: snap, snap; zone: snap}. */
  public static String describe(Map<String, Set<String>> byZone) {
    List<String> parts =
        byZone.entrySet().stream()
            .map(e -> e.getKey() + ": " + String.join(", ", new TreeSet<>(e.getValue())))
            .toList();
    return String.join("; ", parts);
  }
}
