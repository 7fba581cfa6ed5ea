package io.zoneguard.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;

/** Turns fabric8 exceptions into one-line messages naming the operation and the API's answer. */
final class KubeErrors {
  private KubeErrors() {}

  static ZoneguardException translate(String operation, KubernetesClientException e) {
    int code = e.getCode();
    String reason =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    if (code == 401 || code == 403) {
      return ZoneguardException.failed(
          "Kubernetes API refused "
              + operation
              + " (HTTP "
              + code
              + "): "
              + Text.firstLine(reason)
              + " (check the RBAC rules in charts/zoneguard)",
          e);
    }
    if (code <= 0) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return ZoneguardException.failed(
          "cannot reach the Kubernetes API for "
              + operation
              + ": "
              + Text.firstLine(root.getClass().getSimpleName() + ": " + root.getMessage()),
          e);
    }
    return ZoneguardException.failed(
        operation + " failed (HTTP " + code + "): " + Text.firstLine(reason), e);
  }
}
