package io.zoneguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Re-pin and restore of a StatefulSet's template against the mock API server. */
@ExtendWith(BackupFixtureExtension.class)
class Fabric8PlacementIT {
  @Test
  void repinMergesWithExistingAffinityKeepsTheOriginalOnceAndIsIdempotent(BackupFixture f) {
    var kube = f.kube.client();
    var sts = kube.apps().statefulSets().inNamespace(f.namespace()).withName("mysql");
    sts.edit(
        s -> {
          s.getSpec()
              .getTemplate()
              .getSpec()
              .setAffinity(
                  new io.fabric8.kubernetes.api.model.AffinityBuilder()
                      .withNewNodeAffinity()
                      .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                      .addNewNodeSelectorTerm()
                      .addNewMatchExpression()
                      .withKey("node-pool")
                      .withOperator("In")
                      .withValues("db")
                      .endMatchExpression()
                      .endNodeSelectorTerm()
                      .endRequiredDuringSchedulingIgnoredDuringExecution()
                      .endNodeAffinity()
                      .build());
          return s;
        });
    Fabric8Placement placement = new Fabric8Placement(kube);

    var before = sts.get().getSpec().getTemplate().getSpec().getAffinity();
    placement.repin(f.namespace(), "mysql", "us-east-1b", List.of("us-east-1c"));
    StatefulSet once = sts.get();
    placement.repin(f.namespace(), "mysql", "us-east-1b", List.of("us-east-1c"));
    StatefulSet twice = sts.get();

    List<NodeSelectorTerm> terms =
        twice
            .getSpec()
            .getTemplate()
            .getSpec()
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    assertThat(terms).hasSize(1);
    assertThat(terms.get(0).getMatchExpressions())
        .extracting(e -> e.getKey() + " " + e.getOperator() + " " + e.getValues())
        .containsExactly("node-pool In [db]", "topology.kubernetes.io/zone NotIn [us-east-1b]");
    assertThat(twice.getSpec().getTemplate()).isEqualTo(once.getSpec().getTemplate());
    assertThat(twice.getMetadata().getAnnotations().get("zoneguard.io/original-affinity"))
        .contains("node-pool")
        .doesNotContain("topology.kubernetes.io/zone");

    assertThat(placement.restore(f.namespace(), "mysql")).isTrue();
    assertThat(placement.restore(f.namespace(), "mysql")).isFalse();
    StatefulSet restored = sts.get();
    assertThat(restored.getSpec().getTemplate().getSpec().getAffinity()).isEqualTo(before);
    assertThat(restored.getMetadata().getAnnotations())
        .doesNotContainKey("zoneguard.io/original-affinity")
        .doesNotContainKey("zoneguard.io/original-node-selector");
  }
}
