package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.FenceDecision;
import io.zoneguard.domain.FenceDecision.Action;
import io.zoneguard.domain.InstanceFacts;
import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.Zone;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which nodes of the failed zone fencing may taint, from EC2 facts (KEP-2268's "verified down").
 */
class FencingTest {
  private static final String B = "us-east-1b";

  private static NodeFacts node(String name, boolean ready, String instance) {
    return new NodeFacts(
        name,
        Zone.of(B),
        ready,
        false,
        List.of(),
        instance == null ? null : "aws:///" + B + "/" + instance);
  }

  private static InstanceFacts ec2(String id, String state, boolean unreachable) {
    return new InstanceFacts(id, state, unreachable, unreachable ? "instance impaired" : "ok");
  }

  private static FenceDecision one(
      NodeFacts n, Map<String, InstanceFacts> ec2, FenceMode mode, boolean confirmed) {
    List<FenceDecision> d = Fencing.decide(B, List.of(n), ec2, mode, confirmed);
    assertThat(d).hasSize(1);
    return d.get(0);
  }

  @ParameterizedTest
  @CsvSource({"stopped, false", "terminated, false", "running, true", "stopping, true"})
  void provenDownWhenStoppedTerminatedOrUnreachable(String state, boolean unreachable) {
    FenceDecision d =
        one(
            node("n1", false, "i-1"),
            Map.of("i-1", ec2("i-1", state, unreachable)),
            FenceMode.VERIFY,
            false);
    assertThat(d.action()).isEqualTo(Action.TAINT);
    assertThat(d.instanceId()).isEqualTo("i-1");
    assertThat(d.ec2State()).isEqualTo(state);
  }

  @Test
  void anInstanceEc2DoesNotKnowIsDown() {
    FenceDecision d = one(node("n1", false, "i-gone"), Map.of(), FenceMode.VERIFY, false);
    assertThat(d.action()).isEqualTo(Action.TAINT);
    assertThat(d.ec2State()).isEqualTo("absent");
  }

  @Test
  void aNotReadyNodeWhoseInstanceRunsIsRefusedNamingTheNode() {
    NodeFacts n = node("node-b-0", false, "i-1");
    Map<String, InstanceFacts> running = Map.of("i-1", ec2("i-1", "running", false));
    List<FenceDecision> d = Fencing.decide(B, List.of(n), running, FenceMode.VERIFY, false);

    assertThat(d.get(0).action()).isEqualTo(Action.REFUSE);
    assertThat(Fencing.refusal(B, d))
        .hasValueSatisfying(
            r ->
                assertThat(r)
                    .contains(
                        "node-b-0 (i-1 running)", "--confirm-nodes-down", "--fence stop-instances")
                    .doesNotContain("\n"));
  }

  @Test
  void theOperatorsConfirmationOrAForcedStopLiftsTheRefusal() {
    NodeFacts n = node("node-b-0", false, "i-1");
    Map<String, InstanceFacts> running = Map.of("i-1", ec2("i-1", "running", false));
    assertThat(one(n, running, FenceMode.VERIFY, true).action()).isEqualTo(Action.TAINT_CONFIRMED);
    assertThat(one(n, running, FenceMode.STOP_INSTANCES, false).action())
        .isEqualTo(Action.STOP_THEN_TAINT);
  }

  @Test
  void aNodeWithoutAnEc2InstanceCannotBeProvenDownNorStopped() {
    NodeFacts noId = node("onprem", false, null);
    assertThat(one(noId, Map.of(), FenceMode.VERIFY, false).action()).isEqualTo(Action.REFUSE);
    assertThat(one(noId, Map.of(), FenceMode.STOP_INSTANCES, false).action())
        .isEqualTo(Action.REFUSE);
    assertThat(one(noId, Map.of(), FenceMode.VERIFY, true).action())
        .isEqualTo(Action.TAINT_CONFIRMED);
  }

  @Test
  void aReadyNodeIsOnlyCordonedUnlessProvenOrConfirmedDown() {
    NodeFacts ready = node("n1", true, "i-1");
    Map<String, InstanceFacts> running = Map.of("i-1", ec2("i-1", "running", false));
    assertThat(one(ready, running, FenceMode.VERIFY, false).action()).isEqualTo(Action.CORDON_ONLY);
    // stop-instances never stops a Ready node's instance on its own
    assertThat(one(ready, running, FenceMode.STOP_INSTANCES, false).action())
        .isEqualTo(Action.CORDON_ONLY);
    assertThat(one(ready, running, FenceMode.VERIFY, true).action())
        .isEqualTo(Action.TAINT_CONFIRMED);
    // EC2 says stopped while the node's status lags: the EC2 fact wins
    assertThat(
            one(ready, Map.of("i-1", ec2("i-1", "stopped", false)), FenceMode.VERIFY, false)
                .action())
        .isEqualTo(Action.TAINT);
    assertThat(
            Fencing.refusal(B, Fencing.decide(B, List.of(ready), running, FenceMode.VERIFY, false)))
        .isEmpty();
  }

  @Test
  void onlyTheFailedZonesNodesAreDecidedAndProviderIdsOfBothFormsAreRead() {
    NodeFacts other =
        new NodeFacts(
            "a0", Zone.of("us-east-1a"), false, false, List.of(), "aws:///us-east-1a/i-9");
    assertThat(Fencing.decide(B, List.of(other), Map.of(), FenceMode.VERIFY, false)).isEmpty();
    assertThat(new NodeFacts("x", null, true, false, List.of(), "aws:///i-0abc").instanceId())
        .isEqualTo("i-0abc");
    assertThat(new NodeFacts("x", null, true, false, List.of(), "gce://p/z/n").instanceId())
        .isNull();
  }
}
