package io.zoneguard.testing;

import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.port.Cluster;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory {@link Cluster} for unit tests of pure decisions: the facts are the public lists;
 * any call that would change something fails the test (a decision under test must not act).
 */
public final class ReadOnlyCluster {
  public final List<StatefulSetFacts> statefulSets = new ArrayList<>();
  public final List<PvcFacts> claims = new ArrayList<>();
  public final List<PvFacts> pvs = new ArrayList<>();
  public final List<NodeFacts> nodes = new ArrayList<>();
  public final List<PodFacts> pods = new ArrayList<>();

  /** The port over the lists above (read at each call). */
  public Cluster port() {
    return (Cluster)
        Proxy.newProxyInstance(
            Cluster.class.getClassLoader(),
            new Class<?>[] {Cluster.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "namespaceExists" -> true;
                  case "statefulSet" ->
                      statefulSets.stream().filter(s -> s.name().equals(args[1])).findFirst();
                  case "statefulSets" -> List.copyOf(statefulSets);
                  case "pvcs" -> List.copyOf(claims);
                  case "pv" -> pvs.stream().filter(p -> p.name().equals(args[0])).findFirst();
                  case "nodes" -> List.copyOf(nodes);
                  case "pods" -> List.copyOf(pods);
                  case "pvsLabelled" -> List.of();
                  case "secretValue" -> Optional.empty();
                  case "recordEvent" -> null;
                  case "toString" -> "ReadOnlyCluster";
                  default ->
                      throw new UnsupportedOperationException(
                          "read-only test cluster: " + method.getName());
                });
  }
}
