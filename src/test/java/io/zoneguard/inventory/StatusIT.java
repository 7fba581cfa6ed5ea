package io.zoneguard.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.aws.AwsClients;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.EksWorld;
import io.zoneguard.testing.EksWorld.Member;
import io.zoneguard.testing.MockKube;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zoneguard status} end to end: the real CLI, the real client factories, moto_server for EC2
 * and the fabric8 mock API server for Kubernetes (objects created by {@link EksWorld}, which plays
 * the controllers the mock lacks).
 */
@ExtendWith(AwsExtension.class)
class StatusIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private MockKube kube;
  private AwsClients aws;
  private EksWorld world;
  private Map<String, String> env;

  @BeforeEach
  void setUp(AwsBackend backend) {
    kube = new MockKube();
    aws = backend.clients();
    world =
        new EksWorld(
            kube.client(), aws.ec2(), "shop-" + UUID.randomUUID().toString().substring(0, 6));
    world.nodesAndStorageClass();
    env = new HashMap<>(backend.cliEnv());
    env.put("KUBECONFIG", "/nonexistent");
    env.put("ZONEGUARD_KUBECONFIG", kube.writeKubeconfig(tmp).toString());
  }

  @AfterEach
  void tearDown() {
    kube.close();
    aws.close();
  }

  @Test
  void reportsEveryPvcWithItsVolumeZonePodAndNode() throws Exception {
    List<Member> members = world.mysql("mysql", 3, 10, true);
    world.markZoneNotReady("us-east-1b");

    Cli.Result r = Cli.run(env, "status", "-n", world.namespace(), "-o", "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode report = JSON.readTree(r.out());
    assertThat(report.get("region").asText()).isEqualTo("us-east-1");
    JsonNode sts = report.get("statefulSets").get(0);
    assertThat(sts.get("name").asText()).isEqualTo("mysql");
    assertThat(sts.get("readyReplicas").asInt()).isEqualTo(2);
    assertThat(sts.get("protectedByLabel").asBoolean()).isTrue();
    JsonNode pvcs = sts.get("pvcs");
    assertThat(pvcs).hasSize(3);
    for (Member m : members) {
      JsonNode p = pvcs.get(m.ordinal());
      assertThat(p.get("pvc").asText()).isEqualTo(m.pvc());
      assertThat(p.get("phase").asText()).isEqualTo("Bound");
      assertThat(p.get("pv").asText()).isEqualTo(m.pv());
      assertThat(p.get("backing").asText()).isEqualTo("ebs");
      assertThat(p.get("volumeId").asText()).isEqualTo(m.volumeId());
      assertThat(p.get("zone").asText()).isEqualTo(m.zone());
      assertThat(p.get("sizeGiB").asInt()).isEqualTo(10);
      assertThat(p.get("volumeType").asText()).isEqualTo("gp3");
      assertThat(p.get("encrypted").asBoolean()).isTrue();
      assertThat(p.get("pod").asText()).isEqualTo(m.pod());
      assertThat(p.get("node").asText()).isEqualTo(m.node());
      assertThat(p.get("nodeReady").asBoolean()).isEqualTo(!m.zone().equals("us-east-1b"));
      assertThat(p.get("warnings")).isEmpty();
    }
    Map<String, String> health = new HashMap<>();
    report.get("zones").forEach(z -> health.put(z.get("zone").asText(), z.get("health").asText()));
    assertThat(health)
        .containsEntry("us-east-1a", "HEALTHY")
        .containsEntry("us-east-1b", "DOWN")
        .containsEntry("us-east-1c", "HEALTHY")
        .hasSize(3);
  }

  @Test
  void tableNamesVolumesAndMarksTheDownZone() {
    List<Member> members = world.mysql("mysql", 3, 10, true);
    world.markZoneNotReady("us-east-1b");

    Cli.Result r = Cli.run(env, "status", "--namespace", world.namespace());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("ZONES (us-east-1)")
        .contains("STATEFULSET " + world.namespace() + "/mysql");
    assertThat(r.out()).containsPattern("us-east-1b\\s+available\\s+0\\s+2\\s+DOWN");
    for (Member m : members) {
      assertThat(r.out())
          .containsPattern(
              m.pvc()
                  + "\\s+Bound\\s+"
                  + m.pv()
                  + "\\s+ebs\\s+"
                  + m.volumeId()
                  + "\\s+"
                  + m.zone()
                  + "\\s+10Gi\\s+gp3");
    }
  }

  @Test
  void showsLocalVolumesAsDumpOnlyAndSkipsUnlabelledSets() throws Exception {
    world.hostPathMysql("legacy", 2);
    world.mysql("unprotected", 1, 5, false);

    Cli.Result r = Cli.run(env, "status", "-n", world.namespace(), "-o", "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode sets = JSON.readTree(r.out()).get("statefulSets");
    assertThat(sets).hasSize(1);
    JsonNode p = sets.get(0).get("pvcs").get(0);
    assertThat(p.get("backing").asText()).isEqualTo("hostPath");
    assertThat(p.get("volumeId").isNull()).isTrue();
    assertThat(p.get("warnings").get(0).asText()).contains("dump-only");

    Cli.Result one =
        Cli.run(
            env, "status", "-n", world.namespace(), "--statefulset", "unprotected", "-o", "json");
    assertThat(one.exit()).as(one.err()).isZero();
    JsonNode only = JSON.readTree(one.out()).get("statefulSets").get(0);
    assertThat(only.get("name").asText()).isEqualTo("unprotected");
    assertThat(only.get("protectedByLabel").asBoolean()).isFalse();
  }

  @Test
  void reportsAVolumeThatEc2DoesNotKnow() throws Exception {
    List<Member> members = world.mysql("mysql", 1, 10, true);
    aws.ec2().deleteVolume(b -> b.volumeId(members.get(0).volumeId()));

    Cli.Result r = Cli.run(env, "status", "-n", world.namespace(), "-o", "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode p = JSON.readTree(r.out()).get("statefulSets").get(0).get("pvcs").get(0);
    assertThat(p.get("warnings").get(0).asText()).contains("not found in EC2");
    assertThat(p.get("zone").asText()).isEqualTo("us-east-1a");
  }

  @Test
  void unknownNamespaceOrStatefulSetIsAOneLineErrorWithExitOne() {
    world.mysql("mysql", 1, 10, true);

    Cli.Result ns = Cli.run(env, "status", "-n", "no-such-ns");
    assertThat(ns.exit()).isEqualTo(1);
    assertThat(ns.out()).isEmpty();
    assertThat(ns.err().strip()).isEqualTo("zoneguard: namespace 'no-such-ns' not found");

    Cli.Result sts = Cli.run(env, "status", "-n", world.namespace(), "--statefulset", "nope");
    assertThat(sts.exit()).isEqualTo(1);
    assertThat(sts.err().strip())
        .isEqualTo(
            "zoneguard: statefulset 'nope' not found in namespace '" + world.namespace() + "'");
  }

  @Test
  void badConfigurationIsAUsageErrorNamingTheKey() {
    Map<String, String> bad = new HashMap<>(env);
    bad.put("ZONEGUARD_AWS_REGION", "Mars");

    Cli.Result r = Cli.run(bad, "status", "-n", world.namespace());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "zoneguard: invalid aws.region 'Mars' (from env ZONEGUARD_AWS_REGION): expected an AWS region such as us-east-1");
  }

  @Test
  void unreachableApiServerIsAOneLineFailure() {
    Map<String, String> gone = new HashMap<>(env);
    Path kubeconfig = kube.writeKubeconfig(tmp);
    kube.close();
    gone.put("ZONEGUARD_KUBECONFIG", kubeconfig.toString());

    Cli.Result r = Cli.run(gone, "status", "-n", "anything");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("zoneguard: cannot reach the Kubernetes API");
    assertThat(r.err().strip().lines()).hasSize(1);
    kube = new MockKube();
  }
}
