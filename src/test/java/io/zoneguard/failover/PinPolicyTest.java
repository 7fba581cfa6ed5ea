package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.PinDecision;
import io.zoneguard.domain.TemplatePlacement;
import io.zoneguard.domain.TemplatePlacement.ZoneRequirement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the failover must change the template (and so restart healthy replicas), and when not. */
class PinPolicyTest {
  private static final String B = "us-east-1b";
  private static final List<String> TO_C = List.of("us-east-1c");

  private static TemplatePlacement template(
      String selector, List<List<ZoneRequirement>> terms, boolean spread, String strategy) {
    return new TemplatePlacement(selector, terms, spread, strategy);
  }

  @Test
  void noZoneConstraintNeedsNoPinAndRestartsNothing() {
    PinDecision d =
        PinPolicy.decide(template(null, List.of(), false, "RollingUpdate"), B, TO_C, false);
    assertThat(d.required()).isFalse();
    assertThat(d.apply()).isFalse();
    assertThat(d.restartsHealthyReplicas()).isFalse();
    assertThat(d.why()).contains("not required", "--pin");
  }

  @Test
  void pinOnRequestSaysHealthyReplicasRestartUnderRollingUpdateOnly() {
    PinDecision rolling =
        PinPolicy.decide(template(null, List.of(), false, "RollingUpdate"), B, TO_C, true);
    assertThat(rolling.apply()).isTrue();
    assertThat(rolling.required()).isFalse();
    assertThat(rolling.restartsHealthyReplicas()).isTrue();
    PinDecision onDelete =
        PinPolicy.decide(template(null, List.of(), false, "OnDelete"), B, TO_C, true);
    assertThat(onDelete.apply()).isTrue();
    assertThat(onDelete.restartsHealthyReplicas()).isFalse();
  }

  @Test
  void aTemplatePinnedToTheLostZoneByNodeSelectorIsRequired() {
    PinDecision d =
        PinPolicy.decide(template(B, List.of(), false, "RollingUpdate"), B, TO_C, false);
    assertThat(d.required()).isTrue();
    assertThat(d.apply()).isTrue();
    assertThat(d.why()).contains("nodeSelector zone=us-east-1b", "[us-east-1c]");
    assertThat(d.restartsHealthyReplicas()).isTrue();
  }

  @Test
  void requiredAffinityInTheLostZoneIsRequiredButOneAlsoAdmittingTheTargetIsNot() {
    var inB = List.of(List.of(new ZoneRequirement("In", List.of(B))));
    assertThat(
            PinPolicy.decide(template(null, inB, false, "RollingUpdate"), B, TO_C, false)
                .required())
        .isTrue();
    var inBC = List.of(List.of(new ZoneRequirement("In", List.of(B, "us-east-1c"))));
    assertThat(
            PinPolicy.decide(template(null, inBC, false, "RollingUpdate"), B, TO_C, false).apply())
        .isFalse();
    // ORed terms: one admitting c is enough
    var orTerms =
        List.of(
            List.of(new ZoneRequirement("In", List.of(B))),
            List.of(new ZoneRequirement("NotIn", List.of("us-east-1a"))));
    assertThat(
            PinPolicy.decide(template(null, orTerms, false, "RollingUpdate"), B, TO_C, false)
                .apply())
        .isFalse();
  }

  @Test
  void zoneSpreadDoNotScheduleIsRequiredUnlessTheTemplateAlreadyExcludesTheLostZone() {
    PinDecision d =
        PinPolicy.decide(template(null, List.of(), true, "RollingUpdate"), B, TO_C, false);
    assertThat(d.required()).isTrue();
    assertThat(d.why()).contains("DoNotSchedule", B, "NotIn");
    var notInB = List.of(List.of(new ZoneRequirement("NotIn", List.of(B))));
    assertThat(
            PinPolicy.decide(template(null, notInB, true, "RollingUpdate"), B, TO_C, false).apply())
        .isFalse();
  }

  @Test
  void unknownTemplateChangesNothing() {
    assertThat(PinPolicy.decide(null, B, TO_C, true).apply()).isFalse();
  }
}
