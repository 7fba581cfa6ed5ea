package io.zoneguard.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.inventory.ZoneHealth.Health;
import org.junit.jupiter.api.Test;

class ZoneHealthTest {
  @Test
  void ec2StateOtherThanAvailableIsDownWhateverTheNodesSay() {
    assertThat(ZoneHealth.judge("impaired", 3, 0)).isEqualTo(Health.DOWN);
    assertThat(ZoneHealth.judge("unknown-to-ec2", 3, 0)).isEqualTo(Health.DOWN);
  }

  @Test
  void nodesDecideForAnAvailableZone() {
    assertThat(ZoneHealth.judge("available", 0, 2)).isEqualTo(Health.DOWN);
    assertThat(ZoneHealth.judge("available", 1, 1)).isEqualTo(Health.DEGRADED);
    assertThat(ZoneHealth.judge("available", 0, 0)).isEqualTo(Health.NO_NODES);
    assertThat(ZoneHealth.judge("available", 2, 0)).isEqualTo(Health.HEALTHY);
  }
}
