package io.zoneguard.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.aws.AwsActions;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.FastSnapshotRestoreStandIn;
import io.zoneguard.testing.FaultProxy;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code backup run --fast-restore-zones}: after each complete set, Fast Snapshot Restore is on for
 * exactly that set's snapshots in the chosen zones, and a failover plan then restores instantly.
 * Real CLI, moto (snapshots), the mock API server and MariaDB; moto has no FSR API, so {@link
 * FastSnapshotRestoreStandIn} answers it at a proxy as the EC2 API reference describes, with the
 * region's quota of 5 FSR snapshots and transitions that last until the test settles them.
 */
@ExtendWith({BackupFixtureExtension.class, MariaDbExtension.class})
class FastRestoreRotationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A = "us-east-1a";
  private static final String B = "us-east-1b";
  private static final String C = "us-east-1c";

  @Test
  void fsrFollowsTheNewestSetOnlyAndMakesTheFailoverInstant(BackupFixture f, ScratchDatabase db)
      throws Exception {
    SeedData.seed(db, 1);
    FastSnapshotRestoreStandIn fsr =
        new FastSnapshotRestoreStandIn()
            .transitions(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1))
            .snapshotsExist(
                id ->
                    !f.aws
                        .ec2()
                        .describeSnapshots(r -> r.filters(x -> x.name("snapshot-id").values(id)))
                        .snapshots()
                        .isEmpty());
    // a snapshot that is not zoneguard's, with FSR the user enabled: never touched
    String foreign =
        f.aws
            .ec2()
            .createSnapshot(r -> r.volumeId(f.members.get(0).volumeId()).description("user's"))
            .snapshotId();
    fsr.set(foreign, B, "enabled");
    try (FaultProxy proxy =
        new FaultProxy(URI.create(f.env.get("ZONEGUARD_AWS_ENDPOINT")), s -> false, 500, "none")
            .withGate(fsr, s -> false)) {
      Map<String, String> env = new HashMap<>(f.env);
      env.put("ZONEGUARD_AWS_ENDPOINT", proxy.endpoint().toString());

      List<String> set1 = backup(env, f, db, A + "," + C);
      // enabling, not yet enabled: a volume made now would still load lazily
      for (String s : set1) {
        assertThat(fsr.state(s, A)).as(s).isEqualTo("enabling");
        assertThat(fsr.state(s, C)).as(s).isEqualTo("enabling");
        assertThat(fsr.state(s, B)).as(s).isNull();
      }
      fsr.settle();

      // 3 snapshots of set 1 + the user's hold FSR: enabling set 2 before disabling set 1 would
      // exceed the quota of 5 snapshots
      List<String> set2 = backup(env, f, db, A + "," + C);

      for (String s : set2) {
        assertThat(fsr.state(s, A)).as(s).isEqualTo("enabling");
        assertThat(fsr.state(s, C)).as(s).isEqualTo("enabling");
      }
      for (String s : set1) {
        assertThat(fsr.state(s, A)).as(s).isEqualTo("disabling");
        assertThat(fsr.state(s, C)).as(s).isEqualTo("disabling");
      }
      f.world.markZoneNotReady(B);
      String pending = plan(env, f);
      assertThat(pending)
          .contains("no snapshot has Fast Snapshot Restore enabled in its target zone")
          .doesNotContain("(instant)");

      fsr.settle();

      assertThat(fsr.states())
          .containsEntry(set2.get(0), Map.of(A, "enabled", C, "enabled"))
          .containsEntry(set1.get(0), Map.of(A, "disabled", C, "disabled"))
          .containsEntry(foreign, Map.of(B, "enabled"));
      assertThat(plan(env, f))
          .contains(
              "hydration: Fast Snapshot Restore: every new volume is fully initialized at"
                  + " creation (instant)");
      assertThat(events(f)).contains("FastRestoreRotated").doesNotContain("FastRestoreFailed");

      // "none" turns FSR off on every zoneguard snapshot of the StatefulSet, the newest included
      List<String> set3 = backup(env, f, db, "none");
      fsr.settle();
      for (String s : List.of(set1.get(0), set2.get(0), set2.get(2))) {
        assertThat(fsr.states().get(s)).as(s).isEqualTo(Map.of(A, "disabled", C, "disabled"));
      }
      assertThat(fsr.states()).doesNotContainKeys(set3.toArray(String[]::new));
      assertThat(fsr.state(foreign, B)).isEqualTo("enabled");
      // every EC2 call is one the Terraform policy grants (AwsActions is checked against it)
      assertThat(proxy.seen())
          .extracting(FaultProxy.Seen::action)
          .filteredOn(Objects::nonNull)
          .contains("EnableFastSnapshotRestores", "DisableFastSnapshotRestores")
          .allMatch(AwsActions.ec2ApiNames()::contains);
    }
  }

  @Test
  void aRefusedFsrWarnsAndRecordsAnEventButTheBackupSucceeds(BackupFixture f, ScratchDatabase db)
      throws Exception {
    SeedData.seed(db, 1);
    // room for one snapshot only: two of the set's three are refused
    FastSnapshotRestoreStandIn fsr = new FastSnapshotRestoreStandIn().limit(1);
    try (FaultProxy proxy =
        new FaultProxy(URI.create(f.env.get("ZONEGUARD_AWS_ENDPOINT")), s -> false, 500, "none")
            .withGate(fsr, s -> false)) {
      Map<String, String> env = new HashMap<>(f.env);
      env.put("ZONEGUARD_AWS_ENDPOINT", proxy.endpoint().toString());

      Cli.Result r =
          Cli.run(env, f.backupArgs(db, "--no-checksums", "-o", "json", "--fast-restore-zones", A));

      assertThat(r.exit()).as(r.err()).isZero();
      JsonNode m = JSON.readTree(r.out());
      assertThat(m.get("complete").asBoolean()).isTrue();
      assertThat(r.err())
          .contains("warning: Fast Snapshot Restore for set " + m.get("setId").asText())
          .contains("FastSnapshotRestoreLimitExceeded");
      assertThat(fsr.states().values().stream().filter(z -> z.containsKey(A)).count()).isEqualTo(1);
      assertThat(events(f)).contains("FastRestoreFailed");
    }
  }

  @Test
  void aZoneOutsideTheRegionIsAUsageErrorBeforeAnythingIsWritten(
      BackupFixture f, ScratchDatabase db) throws Exception {
    SeedData.seed(db, 1);

    Cli.Result r = Cli.run(f.env, f.backupArgs(db, "--fast-restore-zones", A + ",us-east-1q"));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("--fast-restore-zones: us-east-1q is not an availability zone");
    assertThat(f.objects()).isEmpty();
    assertThat(
            f.aws
                .ec2()
                .describeSnapshots(
                    x ->
                        x.ownerIds("self")
                            .filters(
                                t -> t.name("tag:zoneguard.io/namespace").values(f.namespace())))
                .snapshots())
        .isEmpty();
  }

  /** One complete backup set with {@code --fast-restore-zones zones}; its snapshot ids. */
  private static List<String> backup(
      Map<String, String> env, BackupFixture f, ScratchDatabase db, String zones) throws Exception {
    Cli.Result r =
        Cli.run(
            env, f.backupArgs(db, "--no-checksums", "-o", "json", "--fast-restore-zones", zones));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("warning");
    List<String> ids = new ArrayList<>();
    JSON.readTree(r.out()).get("snapshots").forEach(s -> ids.add(s.get("snapshotId").asText()));
    assertThat(ids).hasSize(3);
    return ids;
  }

  private static String plan(Map<String, String> env, BackupFixture f) {
    Cli.Result r =
        Cli.run(
            env,
            "failover",
            "plan",
            "-n",
            f.namespace(),
            "--statefulset",
            "mysql",
            "--to-zone",
            C,
            "--fast-restore");
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out();
  }

  private static List<String> events(BackupFixture f) {
    return f.kube.client().v1().events().inNamespace(f.namespace()).list().getItems().stream()
        .map(e -> e.getReason())
        .toList();
  }
}
