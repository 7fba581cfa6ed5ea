package io.zoneguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zoneguard.domain.TemplatePlacement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading and re-pinning a template's zone constraints (pure edits on the model). */
class ZonePinTest {
  private static final String ZONE = "topology.kubernetes.io/zone";

  private static StatefulSetBuilder sts() {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName("mysql")
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName("mysql")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  private static List<String> zoneTerms(StatefulSet s) {
    return s
        .getSpec()
        .getTemplate()
        .getSpec()
        .getAffinity()
        .getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms()
        .stream()
        .map(NodeSelectorTerm::getMatchExpressions)
        .map(
            l ->
                l.stream()
                    .filter(e -> ZONE.equals(e.getKey()))
                    .map(e -> e.getOperator() + " " + e.getValues())
                    .toList()
                    .toString())
        .toList();
  }

  private static StatefulSet copy(StatefulSet s) {
    return Serialization.clone(s);
  }

  @Test
  void aNodeSelectorPinnedToTheLostZoneIsReplacedByTheTargets() {
    StatefulSet s =
        sts()
            .editSpec()
            .editTemplate()
            .editSpec()
            .withNodeSelector(Map.of(ZONE, "us-east-1b", "pool", "db"))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    TemplatePlacement before = ZonePin.placement(s);
    assertThat(before.nodeSelectorZone()).isEqualTo("us-east-1b");
    assertThat(before.admits("us-east-1c")).isFalse();

    StatefulSet pinned = ZonePin.repin(copy(s), "us-east-1b", List.of("us-east-1a", "us-east-1c"));

    assertThat(pinned.getSpec().getTemplate().getSpec().getNodeSelector())
        .isEqualTo(Map.of("pool", "db"));
    assertThat(zoneTerms(pinned)).containsExactly("[In [us-east-1a, us-east-1c]]");
    TemplatePlacement after = ZonePin.placement(pinned);
    assertThat(after.admits("us-east-1c")).isTrue();
    assertThat(after.admits("us-east-1b")).isFalse();

    StatefulSet restored = ZonePin.restore(copy(pinned));
    assertThat(restored.getSpec().getTemplate()).isEqualTo(s.getSpec().getTemplate());
    assertThat(restored.getMetadata().getAnnotations()).isEmpty();
  }

  @Test
  void anAffinityInTheLostZoneIsRePinnedAndOtherTermsGetNotIn() {
    StatefulSet s =
        sts()
            .editSpec()
            .editTemplate()
            .editSpec()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey(ZONE)
            .withOperator("In")
            .withValues("us-east-1b")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey("pool")
            .withOperator("In")
            .withValues("spare")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();

    StatefulSet once = ZonePin.repin(copy(s), "us-east-1b", List.of("us-east-1c"));
    StatefulSet twice = ZonePin.repin(copy(once), "us-east-1b", List.of("us-east-1c"));

    assertThat(zoneTerms(once)).containsExactly("[In [us-east-1c]]", "[NotIn [us-east-1b]]");
    assertThat(twice.getSpec().getTemplate()).isEqualTo(once.getSpec().getTemplate());
    assertThat(ZonePin.restore(copy(twice)).getSpec().getTemplate())
        .isEqualTo(s.getSpec().getTemplate());
  }

  @Test
  void zoneSpreadAndUpdateStrategyAreRead() {
    StatefulSet s =
        sts()
            .editSpec()
            .withNewUpdateStrategy()
            .withType("OnDelete")
            .endUpdateStrategy()
            .editTemplate()
            .editSpec()
            .addNewTopologySpreadConstraint()
            .withTopologyKey(ZONE)
            .withMaxSkew(1)
            .withWhenUnsatisfiable("DoNotSchedule")
            .endTopologySpreadConstraint()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    TemplatePlacement p = ZonePin.placement(s);
    assertThat(p.zoneSpreadDoNotSchedule()).isTrue();
    assertThat(p.updateStrategy()).isEqualTo("OnDelete");
    assertThat(zoneTerms(ZonePin.repin(copy(s), "us-east-1b", List.of("us-east-1c"))))
        .containsExactly("[NotIn [us-east-1b]]");
    assertThat(ZonePin.pinned(s)).isFalse();
  }
}
