package io.zoneguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.ZoneguardException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  private Path file(String yaml) throws Exception {
    Path f = tmp.resolve("zoneguard.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
    Path f = file("cluster: from-file\naws:\n  region: eu-west-1\nstore:\n  bucket: file-bucket\n");
    ZoneguardConfig c =
        ConfigLoader.load(
            Optional.of(f),
            Map.of("AWS_REGION", "us-west-2", "ZONEGUARD_BUCKET", "env-bucket"),
            Map.of(ConfigKey.AWS_REGION, "ap-south-1"));

    assertThat(c.region()).isEqualTo("ap-south-1");
    assertThat(c.source(ConfigKey.AWS_REGION)).contains("flag");
    assertThat(c.bucket()).isEqualTo("env-bucket");
    assertThat(c.source(ConfigKey.STORE_BUCKET)).contains("env ZONEGUARD_BUCKET");
    assertThat(c.cluster()).isEqualTo("from-file");
    assertThat(c.prefix()).isEqualTo("zoneguard");
    assertThat(c.source(ConfigKey.STORE_PREFIX)).contains("default");
    assertThat(c.pathStyle()).isFalse();
  }

  @Test
  void zoneguardVariableWinsOverTheGenericAwsOne() {
    ZoneguardConfig c =
        ConfigLoader.load(
            Optional.empty(),
            Map.of("AWS_REGION", "us-west-2", "ZONEGUARD_AWS_REGION", "eu-central-1"),
            Map.of());
    assertThat(c.region()).isEqualTo("eu-central-1");
  }

  @Test
  void badValueNamesKeySourceAndWhatIsAllowed() throws Exception {
    Path f = file("store:\n  bucket: Not_A_Bucket\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(f), Map.of(), Map.of()))
        .isInstanceOf(ZoneguardException.class)
        .hasMessage(
            "invalid store.bucket 'Not_A_Bucket' (from file "
                + f
                + "): expected an S3 bucket name (3-63 characters: lower-case letters, digits, '.',"
                + " '-')")
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void unknownKeyIsRejectedWithTheKnownOnes() throws Exception {
    Path f = file("aws:\n  regon: us-east-1\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(f), Map.of(), Map.of()))
        .hasMessageStartingWith("unknown key 'aws.regon' in config file")
        .hasMessageContaining("aws.region");
  }

  @Test
  void missingFileAndBrokenYamlAreUsageErrors() throws Exception {
    assertThatThrownBy(
            () -> ConfigLoader.load(Optional.of(tmp.resolve("nope.yaml")), Map.of(), Map.of()))
        .hasMessageEndingWith("nope.yaml does not exist");
    Path f = file("aws: [unclosed\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(f), Map.of(), Map.of()))
        .hasMessageContaining("is not valid YAML");
    Path list = file("- a\n- b\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(list), Map.of(), Map.of()))
        .hasMessageEndingWith("must hold a YAML mapping");
  }

  @Test
  void requiredValueMissingSaysHowToSetIt() {
    ZoneguardConfig c = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
    assertThatThrownBy(c::region)
        .hasMessage(
            "aws.region is not set: pass --region, set ZONEGUARD_AWS_REGION, or set aws.region in"
                + " the config file");
  }

  @Test
  void endpointMustBeAnHttpUrl() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(), Map.of("ZONEGUARD_AWS_ENDPOINT", "ftp://x"), Map.of()))
        .hasMessageStartingWith("invalid aws.endpoint 'ftp://x'");
    assertThat(
            ConfigLoader.load(
                    Optional.empty(),
                    Map.of("ZONEGUARD_AWS_ENDPOINT", "http://127.0.0.1:5000"),
                    Map.of())
                .awsEndpoint())
        .hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(5000));
  }

  @Test
  void schedulesAreReadAndValidated() throws Exception {
    Path ok =
        file(
            "schedules:\n- namespace: shop\n  statefulSet: mysql\n  backupCron: \"0 0 * * * ?\"\n"
                + "  database: {passwordSecret: auth/pw, replica: 1}\n");
    ZoneguardConfig c = ConfigLoader.load(Optional.of(ok), Map.of(), Map.of());
    assertThat(c.schedules()).hasSize(1);
    assertThat(c.schedules().get(0).database().port()).isEqualTo(3306);
    assertThat(c.schedules().get(0).database().replica()).isEqualTo(1);
    assertThat(c.schedules().get(0).retention().daily()).isEqualTo(7);

    Path badCron =
        file("schedules:\n- namespace: shop\n  statefulSet: mysql\n  backupCron: \"hourly\"\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(badCron), Map.of(), Map.of()))
        .hasMessageContaining("backupCron 'hourly' is not a Quartz cron expression");

    Path typo =
        file("schedules:\n- namespace: shop\n  statefulSet: mysql\n  backupCrn: \"0 0 * * * ?\"\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(typo), Map.of(), Map.of()))
        .hasMessageContaining("schedules[0]")
        .hasMessageContaining("backupCrn");

    Path twice =
        file(
            "schedules:\n- {namespace: a, statefulSet: b, pruneCron: \"0 0 3 * * ?\"}\n"
                + "- {namespace: a, statefulSet: b, pruneCron: \"0 0 4 * * ?\"}\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(twice), Map.of(), Map.of()))
        .hasMessageContaining("a/b is scheduled twice");

    Path drillWithoutServer =
        file("schedules:\n- {namespace: a, statefulSet: b, drillCron: \"0 0 4 1 * ?\"}\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(drillWithoutServer), Map.of(), Map.of()))
        .hasMessageContaining("drillCron needs drill.host");
    Path drill =
        file(
            "schedules:\n- {namespace: a, statefulSet: b, drillCron: \"0 0 4 1 * ?\","
                + " drill: {host: scratch.dr, passwordSecret: s/k}}\n");
    var spec = ConfigLoader.load(Optional.of(drill), Map.of(), Map.of()).schedules().get(0);
    assertThat(spec.drill().host()).isEqualTo("scratch.dr");
    assertThat(spec.drill().port()).isEqualTo(3306);
    assertThat(spec.drillToLatest()).isFalse();
    Path toLatest =
        file(
            "schedules:\n- {namespace: a, statefulSet: b, drillCron: \"0 0 4 1 * ?\","
                + " drill: {host: scratch.dr}, drillToLatest: true}\n");
    assertThat(
            ConfigLoader.load(Optional.of(toLatest), Map.of(), Map.of())
                .schedules()
                .get(0)
                .drillToLatest())
        .isTrue();
    Path toLatestWithoutDrill =
        file(
            "schedules:\n- {namespace: a, statefulSet: b, pruneCron: \"0 0 3 * * ?\","
                + " drillToLatest: true}\n");
    assertThatThrownBy(
            () -> ConfigLoader.load(Optional.of(toLatestWithoutDrill), Map.of(), Map.of()))
        .hasMessageContaining("drillToLatest needs drillCron");
    Path notABoolean =
        file(
            "schedules:\n- {namespace: a, statefulSet: b, drillCron: \"0 0 4 1 * ?\","
                + " drill: {host: scratch.dr}, drillToLatest: soon}\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(notABoolean), Map.of(), Map.of()))
        .isInstanceOf(io.zoneguard.domain.ZoneguardException.class)
        .hasMessageContaining("drillToLatest");
  }

  @Test
  void binlogArchivingIsAScheduleOfItsOwnOverTcpOnly() throws Exception {
    Path ok = tmp.resolve("binlog.yaml");
    Files.writeString(
        ok, "schedules:\n- namespace: shop\n  statefulSet: mysql\n  binlog: {enabled: true}\n");
    var spec = ConfigLoader.load(Optional.of(ok), Map.of(), Map.of()).schedules().get(0);
    assertThat(spec.archivesBinlogs()).isTrue();
    assertThat(spec.binlog().every()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(spec.binlog().source().kind()).isEqualTo(ScheduleSpec.From.Kind.DATABASE);
    assertThat(spec.binlog().replicaServerId()).isEqualTo(4207);

    Path exec = tmp.resolve("binlog-exec.yaml");
    Files.writeString(
        exec,
        "schedules:\n- namespace: shop\n  statefulSet: mysql\n  binlog: {enabled: true}\n"
            + "  database: {via: exec}\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(exec), Map.of(), Map.of()))
        .hasMessageEndingWith(
            "binlog archiving connects as a replication client: database.via must be tcp");

    Path off = tmp.resolve("binlog-off.yaml");
    Files.writeString(
        off, "schedules:\n- namespace: shop\n  statefulSet: mysql\n  binlog: {enabled: false}\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(off), Map.of(), Map.of()))
        .hasMessageEndingWith("give backupCron, pruneCron, drillCron, binlog.enabled or several");
  }

  @Test
  void fastRestoreNamesZonesAndNeedsScheduledBackups() throws Exception {
    String head = "schedules:\n- namespace: shop\n  statefulSet: mysql\n";
    Path ok = tmp.resolve("fsr.yaml");
    Files.writeString(
        ok,
        head + "  backupCron: '0 0 * * * ?'\n  fastRestore: {zones: [us-east-1a, us-east-1c]}\n");
    var spec = ConfigLoader.load(Optional.of(ok), Map.of(), Map.of()).schedules().get(0);
    assertThat(spec.fastRestoreZones()).containsExactly("us-east-1a", "us-east-1c");

    Path off = tmp.resolve("fsr-off.yaml");
    Files.writeString(off, head + "  backupCron: '0 0 * * * ?'\n  fastRestore: {zones: []}\n");
    var offSpec = ConfigLoader.load(Optional.of(off), Map.of(), Map.of()).schedules().get(0);
    assertThat(offSpec.managesFastRestore()).isTrue();
    assertThat(offSpec.fastRestoreZones()).isEmpty();

    Path none = tmp.resolve("fsr-none.yaml");
    Files.writeString(none, head + "  backupCron: '0 0 * * * ?'\n");
    assertThat(
            ConfigLoader.load(Optional.of(none), Map.of(), Map.of())
                .schedules()
                .get(0)
                .managesFastRestore())
        .isFalse();

    for (String[] bad :
        new String[][] {
          {
            "  pruneCron: '0 0 * * * ?'\n  fastRestore: {zones: [us-east-1a]}\n",
            "fastRestore acts after each scheduled backup: it needs backupCron"
          },
          {
            "  backupCron: '0 0 * * * ?'\n  fastRestore: {zones: [US_EAST]}\n",
            "fastRestore.zones: not an availability zone name: 'US_EAST' (expected e.g. us-east-1a)"
          },
          {
            "  backupCron: '0 0 * * * ?'\n  fastRestore: {zone: [us-east-1a]}\n",
            "Unrecognized field \"zone\""
          }
        }) {
      assertRefused(head + bad[0], bad[1]);
    }
  }

  @Test
  void binlogIntervalIsADurationAndFromNamesThePrimaryOrAReplica() throws Exception {
    String head = "schedules:\n- namespace: shop\n  statefulSet: mysql\n";
    Path ok = tmp.resolve("binlog-from.yaml");
    Files.writeString(
        ok,
        head
            + "  database: {host: mysql-primary.shop.svc}\n"
            + "  binlog: {enabled: true, interval: 2500ms, from: primary}\n");
    var spec = ConfigLoader.load(Optional.of(ok), Map.of(), Map.of()).schedules().get(0);
    assertThat(spec.binlog().every()).isEqualTo(java.time.Duration.ofMillis(2500));
    assertThat(spec.binlog().source().kind()).isEqualTo(ScheduleSpec.From.Kind.PRIMARY);

    Path replica = tmp.resolve("binlog-replica.yaml");
    Files.writeString(replica, head + "  binlog: {enabled: true, interval: 1m, from: replica 2}\n");
    var r = ConfigLoader.load(Optional.of(replica), Map.of(), Map.of()).schedules().get(0);
    assertThat(r.binlog().every()).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(r.binlog().source())
        .isEqualTo(new ScheduleSpec.From(ScheduleSpec.From.Kind.REPLICA, 2));

    // the deprecated spelling still works
    Path old = tmp.resolve("binlog-old.yaml");
    Files.writeString(old, head + "  binlog: {enabled: true, intervalSeconds: 30}\n");
    assertThat(
            ConfigLoader.load(Optional.of(old), Map.of(), Map.of())
                .schedules()
                .get(0)
                .binlog()
                .every())
        .isEqualTo(java.time.Duration.ofSeconds(30));

    for (String[] bad :
        new String[][] {
          {"interval: soon", "binlog: 'soon' is not a duration (use e.g. 500ms, 90s"},
          {"interval: 500ms", "binlog.interval must be 1s or more"},
          {"interval: 10s, intervalSeconds: 10", "give binlog.interval or its deprecated"},
          {
            "from: leader",
            "binlog.from must be 'primary' or 'replica N' (e.g. replica 1), got 'leader'"
          },
          {"from: replica -1", "got 'replica -1'"},
          {"from: primary", "binlog.from primary streams from database.host: set it"}
        }) {
      assertRefused(head + "  binlog: {enabled: true, " + bad[0] + "}\n", bad[1]);
    }
  }

  /** A config file with {@code yaml} fails to load with a message containing {@code message}. */
  private void assertRefused(String yaml, String message) throws Exception {
    Path file = tmp.resolve("refused.yaml");
    Files.writeString(file, yaml);
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
        .as(yaml)
        .hasMessageContaining(message);
  }
}
