package io.zoneguard.inventory;

/**
 * One zone as an on-call engineer needs to judge it: what EC2 says and how many of the cluster's
 * nodes there are Ready.
 */
public record ZoneHealth(
    String zone, String awsState, int readyNodes, int notReadyNodes, Health health) {

  /** A verdict, worst first. */
  public enum Health {
    /** EC2 does not report the zone available, or it has nodes and none is Ready. */
    DOWN,
    /** Some nodes are NotReady. */
    DEGRADED,
    /** The zone holds volumes but no nodes: pods bound to those volumes cannot run. */
    NO_NODES,
    HEALTHY
  }

  static Health judge(String awsState, int ready, int notReady) {
    if (!"available".equals(awsState)) {
      return Health.DOWN;
    }
    if (ready == 0 && notReady > 0) {
      return Health.DOWN;
    }
    if (notReady > 0) {
      return Health.DEGRADED;
    }
    return ready == 0 ? Health.NO_NODES : Health.HEALTHY;
  }
}
