package io.zoneguard.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerInfoTest {
  @Test
  void binlogOptionFollowsFlavourAndVersion() {
    assertThat(new ServerInfo("8.0.26", false, true).binlogPositionOption())
        .isEqualTo("--source-data=2");
    assertThat(new ServerInfo("8.4.3", false, true).binlogPositionOption())
        .isEqualTo("--source-data=2");
    assertThat(new ServerInfo("8.0.25", false, true).binlogPositionOption())
        .isEqualTo("--master-data=2");
    assertThat(new ServerInfo("5.7.44-log", false, true).binlogPositionOption())
        .isEqualTo("--master-data=2");
    assertThat(new ServerInfo("10.11.19-MariaDB-0+deb12u1", true, true).binlogPositionOption())
        .isEqualTo("--master-data=2");
    assertThat(new ServerInfo("11.4.2-MariaDB", true, true).binlogPositionOption())
        .isEqualTo("--master-data=2");
  }

  @Test
  void noBinlogNoOption() {
    assertThat(new ServerInfo("8.0.40", false, false).binlogPositionOption()).isNull();
  }

  @Test
  void secretsNeverPrint() {
    DatabaseEndpoint e = new DatabaseEndpoint("db", 3306, "root", Secret.of("hunter2"));
    assertThat(e.toString()).isEqualTo("root@db:3306").doesNotContain("hunter2");
    assertThat(e.password().toString()).doesNotContain("hunter2");
  }
}
