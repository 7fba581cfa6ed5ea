package io.zoneguard.domain;

/**
 * What fencing does with one node of the failed zone, and the EC2 facts it rests on: the node's
 * instance (from {@code spec.providerID}), that instance's state as EC2 reports it ({@code absent}
 * when EC2 does not know it, {@code -} when the node names no EC2 instance), and why.
 */
public record FenceDecision(
    String node, boolean ready, String instanceId, String ec2State, Action action, String why) {

  /** What fencing does with the node. */
  public enum Action {
    /** EC2 proves the instance is not running: cordon and taint out-of-service. */
    TAINT,
    /** The operator confirmed the node is shut down (--confirm-nodes-down): cordon and taint. */
    TAINT_CONFIRMED,
    /** --fence stop-instances: force-stop the instance, wait until stopped, then taint. */
    STOP_THEN_TAINT,
    /** Ready and not proven down: cordon only; its pods keep running. */
    CORDON_ONLY,
    /** NotReady but its instance may run (a partition?): fencing it is refused. */
    REFUSE;

    public boolean taints() {
      return this == TAINT || this == TAINT_CONFIRMED || this == STOP_THEN_TAINT;
    }
  }
}
