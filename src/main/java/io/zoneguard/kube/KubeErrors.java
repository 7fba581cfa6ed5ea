package io.zoneguard.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
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
              + oneLine(reason)
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
              + oneLine(root.getClass().getSimpleName() + ": " + root.getMessage()),
          e);
    }
    return ZoneguardException.failed(
        operation + " failed (HTTP " + code + "): " + oneLine(reason), e);
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
