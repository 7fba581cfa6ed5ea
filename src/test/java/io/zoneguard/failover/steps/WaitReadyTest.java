package io.zoneguard.failover.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.PvcRef;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.Zone;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.failover.FailoverOptions;
import io.zoneguard.failover.Progress;
import io.zoneguard.testing.Plans;
import io.zoneguard.testing.ReadOnlyCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When wait-ready may say "done" (issue 11, defect 7): a Ready count is not enough, because a moved
 * replica's old pod, terminating on a Ready node, is still Ready until it stops.
 */
class WaitReadyTest {
  private static final Instant CLAIM_CREATED = Instant.parse("2026-11-24T10:00:00Z");
  private static final String NEW_PV = "zoneguard-fb-1-data-mysql-1";
  private final ReadOnlyCluster cluster = new ReadOnlyCluster();
  private FailoverPlan plan;
  private StepContext ctx;

  @BeforeEach
  void movedReplicaOneToZoneB() {
    PlannedVolume v =
        Plans.move(1, "vol-c", "us-east-1c", "zoneguard-fo-1-data-mysql-1", "us-east-1b");
    plan = Plans.failback("us-east-1b", List.of(v), List.of(), List.of());
    ctx = context(FailoverOptions.defaults());
    cluster.statefulSets.add(
        new StatefulSetFacts(
            "shop", "mysql", 2, 2, "mysql", List.of("data"), "OrderedReady", Map.of(), Map.of()));
    cluster.nodes.add(new NodeFacts("node-b", Zone.of("us-east-1b"), true, false, List.of()));
    cluster.nodes.add(new NodeFacts("node-c", Zone.of("us-east-1c"), true, false, List.of()));
    cluster.claims.add(
        new PvcFacts(
            new PvcRef("shop", "data-mysql-1"),
            "Bound",
            NEW_PV,
            "gp3",
            "10Gi",
            List.of("ReadWriteOnce"),
            List.of(),
            false,
            "uid-new",
            "Filesystem",
            CLAIM_CREATED));
  }

  private StepContext context(FailoverOptions options) {
    return new StepContext(
        cluster.port(),
        null,
        null,
        null,
        "c",
        options,
        Progress.SILENT,
        Clock.systemUTC(),
        FailoverRecord.start("fb-1", "me", CLAIM_CREATED.toString(), plan),
        r -> r);
  }

  private static PodFacts pod(String node, boolean terminating, Instant created) {
    return new PodFacts(
        "shop", "mysql-1", node, "Running", true, terminating, List.of("data-mysql-1"), created);
  }

  @Test
  void theOldPodTerminatingOnAReadyNodeDoesNotCount() {
    cluster.pods.add(pod("node-c", true, CLAIM_CREATED.minusSeconds(3600)));
    assertThat(WaitReady.notYet(ctx)).containsExactly("mysql-1 (no new pod yet)");
  }

  @Test
  void aPendingPodWhoseClaimTheControllerRecreatedLaterCountsOnceRunningInItsZone() {
    // createMissingPersistentVolumeClaims: the claim is made for a pod that already exists
    cluster.pods.add(pod("node-b", false, CLAIM_CREATED.minusSeconds(30)));
    assertThat(WaitReady.notYet(ctx)).isEmpty();
  }

  @Test
  void aPodOutsideItsTargetZoneIsNotDone() {
    cluster.pods.add(pod("node-c", false, CLAIM_CREATED.plusSeconds(5)));
    assertThat(WaitReady.notYet(ctx)).containsExactly("mysql-1 (not running in us-east-1b)");
  }

  @Test
  void aClaimNotYetOnTheNewPvIsNotDone() {
    cluster.claims.clear();
    cluster.pods.add(pod("node-b", false, CLAIM_CREATED.plusSeconds(5)));
    assertThat(WaitReady.notYet(ctx)).containsExactly("mysql-1 (claim not on the new PV yet)");
  }

  @Test
  void theNewPodReadyInItsZoneOnItsNewClaimIsDone() {
    cluster.pods.add(pod("node-b", false, CLAIM_CREATED));
    assertThat(WaitReady.notYet(ctx)).isEmpty();
  }

  /**
   * The step itself, not only {@link WaitReady#notYet}: the StatefulSet's status counts every
   * replica Ready (a terminating pod keeps its Ready condition, and is counted, until it stops),
   * yet the moved replica's only pod is the old one, terminating. The old wait-ready returned
   * "done" on {@code readyReplicas >= replicas}; this one must keep waiting and time out. (Mutation
   * evidence in docs/design-notes.md: neither the notYet tests above nor FailoverScenariosIT
   * zone-b-dead caught a wait-ready that counts Ready replicas only.)
   */
  @Test
  void aFullReadyCountWithTheOldPodStillTerminatingIsNotDone() {
    cluster.pods.add(pod("node-c", true, CLAIM_CREATED.minusSeconds(3600)));
    StepContext quick =
        context(
            FailoverOptions.defaults()
                .withReadyTimeout(Duration.ofMillis(200))
                .withPollInterval(Duration.ofMillis(20)));
    assertThatThrownBy(() -> new WaitReady().run(quick))
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining("not every replica became Ready")
        .hasMessageContaining("2/2 Ready; waiting for mysql-1 (no new pod yet)");
  }
}
