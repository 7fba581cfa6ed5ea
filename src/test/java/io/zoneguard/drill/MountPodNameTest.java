package io.zoneguard.drill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The drill's mount pod name must be a valid DNS-1123 subdomain for every valid claim name. */
class MountPodNameTest {
  private static final String SUBDOMAIN =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  @Test
  void aShortClaimKeepsItsName() {
    assertThat(DrillService.mountPodName("data-mysql-0")).isEqualTo("zg-mount-data-mysql-0");
  }

  @Test
  void aLongClaimIsCutWithAHashAndStaysAValidName() {
    // a claim name may hold dots; the cut must not leave "x.-hash"
    for (int dotAt = 220; dotAt < 253; dotAt++) {
      StringBuilder pvc = new StringBuilder("a".repeat(253));
      pvc.setCharAt(dotAt, '.');
      String name = DrillService.mountPodName(pvc.toString());
      assertThat(name).hasSizeLessThanOrEqualTo(253).matches(SUBDOMAIN);
    }
  }

  @Test
  void twoLongClaimsThatShareTheirHeadGetDifferentNames() {
    String head = "b".repeat(250);
    assertThat(DrillService.mountPodName(head + "x0"))
        .isNotEqualTo(DrillService.mountPodName(head + "x1"));
  }
}
