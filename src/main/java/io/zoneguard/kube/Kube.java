package io.zoneguard.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/** What every resource operator shares: error translation and reading fields that may be absent. */
final class Kube {
  private Kube() {}

  static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(operation, e);
    }
  }

  static ZoneguardException unreachable(String operation, Exception e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root instanceof KubernetesClientException k) {
      return KubeErrors.translate(operation, k);
    }
    return ZoneguardException.failed(
        "cannot reach the Kubernetes API for "
            + operation
            + ": "
            + Text.firstLine(root.getClass().getSimpleName() + ": " + root.getMessage()),
        e);
  }

  /**
   * A field the API always sets but a hand-made or truncated object may lack: one line naming the
   * object and the field, instead of a NullPointerException deep in a step.
   */
  static <T> T required(T value, String object, String field) {
    if (value == null) {
      throw ZoneguardException.failed(
          object + " has no " + field + ": the API returned an incomplete object; inspect it",
          null);
    }
    return value;
  }

  /** An RFC 3339 timestamp, or null when absent or unreadable (only used for ordering). */
  static Instant instant(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
