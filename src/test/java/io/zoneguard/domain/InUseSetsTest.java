package io.zoneguard.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InUseSetsTest {
  @Test
  void eachUserRemovesOnlyItsOwnPins() {
    InUseSets s =
        InUseSets.parse(null)
            .with("fo-1", List.of("20261124T100000Z-aaaa"))
            .with("dr-2", List.of("20261124T100000Z-aaaa", "20261124T090000Z-bbbb"));
    assertThat(s.render())
        .isEqualTo(
            "20261124T100000Z-aaaa@fo-1,20261124T100000Z-aaaa@dr-2,20261124T090000Z-bbbb@dr-2");
    InUseSets afterDrill = InUseSets.parse(s.render()).without("dr-2");
    assertThat(afterDrill.setIds()).containsExactly("20261124T100000Z-aaaa");
    assertThat(afterDrill.without("fo-1").render()).isNull();
  }

  @Test
  void legacyEntriesWithoutAUserCountAndStay() {
    InUseSets s = InUseSets.parse(" 20261124T100000Z-aaaa , ,20261124T090000Z-bbbb@dr-2");
    assertThat(s.setIds()).containsExactly("20261124T100000Z-aaaa", "20261124T090000Z-bbbb");
    assertThat(s.without("dr-2").render()).isEqualTo("20261124T100000Z-aaaa");
  }

  @Test
  void pinningTwiceIsOnePin() {
    InUseSets s = InUseSets.parse("x@fo-1").with("fo-1", List.of("x"));
    assertThat(s.render()).isEqualTo("x@fo-1");
  }
}
