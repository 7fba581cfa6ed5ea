package io.zoneguard.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a coordination.k8s.io Lease, so that of several {@code serve} replicas exactly
 * one schedules work. After losing the lease it keeps competing until {@link #close()}.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Duration leaseDuration;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "leader-election");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;
  private volatile CompletableFuture<?> current;

  public LeaderElection(
      KubernetesClient client,
      String namespace,
      String name,
      String identity,
      Duration leaseDuration) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.leaseDuration = leaseDuration;
  }

  public String identity() {
    return identity;
  }

  /** Competes for the lease in the background, calling back on gaining and losing it. */
  public void start(Runnable onStartLeading, Runnable onStopLeading, Consumer<String> onNewLeader) {
    executor.execute(
        () -> {
          while (!closed) {
            LeaderElector elector =
                client
                    .leaderElector()
                    .withConfig(
                        new LeaderElectionConfigBuilder()
                            .withName(name)
                            .withLock(new LeaseLock(namespace, name, identity))
                            .withLeaseDuration(leaseDuration)
                            .withRenewDeadline(leaseDuration.multipliedBy(2).dividedBy(3))
                            .withRetryPeriod(leaseDuration.dividedBy(5))
                            .withReleaseOnCancel(true)
                            .withLeaderCallbacks(
                                new LeaderCallbacks(onStartLeading, onStopLeading, onNewLeader))
                            .build())
                    .build();
            current = elector.start();
            try {
              current.get();
            } catch (Exception e) {
              if (!closed) {
                LOG.warn("leader election ended: {}; competing again", e.toString());
              }
            }
          }
        });
  }

  @Override
  public void close() {
    closed = true;
    CompletableFuture<?> c = current;
    if (c != null) {
      c.cancel(true);
    }
    executor.shutdownNow();
  }
}
