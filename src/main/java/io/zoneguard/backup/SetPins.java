package io.zoneguard.backup;

import io.zoneguard.domain.InUseSets;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.StatefulSets;
import java.util.Collection;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Pins the backup sets a failover or drill reads in the StatefulSet's {@link
 * Keys#IN_USE_SETS_ANNOTATION}, so retention keeps them until the work is done. Written with
 * compare-and-set: a prune, a drill and a failover may edit it at the same time.
 */
public final class SetPins {
  private final StatefulSets statefulSets;

  public SetPins(StatefulSets statefulSets) {
    this.statefulSets = statefulSets;
  }

  /** {@code user} (a failover or drill id) reads {@code setIds}: retention must keep them. */
  public void pin(String namespace, String statefulSet, String user, Collection<String> setIds) {
    edit(namespace, statefulSet, s -> s.with(user, setIds));
  }

  /** {@code user} is done: its pins go, other users' stay. */
  public void unpin(String namespace, String statefulSet, String user) {
    edit(namespace, statefulSet, s -> s.without(user));
  }

  /** The sets in use now. */
  public InUseSets current(String namespace, String statefulSet) {
    return InUseSets.parse(value(namespace, statefulSet));
  }

  private String value(String namespace, String statefulSet) {
    return statefulSets
        .get(namespace, statefulSet)
        .map(s -> s.annotations().get(Keys.IN_USE_SETS_ANNOTATION))
        .orElse(null);
  }

  private void edit(String namespace, String statefulSet, UnaryOperator<InUseSets> change) {
    for (int attempt = 0; attempt < 5; attempt++) {
      String now = value(namespace, statefulSet);
      String next = change.apply(InUseSets.parse(now)).render();
      if (Objects.equals(now, next)
          || statefulSets.replaceAnnotation(
              namespace, statefulSet, Keys.IN_USE_SETS_ANNOTATION, now, next)) {
        return;
      }
    }
    throw ZoneguardException.failed(
        "could not update annotation "
            + Keys.IN_USE_SETS_ANNOTATION
            + " of "
            + namespace
            + "/"
            + statefulSet
            + " (it kept changing under zoneguard): re-run",
        null);
  }
}
