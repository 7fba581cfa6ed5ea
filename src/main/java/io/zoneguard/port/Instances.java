package io.zoneguard.port;

import io.zoneguard.domain.InstanceFacts;
import java.util.Collection;
import java.util.Map;

/** The EC2 instances behind Kubernetes nodes: what fencing needs to know and may do. */
public interface Instances {

  /**
   * State and status checks of these instances, by id. An id EC2 does not know is absent from the
   * result (it does not fail the call).
   */
  Map<String, InstanceFacts> describe(Collection<String> instanceIds);

  /**
   * Stops these instances with {@code Force=true} (no graceful OS shutdown: the instance is cut off
   * like a power loss, which is what fencing needs). Already stopped or terminated: no change.
   */
  void forceStop(Collection<String> instanceIds);
}
