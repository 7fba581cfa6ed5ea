package io.zoneguard.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which of a server's GTID positions says what its data holds, and the position codec. */
class ServerGtidStateTest {
  private static ServerGtidState state(String binlog, String slave, String current) {
    return new ServerGtidState(
        2,
        true,
        true,
        true,
        GtidPosition.parse(binlog),
        GtidPosition.parse(slave),
        GtidPosition.parse(current),
        List.of(),
        null);
  }

  @Test
  void aReplicaWithoutLogSlaveUpdatesIsWhereItsSlavePosSays() {
    // binlog holds only an old local transaction; replication applied up to 0-1-40
    ServerGtidState s = state("0-2-3", "0-1-40", "0-1-40");
    assertThat(s.applied(0))
        .contains(new ServerGtidState.Applied(Gtid.parse("0-1-40"), "gtid_slave_pos"));
  }

  @Test
  void aReplayedReplicaIsWhereItsBinlogSaysThoughCurrentPosLagsBehind() {
    // what a catch-up through a client leaves: the replayed GTIDs keep server id 1, so
    // gtid_current_pos of server 2 stays at the slave position (observed on 10.11)
    ServerGtidState s = state("0-1-45", "0-1-40", "0-1-40");
    assertThat(s.applied(0))
        .contains(new ServerGtidState.Applied(Gtid.parse("0-1-45"), "gtid_binlog_pos"));
  }

  @Test
  void aTieWithAnotherServerIdIsTheBinlogsSoAnErrantWriteIsNotHidden() {
    ServerGtidState s = state("0-2-40", "0-1-40", "0-1-40");
    assertThat(s.applied(0).map(a -> a.gtid().text())).contains("0-2-40");
  }

  @Test
  void aPrimaryIsWhereItsBinlogSaysAndAnotherDomainIsNotConfused() {
    ServerGtidState s = state("0-1-12,1-1-7", "", "0-1-12,1-1-7");
    assertThat(s.applied(1).map(a -> a.gtid().text())).contains("1-1-7");
    assertThat(s.applied(0).map(ServerGtidState.Applied::variable)).contains("gtid_binlog_pos");
    assertThat(s.applied(5)).isEqualTo(Optional.empty());
    assertThat(state("", "", "").applied(0)).isEmpty();
  }

  @Test
  void replicationThreadsRunUnlessBothSayNo() {
    assertThat(new ServerGtidState.ReplicationThreads("", "No", "No", "Slave_Pos").running())
        .isFalse();
    assertThat(new ServerGtidState.ReplicationThreads("", "Connecting", "Yes", "No").running())
        .isTrue();
    assertThat(new ServerGtidState.ReplicationThreads("a", "No", "Yes", "No").running()).isTrue();
    assertThat(new ServerGtidState.ReplicationThreads("a", "Preparing", "No", "No").running())
        .isTrue();
  }

  @Test
  void aServerWhoseReplicationStatusIsUnreadableMayBeAReplica() {
    GtidPosition none = GtidPosition.parse("");
    ServerGtidState unknown =
        new ServerGtidState(2, true, true, true, none, none, none, null, "Access denied");
    assertThat(unknown.notAReplica()).isFalse();
    assertThat(unknown.replicaConfigured()).isFalse();
    assertThat(state("", "", "").notAReplica()).isTrue();
  }

  @Test
  void positionsParseReplaceOneDomainAndPrintAsMariaDbTakesThem() {
    GtidPosition p = GtidPosition.parse("0-1-40,\n1-3-7");
    assertThat(p.inDomain(1)).contains(new Gtid(1, 3, 7));
    assertThat(p.with(Gtid.parse("0-1-45")).text()).isEqualTo("0-1-45,1-3-7");
    assertThat(p.with(Gtid.parse("2-1-1")).text()).isEqualTo("0-1-40,1-3-7,2-1-1");
    assertThat(GtidPosition.parse("").gtids()).isEmpty();
    assertThat(GtidPosition.parse(null).text()).isEmpty();
    assertThat(Gtid.parse("0-1-18446744073709551615").text()).isEqualTo("0-1-18446744073709551615");
    assertThatThrownBy(() -> GtidPosition.parse("0-1-40,banana"))
        .isInstanceOf(ZoneguardException.class)
        .hasMessage("not a GTID (domain-server-sequence): 'banana'");
  }
}
