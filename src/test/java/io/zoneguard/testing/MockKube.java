package io.zoneguard.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * The fabric8 mock API server in CRUD mode over https on loopback, plus a kubeconfig file for it,
 * so zoneguard's real client factory connects as it would to a cluster. It stores objects and
 * honours finalizers, but runs no controllers: tests that need them run the upstream-faithful
 * simulation ({@link io.zoneguard.testing.sim.Sim}) over it.
 */
public final class MockKube implements AutoCloseable {
  // Strong reference: JUL forgets levels of loggers nobody holds.
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private volatile KubernetesClient client;

  private final MockKubeDispatcher kubelet = new MockKubeDispatcher(() -> this.client);

  /** What zoneguard's own client asked of this server. */
  public ApiAudit audit() {
    return kubelet.audit;
  }

  public MockKube() {
    this(true);
  }

  /**
   * Over plain http when {@code https} is false: the simulation puts its gate proxy in front, and
   * the client it gives zoneguard then speaks http to the proxy.
   */
  public MockKube(boolean https) {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), kubelet, https);
    try {
      server.init(InetAddress.getLoopbackAddress(), 0);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start the fabric8 mock API server", e);
    }
    client = server.createClient();
  }

  public KubernetesClient client() {
    return client;
  }

  public String url() {
    return client.getMasterUrl().toString();
  }

  /** Writes a kubeconfig with one context, {@code mock}, pointing at this server. */
  public Path writeKubeconfig(Path dir) {
    return writeKubeconfig(dir, url());
  }

  /** Writes a kubeconfig with one context, {@code mock}, pointing at {@code server}. */
  public static Path writeKubeconfig(Path dir, String server) {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        users:
        - name: mock
          user:
            token: not-a-secret
        contexts:
        - name: mock
          context:
            cluster: mock
            user: mock
        current-context: mock
        """
            .formatted(server);
    try {
      Path file = dir.resolve("kubeconfig");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops the server, and fails when zoneguard made a request that {@link
   * io.zoneguard.kube.KubePermissions} does not grant (the chart's RBAC would refuse it).
   */
  @Override
  public void close() {
    client.close();
    server.destroy();
    List<String> ungranted = kubelet.audit.ungranted();
    if (!ungranted.isEmpty()) {
      throw new AssertionError(
          "zoneguard made API requests that KubePermissions (and so the chart's RBAC) does not"
              + " grant: "
              + ungranted);
    }
  }
}
