package io.zoneguard.port;

import io.zoneguard.domain.PodFacts;
import java.util.List;

/** Pods: read them; delete one so its controller recreates it. */
public interface Pods {

  List<PodFacts> list(String namespace);

  /** Deletes a pod gracefully (never forced), so its controller recreates it. */
  void delete(String namespace, String pod);
}
