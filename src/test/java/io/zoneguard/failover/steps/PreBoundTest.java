package io.zoneguard.failover.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvShape;
import io.zoneguard.domain.PvSource;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.PvcRef;
import io.zoneguard.domain.Zone;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A template claim with no volumeName yet is accepted by create-pvcs only when the PV binder will
 * bind it to zoneguard's pre-bound PV (issue 11, defect 4; upstream FindMatchingVolume).
 */
class PreBoundTest {
  private static final PvcRef REF = new PvcRef("shop", "data-mysql-1");

  private static PvFacts pv(String capacity, String mode, String uid, String phase) {
    return new PvFacts(
        "zoneguard-fo-1-data-mysql-1",
        phase,
        "gp3",
        capacity,
        List.of("ReadWriteOnce"),
        "Retain",
        REF,
        new PvSource.Ebs("vol-1", "ext4", "ebs.csi.aws.com"),
        Zone.of("us-east-1c"),
        uid,
        new PvShape(mode, "ext4", List.of(), Map.of()));
  }

  private static PvcFacts templateClaim(String request, String mode, List<String> modes) {
    return new PvcFacts(
        REF, "Pending", null, "gp3", request, modes, List.of(), false, "uid-t", mode, null);
  }

  @Test
  void aTemplateClaimMidBindToOurPvCountsAsDone() {
    PvcFacts c = templateClaim("10Gi", null, List.of("ReadWriteOnce"));
    assertThat(PreBound.willBind(c, pv("10Gi", "Filesystem", null, "Available"))).isTrue();
    assertThat(PreBound.willBind(c, pv("12Gi", "Filesystem", "uid-t", "Bound"))).isTrue();
    assertThat(PreBound.willBind(c, pv("10737418240", null, null, null))).isTrue();
  }

  @Test
  void anythingTheBinderWouldNotBindIsNot() {
    PvcFacts c = templateClaim("10Gi", "Filesystem", List.of("ReadWriteOnce"));
    assertThat(PreBound.willBind(c, pv("5Gi", "Filesystem", null, null))).as("too small").isFalse();
    assertThat(PreBound.willBind(c, pv("10Gi", "Block", null, null))).as("mode").isFalse();
    assertThat(PreBound.willBind(c, pv("10Gi", "Filesystem", "uid-old", "Bound")))
        .as("bound to another claim of that name")
        .isFalse();
    assertThat(PreBound.willBind(c, pv("10Gi", "Filesystem", null, "Released"))).isFalse();
    assertThat(
            PreBound.willBind(
                templateClaim("10Gi", "Filesystem", List.of("ReadWriteMany")),
                pv("10Gi", "Filesystem", null, null)))
        .as("access modes not a superset")
        .isFalse();
    assertThat(
            PreBound.willBind(
                new PvcFacts(
                    new PvcRef("shop", "data-mysql-2"),
                    "Pending",
                    null,
                    "gp3",
                    "10Gi",
                    List.of("ReadWriteOnce"),
                    List.of(),
                    false,
                    "u",
                    null,
                    null),
                pv("10Gi", "Filesystem", null, null)))
        .as("another claim name")
        .isFalse();
  }
}
