package io.zoneguard.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.aws.Ec2BlockStorage;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code prune} against real sets in moto: what it deletes, and what it must never delete. */
@ExtendWith({BackupFixtureExtension.class, MariaDbExtension.class})
class PruneIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BackupFixture f;

  @BeforeEach
  void setUp(BackupFixture fixture) {
    f = fixture;
  }

  private String backup(ScratchDatabase db) throws Exception {
    Cli.Result r = Cli.run(f.env, f.backupArgs(db, "--no-checksums", "-o", "json"));
    assertThat(r.exit()).as(r.err()).isZero();
    return JSON.readTree(r.out()).get("setId").asText();
  }

  private int snapshotsOf(String setId) {
    return new Ec2BlockStorage(f.aws.ec2())
        .findSnapshots(Map.of("zoneguard.io/backup-set", setId))
        .size();
  }

  private String[] prune(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "prune",
                "-n",
                f.namespace(),
                "--statefulset",
                "mysql",
                "--keep-hourly",
                "1",
                "--keep-daily",
                "0",
                "--keep-weekly",
                "0",
                "--keep-monthly",
                "0",
                "--incomplete-grace",
                "PT1H",
                "-o",
                "json"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void deletesExpiredSetsButNeverTheNewestCompleteOrOneInUse(ScratchDatabase db) throws Exception {
    SeedData.seed(db, 1);
    String oldest = backup(db);
    String middle = backup(db);
    String newest = backup(db);
    // a crashed backup from long ago: a dump object and no manifest
    String crashed = "20250101T000000Z-abcdef";
    f.aws
        .s3()
        .putObject(
            b ->
                b.bucket(f.bucket)
                    .key(
                        "zoneguard/it-cluster/"
                            + f.namespace()
                            + "/mysql/"
                            + crashed
                            + "/dump-mysql-0.sql.zst"),
            RequestBody.fromString("partial"));
    // a drill is using the oldest set
    f.annotate("zoneguard.io/sets-in-use", oldest);
    List<String> keysBefore = f.objects().stream().map(S3Object::key).toList();

    Cli.Result dry = Cli.run(f.env, prune("--dry-run"));
    assertThat(dry.exit()).as(dry.err()).isZero();
    JsonNode plan = JSON.readTree(dry.out());
    assertThat(plan.get("deleted").findValuesAsText("setId"))
        .containsExactlyInAnyOrder(middle, crashed);
    assertThat(f.objects().stream().map(S3Object::key).toList()).isEqualTo(keysBefore);
    assertThat(snapshotsOf(middle)).isEqualTo(3);

    Cli.Result real = Cli.run(f.env, prune());
    assertThat(real.exit()).as(real.err()).isZero();
    JsonNode done = JSON.readTree(real.out());
    assertThat(done.get("kept").findValuesAsText("")).isEmpty();
    assertThat(done.get("keptBecause").get(newest).asText()).isEqualTo("newest complete set");
    assertThat(done.get("keptBecause").get(oldest).asText())
        .isEqualTo("in use by a failover or drill");

    assertThat(snapshotsOf(middle)).isZero();
    assertThat(snapshotsOf(newest)).isEqualTo(3);
    assertThat(snapshotsOf(oldest)).isEqualTo(3);
    assertThat(f.objects())
        .extracting(S3Object::key)
        .noneMatch(k -> k.contains(middle) || k.contains(crashed))
        .anyMatch(k -> k.endsWith(newest + "/manifest.json"))
        .anyMatch(k -> k.endsWith(oldest + "/manifest.json"));

    // pruning again finds nothing more to do
    Cli.Result again = Cli.run(f.env, prune());
    assertThat(JSON.readTree(again.out()).get("deleted")).isEmpty();
  }

  @Test
  void badRetentionIsAUsageError() {
    Cli.Result r =
        Cli.run(
            f.env, "prune", "-n", f.namespace(), "--statefulset", "mysql", "--keep-daily", "-1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("zoneguard: retention counts cannot be negative");
  }
}
