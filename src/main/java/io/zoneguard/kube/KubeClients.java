package io.zoneguard.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Builds the Kubernetes client: an explicit kubeconfig file, else the usual discovery ({@code
 * KUBECONFIG}, {@code ~/.kube/config}, in-cluster service account), with an optional context, as
 * kubectl does.
 */
public final class KubeClients {
  public static final String USER_AGENT = "zoneguard";

  private KubeClients() {}

  public static KubernetesClient create(Optional<Path> kubeconfig, Optional<String> context) {
    Config config;
    if (kubeconfig.isPresent()) {
      Path file = kubeconfig.get();
      String text;
      try {
        text = Files.readString(file);
      } catch (java.nio.file.NoSuchFileException e) {
        throw ZoneguardException.usage("kubeconfig " + file + " does not exist");
      } catch (IOException e) {
        throw ZoneguardException.usage("cannot read kubeconfig " + file + ": " + e);
      }
      try {
        config = Config.fromKubeconfig(context.orElse(null), text, file.toString());
      } catch (RuntimeException e) {
        throw ZoneguardException.usage(
            "kubeconfig " + file + " is not usable: " + Text.firstLine(e.getMessage()));
      }
    } else {
      config = Config.autoConfigure(context.orElse(null));
    }
    if (context.isPresent()
        && (config.getCurrentContext() == null
            || !context.get().equals(config.getCurrentContext().getName()))) {
      throw ZoneguardException.usage(
          "kubeconfig context '" + context.get() + "' not found (see kubectl config get-contexts)");
    }
    // An on-call engineer waits for an answer: fail within seconds when the API is unreachable.
    config.setRequestRetryBackoffLimit(2);
    config.setConnectionTimeout(5_000);
    // audit logs (and the test harness's RBAC check) can tell zoneguard's requests apart
    config.setUserAgent(USER_AGENT);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
