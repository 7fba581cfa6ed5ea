package io.zoneguard.testing;

import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.port.Claims;
import io.zoneguard.port.Cluster;
import io.zoneguard.port.Events;
import io.zoneguard.port.Namespaces;
import io.zoneguard.port.Nodes;
import io.zoneguard.port.PersistentVolumes;
import io.zoneguard.port.Pods;
import io.zoneguard.port.Secrets;
import io.zoneguard.port.StatefulSets;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * In-memory role ports for unit tests of pure decisions: the facts are the public lists; any call
 * that would change something fails the test (a decision under test must not act).
 */
public final class ReadOnlyCluster {
  public final List<StatefulSetFacts> statefulSets = new ArrayList<>();
  public final List<PvcFacts> claims = new ArrayList<>();
  public final List<PvFacts> pvs = new ArrayList<>();
  public final List<NodeFacts> nodes = new ArrayList<>();
  public final List<PodFacts> pods = new ArrayList<>();

  /** The ports over the lists above (read at each call). */
  public Cluster port() {
    return build(List.of());
  }

  /**
   * As {@link #port()}, with some ports replaced by the test's own (e.g. a {@link Nodes} that
   * records what a step changes); each override replaces the port whose interface it implements.
   */
  public Cluster portWith(Object... overrides) {
    return build(List.of(overrides));
  }

  private Cluster build(List<Object> overrides) {
    return new Cluster(
        pick(Namespaces.class, overrides),
        pick(StatefulSets.class, overrides),
        pick(Claims.class, overrides),
        pick(PersistentVolumes.class, overrides),
        pick(Nodes.class, overrides),
        pick(Pods.class, overrides),
        pick(Events.class, overrides),
        pick(Secrets.class, overrides));
  }

  private <T> T pick(Class<T> port, List<Object> overrides) {
    return overrides.stream()
        .filter(port::isInstance)
        .map(port::cast)
        .findFirst()
        .orElseGet(() -> readOnly(port));
  }

  private <T> T readOnly(Class<T> port) {
    return port.cast(
        Proxy.newProxyInstance(
            port.getClassLoader(),
            new Class<?>[] {port},
            (proxy, method, args) ->
                switch (port.getSimpleName() + "." + method.getName()) {
                  case "Namespaces.exists" -> true;
                  case "StatefulSets.get" ->
                      statefulSets.stream().filter(s -> s.name().equals(args[1])).findFirst();
                  case "StatefulSets.list" -> List.copyOf(statefulSets);
                  case "Claims.list" -> List.copyOf(claims);
                  case "PersistentVolumes.get" ->
                      pvs.stream().filter(p -> p.name().equals(args[0])).findFirst();
                  case "PersistentVolumes.namesLabelled" -> List.of();
                  case "Nodes.list" -> List.copyOf(nodes);
                  case "Pods.list" -> List.copyOf(pods);
                  case "Secrets.value" -> Optional.empty();
                  case "Events.record" -> null;
                  default ->
                      method.getName().equals("toString")
                          ? "ReadOnlyCluster." + port.getSimpleName()
                          : fail(port, method.getName());
                }));
  }

  private static Object fail(Class<?> port, String method) {
    throw new UnsupportedOperationException(
        "read-only test cluster: " + port.getSimpleName() + "." + method);
  }
}
