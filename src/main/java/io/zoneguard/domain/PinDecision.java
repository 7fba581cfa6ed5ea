package io.zoneguard.domain;

/**
 * Whether the failover changes the StatefulSet's pod template to keep pods out of the failed zone:
 * {@code required} when the template's own zone constraints would keep a moved replica Pending,
 * {@code apply} when the pin is made (required, or asked for with --pin), why, and whether healthy
 * replicas restart because of it (a template change rolls every replica under RollingUpdate).
 */
public record PinDecision(
    boolean required, boolean apply, String why, boolean restartsHealthyReplicas) {

  /** Nothing to decide (no template facts, e.g. a record written before the pin policy). */
  public static PinDecision none(String why) {
    return new PinDecision(false, false, why, false);
  }
}
