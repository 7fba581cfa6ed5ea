package io.zoneguard.port;

/** Kubernetes Events on a StatefulSet, so {@code kubectl describe sts} shows what zoneguard did. */
@FunctionalInterface
public interface Events {

  /**
   * Records an Event on the StatefulSet (type Normal or Warning). Best effort: a failure to record
   * is logged, not thrown.
   */
  void record(String namespace, String statefulSet, boolean warning, String reason, String message);
}
