package io.zoneguard.port;

import io.zoneguard.domain.StatefulSetFacts;
import java.util.List;
import java.util.Optional;

/** StatefulSets: read them; zoneguard's durable record lives in one of their annotations. */
public interface StatefulSets {

  Optional<StatefulSetFacts> get(String namespace, String name);

  List<StatefulSetFacts> list(String namespace);

  /**
   * Replaces one annotation of the StatefulSet if it still has the {@code expected} value (null:
   * absent), atomically (optimistic concurrency on the resourceVersion). A null {@code value}
   * removes it. Returns false when the annotation had another value or a concurrent write won.
   */
  boolean replaceAnnotation(
      String namespace, String statefulSet, String key, String expected, String value);
}
