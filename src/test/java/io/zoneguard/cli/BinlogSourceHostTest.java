package io.zoneguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.config.ScheduleSpec;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.ZoneguardException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which server {@code binlog.from} streams from, given the StatefulSet as the cluster has it. */
class BinlogSourceHostTest {
  private static final StatefulSetFacts STS =
      new StatefulSetFacts(
          "shop", "mysql", 3, 3, "mysql-headless", List.of("data"), "Parallel", Map.of(), Map.of());

  private static ScheduleSpec spec(String host, int dumpReplica, String from) {
    return new ScheduleSpec(
        "shop",
        "mysql",
        null,
        null,
        null,
        new ScheduleSpec.Database(host, 0, null, null, null, dumpReplica, null, null, null),
        null,
        null,
        null,
        null,
        new ScheduleSpec.Binlog(true, "10s", 0, from, 0),
        null,
        false);
  }

  @Test
  void replicaNIsThePodThroughTheHeadlessService() {
    assertThat(ServeWork.binlogHost(spec("mysql-primary.shop.svc", 0, "replica 2"), STS))
        .isEqualTo("mysql-2.mysql-headless.shop.svc");
  }

  @Test
  void primaryIsTheConfiguredDatabaseHost() {
    assertThat(ServeWork.binlogHost(spec("mysql-primary.shop.svc", 1, "primary"), STS))
        .isEqualTo("mysql-primary.shop.svc");
  }

  @Test
  void withoutFromTheBackupsDatabaseIsUsed() {
    assertThat(ServeWork.binlogHost(spec(null, 1, null), STS))
        .isEqualTo("mysql-1.mysql-headless.shop.svc");
    assertThat(ServeWork.binlogHost(spec("10.0.0.7", 1, null), STS)).isEqualTo("10.0.0.7");
  }

  @Test
  void aReplicaTheStatefulSetDoesNotHaveIsRefused() {
    assertThatThrownBy(() -> ServeWork.binlogHost(spec(null, 0, "replica 3"), STS))
        .isInstanceOf(ZoneguardException.class)
        .hasMessage(
            "schedule shop/mysql: binlog.from replica 3, but the StatefulSet has 3 replica(s)"
                + " (0-2)");
  }
}
