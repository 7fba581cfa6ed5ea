package io.zoneguard.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.aws.AwsClients;
import io.zoneguard.aws.Ec2BlockStorage;
import io.zoneguard.domain.SnapshotRef;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.EksWorld;
import io.zoneguard.testing.EksWorld.Member;
import io.zoneguard.testing.FaultProxy;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code backup run / list / show} and {@code restore} through the real CLI against the local
 * MariaDB (real mysqldump and mysql clients), moto_server (S3 and EBS snapshots) and the fabric8
 * mock API server (the StatefulSet, its PVCs and PVs, built by {@link EksWorld}).
 */
@ExtendWith({AwsExtension.class, MariaDbExtension.class})
class BackupIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Size of the large table; 200 MiB by default as in the issue, smaller for quick local runs. */
  private static final int BIG_MB = Integer.getInteger("zoneguard.it.bigMb", 200);

  @TempDir Path tmp;
  private BackupFixture f;
  private EksWorld world;
  private List<Member> members;
  private Map<String, String> env;
  private AwsClients aws;
  private String bucket;

  @BeforeEach
  void setUp(AwsBackend backend) {
    f = new BackupFixture(backend, tmp);
    world = f.world;
    members = f.members;
    env = f.env;
    aws = f.aws;
    bucket = f.bucket;
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private String[] backupArgs(ScratchDatabase db, String... extra) {
    return f.backupArgs(db, extra);
  }

  /** {@code backup run -n NS --statefulset mysql} plus arguments, through the real CLI. */
  private Cli.Result backupRun(String... extra) {
    List<String> a =
        new java.util.ArrayList<>(
            List.of("backup", "run", "-n", world.namespace(), "--statefulset", "mysql"));
    a.addAll(List.of(extra));
    return Cli.run(env, a.toArray(String[]::new));
  }

  private List<S3Object> objects() {
    return f.objects();
  }

  @Test
  void roundTripRestoresEveryTableWithTheSameRowsAndChecksums(
      ScratchDatabase db, ScratchDatabase target) throws Exception {
    SeedData.seed(db, BIG_MB);
    Map<String, long[]> source = SeedData.stats(db, db.name());

    Cli.Result r = Cli.run(env, backupArgs(db, "--consistency", "ftwrl", "-o", "json"));

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode m = JSON.readTree(r.out());
    String setId = m.get("setId").asText();
    assertThat(m.get("complete").asBoolean()).isTrue();
    assertThat(m.get("consistency").asText()).isEqualTo("ftwrl");
    assertThat(m.get("server").get("mariaDb").asBoolean()).isTrue();
    assertThat(m.get("binlog").get("note").asText()).isEqualTo("binary logging off");
    JsonNode rows = m.get("dump").get("tableRows");
    source.forEach(
        (table, s) -> {
          JsonNode n = rows.get(db.name() + "." + table);
          assertThat(n == null ? 0L : n.asLong()).as(table).isEqualTo(s[0]);
          assertThat(m.get("dump").get("tableChecksums").get(db.name() + "." + table).asLong())
              .as(table)
              .isEqualTo(s[1]);
        });
    assertThat(m.get("dump").get("uncompressedBytes").asLong())
        .isGreaterThan(BIG_MB * 1024L * 1024);
    assertThat(m.get("dump").get("key").asText())
        .isEqualTo(
            "zoneguard/it-cluster/"
                + world.namespace()
                + "/mysql/"
                + setId
                + "/dump-mysql-0.sql.zst");

    // every PVC snapshotted, tagged so any tool can find it
    assertThat(m.get("snapshots")).hasSize(3);
    List<SnapshotRef> tagged =
        new Ec2BlockStorage(aws.ec2()).findSnapshots(Map.of("zoneguard.io/backup-set", setId));
    assertThat(tagged).hasSize(3).allMatch(SnapshotRef::completed);
    for (Member mem : members) {
      SnapshotRef s =
          tagged.stream()
              .filter(t -> t.volumeId().equals(mem.volumeId()))
              .findFirst()
              .orElseThrow();
      assertThat(s.tags())
          .containsEntry("zoneguard.io/cluster", "it-cluster")
          .containsEntry("zoneguard.io/namespace", world.namespace())
          .containsEntry("zoneguard.io/statefulset", "mysql")
          .containsEntry("zoneguard.io/pvc", mem.pvc())
          .containsEntry("zoneguard.io/ordinal", "" + mem.ordinal())
          .containsEntry("zoneguard.io/zone", mem.zone())
          .containsEntry("Name", "zoneguard/" + world.namespace() + "/" + mem.pvc() + "/" + setId);
    }
    // the set is an Event on the StatefulSet, as `kubectl describe sts` shows it
    assertThat(f.kube.client().v1().events().inNamespace(world.namespace()).list().getItems())
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("BackupCompleted");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("mysql");
              assertThat(e.getMessage()).contains(setId);
            });

    Cli.Result list =
        Cli.run(
            env, "backup", "list", "-n", world.namespace(), "--statefulset", "mysql", "-o", "json");
    assertThat(list.exit()).as(list.err()).isZero();
    JsonNode sets = JSON.readTree(list.out());
    assertThat(sets).hasSize(1);
    assertThat(sets.get(0).get("setId").asText()).isEqualTo(setId);
    assertThat(sets.get(0).get("complete").asBoolean()).isTrue();
    Cli.Result show =
        Cli.run(env, "backup", "show", "-n", world.namespace(), "--statefulset", "mysql", setId);
    assertThat(show.out())
        .contains("SET " + setId)
        .contains("COMPLETE")
        .contains(db.name() + ".big");

    Cli.Result restore =
        Cli.run(
            env,
            "restore",
            "-n",
            world.namespace(),
            "--statefulset",
            "mysql",
            "--db-host",
            target.host(),
            "--db-port",
            "" + target.port(),
            "--rename",
            db.name() + "=" + target.name());
    assertThat(restore.exit()).as(restore.err()).isZero();
    assertThat(restore.out()).contains("restored set " + setId);

    Map<String, long[]> restored = SeedData.stats(target, target.name());
    assertThat(restored.keySet()).containsExactlyElementsOf(source.keySet());
    source.forEach((t, s) -> assertThat(restored.get(t)).as(t).containsExactly(s));
    // routines, triggers and views came along
    try (var c = target.connect();
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT shout('ok'), (SELECT COUNT(*) FROM customer_names)")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("OK");
      assertThat(rs.getInt(2)).isEqualTo(4);
    }
  }

  @Test
  void killedDumpAbortsTheUploadLeavesNoManifestAndKeepsEarlierSets(ScratchDatabase db)
      throws Exception {
    SeedData.seed(db, 16);
    Cli.Result first = Cli.run(env, backupArgs(db, "--no-checksums", "-o", "json"));
    assertThat(first.exit()).as(first.err()).isZero();
    List<S3Object> before = objects();

    // mysqldump killed after 9 MiB: the first part is already uploaded when the stream breaks
    Path killer = script("killed-mysqldump", "mysqldump \"$@\" | head -c 9437184\nexit 137\n");
    Cli.Result killed = Cli.run(env, backupArgs(db, "--mysqldump", killer.toString()));
    assertThat(killed.exit()).isEqualTo(1);
    assertThat(killed.err().strip()).contains("mysqldump failed (exit 137)").doesNotContain("\n");

    // a dump that stops early but exits 0 is caught by the missing trailer
    Path truncating = script("truncating-mysqldump", "mysqldump \"$@\" | head -c 4096\nexit 0\n");
    Cli.Result cut = Cli.run(env, backupArgs(db, "--mysqldump", truncating.toString()));
    assertThat(cut.exit()).isEqualTo(1);
    assertThat(cut.err()).contains("output truncated");

    assertThat(objects())
        .extracting(S3Object::key)
        .containsExactlyInAnyOrderElementsOf(before.stream().map(S3Object::key).toList());
    assertThat(aws.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    Cli.Result list =
        Cli.run(
            env, "backup", "list", "-n", world.namespace(), "--statefulset", "mysql", "-o", "json");
    assertThat(JSON.readTree(list.out())).hasSize(1);
    assertThat(JSON.readTree(list.out()).get(0).get("complete").asBoolean()).isTrue();
  }

  @Test
  void s3FailingMidStreamIsRetriedThenAbortsTheUploadAndLeavesNoSet(
      ScratchDatabase db, AwsBackend backend) throws Exception {
    SeedData.seed(db, 4);
    // every UploadPart fails with 500: the SDK retries with backoff, then the upload is aborted
    try (FaultProxy proxy =
        new FaultProxy(
            backend.endpoint(),
            r -> r.method().equals("PUT") && r.uri().contains("partNumber="),
            500,
            "InternalError")) {
      Map<String, String> viaProxy = new HashMap<>(env);
      viaProxy.put("ZONEGUARD_AWS_ENDPOINT", proxy.endpoint().toString());

      Cli.Result r = Cli.run(viaProxy, backupArgs(db, "--no-checksums"));

      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err().strip())
          .startsWith("zoneguard: S3 UploadPart s3://" + bucket)
          .contains("InternalError")
          .doesNotContain("\n");
      assertThat(proxy.seen().stream().filter(FaultProxy.Seen::failed).count())
          .as("retried before giving up")
          .isGreaterThanOrEqualTo(3);
      assertThat(proxy.seen())
          .anyMatch(s -> s.method().equals("DELETE") && s.uri().contains("uploadId="));
    }
    assertThat(aws.s3().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    assertThat(objects()).isEmpty();
    assertThat(
            new Ec2BlockStorage(aws.ec2())
                .findSnapshots(Map.of("zoneguard.io/namespace", world.namespace())))
        .isEmpty();
  }

  @Test
  void badInputFailsInOneLineAndWritesNothing(ScratchDatabase db) throws Exception {
    SeedData.seed(db, 1);
    Map<String, String> wrongPw = new HashMap<>(env);
    wrongPw.put("MYSQL_PWD", "definitely-wrong");
    Cli.Result pw = Cli.run(wrongPw, backupArgs(db));
    assertThat(pw.exit()).isEqualTo(1);
    assertThat(pw.err().strip())
        .startsWith("zoneguard: cannot connect to database root@127.0.0.1:" + db.port())
        .doesNotContain("definitely-wrong")
        .doesNotContain("\n");

    Cli.Result unreachable = backupRun("--db-host", "127.0.0.1", "--db-port", "1");
    assertThat(unreachable.exit()).isEqualTo(1);
    assertThat(unreachable.err())
        .startsWith("zoneguard: cannot connect to database root@127.0.0.1:1");

    Cli.Result noSts =
        Cli.run(
            env,
            "backup",
            "run",
            "-n",
            world.namespace(),
            "--statefulset",
            "nope",
            "--db-host",
            "127.0.0.1");
    assertThat(noSts.exit()).isEqualTo(1);
    assertThat(noSts.err().strip())
        .isEqualTo(
            "zoneguard: statefulset 'nope' not found in namespace '" + world.namespace() + "'");

    Cli.Result noDb = Cli.run(env, backupArgs(db, "--database", "no_such_db"));
    assertThat(noDb.exit()).isEqualTo(1);
    assertThat(noDb.err()).contains("database(s) not found on the server: [no_such_db]");

    Map<String, String> noBucket = new HashMap<>(env);
    noBucket.put("ZONEGUARD_BUCKET", "zg-missing-" + UUID.randomUUID().toString().substring(0, 8));
    Cli.Result missing = Cli.run(noBucket, backupArgs(db));
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("NoSuchBucket").contains("create the bucket");

    assertThat(objects()).isEmpty();
    assertThat(
            new Ec2BlockStorage(aws.ec2())
                .findSnapshots(Map.of("zoneguard.io/namespace", world.namespace())))
        .isEmpty();
  }

  @Test
  void localVolumesGetADumpOnlySetWithAWarning(ScratchDatabase db) throws Exception {
    SeedData.seed(db, 1);
    world.hostPathMysql("legacy", 2);

    Cli.Result r =
        Cli.run(
            env,
            "backup",
            "run",
            "-n",
            world.namespace(),
            "--statefulset",
            "legacy",
            "--db-host",
            db.host(),
            "--database",
            db.name(),
            "-o",
            "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode m = JSON.readTree(r.out());
    assertThat(m.get("complete").asBoolean()).isTrue();
    assertThat(m.get("snapshots")).isEmpty();
    assertThat(m.get("warnings").toString())
        .contains("data-legacy-0: hostPath is not EBS: dump-only protection");
  }

  @Test
  void copiesEverySnapshotToTheDrRegionWithTheSameTags(ScratchDatabase db, AwsBackend backend)
      throws Exception {
    SeedData.seed(db, 1);
    Map<String, String> drEnv = new HashMap<>(env);
    drEnv.put("ZONEGUARD_AWS_DR_REGION", "us-west-2");

    Cli.Result r = Cli.run(drEnv, backupArgs(db, "--no-checksums", "-o", "json"));

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode m = JSON.readTree(r.out());
    String setId = m.get("setId").asText();
    assertThat(m.get("drCopies")).hasSize(3);
    try (AwsClients west =
        AwsClients.create(
            "us-west-2",
            java.util.Optional.of(backend.endpoint()),
            true,
            software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                    backend.accessKey(), backend.secretKey())))) {
      List<SnapshotRef> copies =
          new Ec2BlockStorage(west.ec2()).findSnapshots(Map.of("zoneguard.io/backup-set", setId));
      assertThat(copies).hasSize(3);
      assertThat(copies)
          .extracting(c -> c.tags().get("zoneguard.io/source-snapshot"))
          .containsExactlyInAnyOrderElementsOf(m.get("snapshots").findValuesAsText("snapshotId"));
      assertThat(copies)
          .extracting(c -> c.tags().get("zoneguard.io/pvc"))
          .containsExactlyInAnyOrder("data-mysql-0", "data-mysql-1", "data-mysql-2");
    }
  }

  @Test
  void execModeDumpsInsideThePod(ScratchDatabase db) throws Exception {
    SeedData.seed(db, 2);
    Map<String, long[]> source = SeedData.stats(db, db.name());

    Cli.Result r = backupRun("--via", "exec", "--database", db.name(), "-o", "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode m = JSON.readTree(r.out());
    assertThat(m.get("complete").asBoolean()).isTrue();
    assertThat(m.get("dump").get("source").asText())
        .isEqualTo("mysqldump in pod " + world.namespace() + "/mysql-0");
    source.forEach(
        (table, s) -> {
          JsonNode n = m.get("dump").get("tableRows").get(db.name() + "." + table);
          assertThat(n == null ? 0L : n.asLong()).as(table).isEqualTo(s[0]);
          assertThat(m.get("dump").get("tableChecksums").get(db.name() + "." + table).asLong())
              .isEqualTo(s[1]);
        });
    assertThat(m.get("snapshots")).hasSize(3);

    Cli.Result noContainer =
        backupRun("--via", "exec", "--container", "sidecar", "--database", db.name());
    assertThat(noContainer.exit()).isEqualTo(1);
    assertThat(noContainer.err()).startsWith("zoneguard: ").doesNotContain("\n  at ");
  }

  private Path script(String name, String body) throws Exception {
    Path p = tmp.resolve(name);
    Files.writeString(p, "#!/bin/bash\nset -o pipefail\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }
}
