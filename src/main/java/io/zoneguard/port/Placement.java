package io.zoneguard.port;

import io.zoneguard.domain.TemplatePlacement;
import java.util.List;
import java.util.Optional;

/**
 * The zone constraints of a StatefulSet's pod template: read them, re-pin them away from a lost
 * zone, restore them. Any change here rolls the StatefulSet's pods under RollingUpdate, so only the
 * pin policy decides to call {@link #repin}.
 */
public interface Placement {

  /** The template's zone constraints; empty when the StatefulSet does not exist. */
  Optional<TemplatePlacement> placement(String namespace, String statefulSet);

  /**
   * Keeps the template's pods out of {@code lostZone}, admitting {@code targetZones}: a constraint
   * that pinned pods to the lost zone is re-pinned to the targets, others get {@code NotIn}. The
   * original nodeSelector and affinity are kept (once) in annotations. Idempotent.
   */
  void repin(String namespace, String statefulSet, String lostZone, List<String> targetZones);

  /**
   * Puts back what {@link #repin} saved; returns false (and changes nothing) when the template was
   * never re-pinned.
   */
  boolean restore(String namespace, String statefulSet);
}
