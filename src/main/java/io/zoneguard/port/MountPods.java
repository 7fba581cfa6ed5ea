package io.zoneguard.port;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Short-lived pods a drill starts in its scratch namespace to mount each restored claim: a claim
 * Bound to a PV proves only the API objects match; a pod Running on it proves a node attached the
 * volume and mounted its filesystem. Only drill namespaces are touched.
 */
public interface MountPods {

  /**
   * Creates pod {@code pod} in drill namespace {@code namespace} that mounts {@code claim} and
   * sleeps; it ends itself after {@code lifetime} should nobody delete it. An existing pod of that
   * name is kept. Refused (unsafe) outside drill namespaces.
   */
  void start(String namespace, String pod, String claim, String image, Duration lifetime);

  /** The pod's phase ({@code Pending, Running, Failed …}), or empty when it does not exist. */
  Optional<String> phase(String namespace, String pod);

  /** The mount pods in a drill namespace. */
  List<String> list(String namespace);

  /** Deletes a mount pod; gone already: ok. Refused (unsafe) outside drill namespaces. */
  void delete(String namespace, String pod);
}
