package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  /**
   * DELETE {@code path} with {@code DeleteOptions.preconditions.uid}: the API server deletes only
   * the object with that UID and answers 409 when the name now belongs to another one (kubernetes
   * {@code staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go} {@code Delete}
   * checks {@code options.Preconditions} against the stored object). fabric8's DSL cannot send
   * preconditions, so the request is made by hand on its HTTP client. Returns 2xx, 404 or 409; any
   * other answer is a one-line error.
   */
  static int deleteIfUid(KubernetesClient client, String path, String uid, String what) {
    String body =
        Serialization.asJson(
            new DeleteOptionsBuilder()
                .withApiVersion("v1")
                .withKind("DeleteOptions")
                .withNewPreconditions()
                .withUid(uid)
                .endPreconditions()
                .build());
    var http = client.getHttpClient();
    var request =
        http.newHttpRequestBuilder()
            .uri(client.getMasterUrl().toString().replaceFirst("/$", "") + path)
            .header("User-Agent", client.getConfiguration().getUserAgent())
            .delete("application/json", body)
            .build();
    int code;
    String answer;
    try {
      var response = http.sendAsync(request, String.class).get(60, TimeUnit.SECONDS);
      code = response.code();
      answer = response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ZoneguardException.failed("interrupted: " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw unreachable(what, e);
    }
    if (code / 100 != 2 && code != 404 && code != 409) {
      throw KubeErrors.translate(what, new KubernetesClientException(answer, code, null));
    }
    return code;
  }
}
