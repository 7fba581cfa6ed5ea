package io.zoneguard.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.BinlogServer;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code failover plan} against moto and the mock API server: a backed-up 3-zone StatefulSet whose
 * zone b loses its nodes. Read-only: nothing in EC2 or Kubernetes changes.
 */
@ExtendWith({BackupFixtureExtension.class, MariaDbExtension.class})
class FailoverPlanIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BackupFixture f;

  @BeforeEach
  void setUp(BackupFixture fixture) {
    f = fixture;
  }

  private Cli.Result plan(String... extra) {
    List<String> a =
        new ArrayList<>(List.of("failover", "plan", "-n", f.namespace(), "--statefulset", "mysql"));
    a.addAll(List.of(extra));
    return Cli.run(f.env, a.toArray(String[]::new));
  }

  @Test
  void plansTheLostZonesPvcFromItsNewestSnapshotAndRefusesUnsafeRequests(ScratchDatabase db)
      throws Exception {
    SeedData.seed(db, 1);
    Cli.Result backup = Cli.run(f.env, f.backupArgs(db, "--no-checksums", "-o", "json"));
    assertThat(backup.exit()).as(backup.err()).isZero();
    JsonNode manifest = JSON.readTree(backup.out());
    String snapOfB =
        manifest.get("snapshots").get(1).get("snapshotId").asText(); // data-mysql-1, zone b
    // a newer completed snapshot of a set that never got a manifest must not be used
    f.aws
        .ec2()
        .createSnapshot(
            r ->
                r.volumeId(f.members.get(1).volumeId())
                    .tagSpecifications(
                        t ->
                            t.resourceType("snapshot")
                                .tags(
                                    tag("zoneguard.io/cluster", "it-cluster"),
                                    tag("zoneguard.io/namespace", f.namespace()),
                                    tag("zoneguard.io/statefulset", "mysql"),
                                    tag("zoneguard.io/pvc", "data-mysql-1"),
                                    tag("zoneguard.io/backup-set", "20991231T000000Z-abcdef"))));
    f.world.markZoneNotReady("us-east-1b");
    int volumesBefore = f.aws.ec2().describeVolumes().volumes().size();

    Cli.Result ok = plan("-o", "json");

    assertThat(ok.exit()).as(ok.err()).isZero();
    JsonNode p = JSON.readTree(ok.out());
    assertThat(p.get("failedZone").asText()).isEqualTo("us-east-1b");
    assertThat(p.get("volumes")).hasSize(1);
    JsonNode v = p.get("volumes").get(0);
    assertThat(v.get("pvc").asText()).isEqualTo("data-mysql-1");
    assertThat(v.get("oldVolumeId").asText()).isEqualTo(f.members.get(1).volumeId());
    assertThat(v.get("snapshotId").asText()).isEqualTo(snapOfB);
    assertThat(v.get("targetZone").asText()).isEqualTo("us-east-1a");
    assertThat(v.get("sizeGiB").asInt()).isEqualTo(10);
    assertThat(v.get("storageClass").asText()).isEqualTo("gp3");
    assertThat(p.get("unaffectedPvcs").toString()).contains("data-mysql-0", "data-mysql-2");
    JsonNode noArchive = p.get("recovery").get(0);
    assertThat(noArchive.get("pvc").asText()).isEqualTo("data-mysql-1");
    assertThat(noArchive.get("snapshotDataLossSeconds").asLong())
        .isEqualTo(v.get("dataLossSeconds").asLong());
    assertThat(noArchive.get("archiveNewestEvent").isNull()).isTrue();
    assertThat(noArchive.get("catchUp").isNull()).isTrue();
    assertThat(noArchive.get("why").asText()).startsWith("no binlog archive");

    Cli.Result table = plan("--to-zone", "us-east-1c");
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out())
        .contains("failed zone us-east-1b")
        .containsPattern(
            "data-mysql-1\\s+" + f.members.get(1).volumeId() + "\\s+us-east-1b\\s+" + snapOfB)
        .contains("pin-affinity")
        .as("no archive: no recoverable-point table")
        .doesNotContain("BINLOG-ARCHIVE-REACHES");

    Cli.Result same = plan("--to-zone", "us-east-1b");
    assertThat(same.exit()).isEqualTo(3);
    assertThat(same.err().strip())
        .isEqualTo(
            "zoneguard: failover refused as unsafe: target zone us-east-1b is the failed zone");

    Cli.Result unknown = plan("--to-zone", "us-east-1q");
    assertThat(unknown.exit()).isEqualTo(3);
    assertThat(unknown.err()).contains("us-east-1q is not a zone of this region");

    Thread.sleep(2100);
    Cli.Result tooOld = plan("--max-data-loss", "1s");
    assertThat(tooOld.exit()).isEqualTo(3);
    assertThat(tooOld.err()).contains("more than --max-data-loss 1s");
    assertThat(plan("--max-data-loss", "1s", "--accept-data-loss").exit()).isZero();

    Cli.Result badDuration = plan("--max-data-loss", "soon");
    assertThat(badDuration.exit()).isEqualTo(2);
    assertThat(badDuration.err()).contains("'soon' is not a duration");

    // read-only
    assertThat(f.aws.ec2().describeVolumes().volumes()).hasSize(volumesBefore);
    assertThat(f.kube.client().persistentVolumes().list().getItems()).hasSize(3);
  }

  /**
   * With the binlog archived past the snapshot, the plan shows per moved replica both the
   * snapshot's data loss and how far the archive reaches, the smaller loss a catch-up leaves, and
   * the exact command for it.
   */
  @Test
  void showsPerMovedReplicaTheSnapshotsLossTheArchivesReachAndTheCatchUpCommand() throws Exception {
    String newestGtid;
    try (BinlogServer server = BinlogServer.start();
        Connection c = server.connect();
        Statement sql = c.createStatement()) {
      sql.execute("CREATE DATABASE shop");
      sql.execute("CREATE TABLE shop.t (id INT AUTO_INCREMENT PRIMARY KEY)");
      Cli.Result backup = server.backup(f.env, f.namespace());
      assertThat(backup.exit()).as(backup.err()).isZero();
      Thread.sleep(2100);
      sql.execute("INSERT INTO shop.t VALUES (1)");
      try (ResultSet r = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
        r.next();
        newestGtid = r.getString(1);
      }
      Cli.Result archive = server.archive(f.env, f.namespace());
      assertThat(archive.exit()).as(archive.err()).isZero();
    }
    f.world.markZoneNotReady("us-east-1b");

    Cli.Result json = plan("-o", "json");

    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode p = JSON.readTree(json.out());
    assertThat(p.get("recovery")).hasSize(1);
    JsonNode r = p.get("recovery").get(0);
    String command =
        "zoneguard binlog catch-up -n "
            + f.namespace()
            + " --statefulset mysql --db-host mysql-1.mysql."
            + f.namespace()
            + ".svc";
    assertThat(r.get("pvc").asText()).isEqualTo("data-mysql-1");
    assertThat(r.get("pod").asText()).isEqualTo("mysql-1");
    assertThat(r.get("snapshotDataLossSeconds").asLong())
        .isEqualTo(p.get("volumes").get(0).get("dataLossSeconds").asLong());
    assertThat(r.get("archiveServerId").asLong()).isEqualTo(BinlogServer.SERVER_ID);
    assertThat(r.get("archiveNewestGtid").asText()).isEqualTo(newestGtid);
    assertThat(Instant.parse(r.get("archiveNewestEvent").asText()))
        .isAfter(Instant.parse(r.get("snapshotTime").asText()));
    assertThat(r.get("dataLossAfterCatchUpSeconds").asLong())
        .as("the archive reaches past the snapshot")
        .isLessThan(r.get("snapshotDataLossSeconds").asLong());
    assertThat(r.get("catchUp").asText()).isEqualTo(command);
    assertThat(r.get("why").isNull()).isTrue();

    Cli.Result table = plan();
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out())
        .containsPattern("data-mysql-1\\s+\\S+\\s+\\S+ \\(" + newestGtid + "\\)\\s+\\S+")
        .contains("SNAPSHOT-LOSS", "BINLOG-ARCHIVE-REACHES", "LOSS-AFTER-CATCH-UP")
        .contains(
            "next, once mysql-1 is Ready and its replication stopped (runbooks/failover.md): "
                + command);
  }

  @Test
  void nothingDownMeansNothingToDo() {
    Cli.Result r = plan();
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("no zone holding this StatefulSet's volumes is down");
  }

  private static software.amazon.awssdk.services.ec2.model.Tag tag(String k, String v) {
    return software.amazon.awssdk.services.ec2.model.Tag.builder().key(k).value(v).build();
  }
}
