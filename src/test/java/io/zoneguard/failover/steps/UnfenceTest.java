package io.zoneguard.failover.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.Zone;
import io.zoneguard.failover.FailoverOptions;
import io.zoneguard.failover.Progress;
import io.zoneguard.port.Cluster;
import io.zoneguard.port.Nodes;
import io.zoneguard.testing.Plans;
import io.zoneguard.testing.ReadOnlyCluster;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which nodes failback unfences is the step's decision, not the node adapter's (which only edits):
 * a node of the recovered zone that is still NotReady stays cordoned and tainted, since its pods
 * may come back writing once it reappears; other zones' nodes are never touched.
 */
class UnfenceTest {
  private final List<NodeFacts> nodes = new ArrayList<>();
  private final List<String> unfenced = new ArrayList<>();

  private final Nodes recording =
      new Nodes() {
        public List<NodeFacts> list() {
          return List.copyOf(nodes);
        }

        public void cordon(String node) {
          throw new AssertionError("unfence must not cordon " + node);
        }

        public void taintOutOfService(String node) {
          throw new AssertionError("unfence must not taint " + node);
        }

        public void unfence(String node) {
          unfenced.add(node);
        }
      };

  private StepOutcome unfenceZoneB() {
    Cluster kube = new ReadOnlyCluster().portWith(recording);
    var plan = Plans.failback("us-east-1b", List.of(), List.of(), List.of());
    var ctx =
        new StepContext(
            kube,
            null,
            null,
            null,
            "c",
            FailoverOptions.defaults(),
            Progress.SILENT,
            Clock.systemUTC(),
            FailoverRecord.start("fb-1", "me", "2026-11-24T10:00:00Z", plan),
            r -> r);
    return new Unfence().run(ctx);
  }

  private static NodeFacts node(String name, String zone, boolean ready) {
    return new NodeFacts(
        name, Zone.of(zone), ready, true, List.of("node.kubernetes.io/out-of-service"));
  }

  @Test
  void onlyReadyNodesOfTheRecoveredZoneAreUnfenced() {
    nodes.add(node("b-ready", "us-east-1b", true));
    nodes.add(node("b-still-down", "us-east-1b", false));
    nodes.add(node("c-fenced-by-someone-else", "us-east-1c", true));
    nodes.add(new NodeFacts("no-zone-label", null, true, true, List.of()));

    StepOutcome out = unfenceZoneB();

    assertThat(unfenced).containsExactly("b-ready");
    assertThat(out.kind()).isEqualTo(StepOutcome.Kind.CHANGED);
  }

  @Test
  void nothingIsLiftedWhileTheZoneIsStillDown() {
    nodes.add(node("b-0", "us-east-1b", false));
    nodes.add(node("b-1", "us-east-1b", false));

    StepOutcome out = unfenceZoneB();

    assertThat(unfenced).isEmpty();
    assertThat(out.kind()).isEqualTo(StepOutcome.Kind.NOOP);
  }
}
