package io.zoneguard.testing.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.Cli;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * Each simulated controller behaviour on its own, against the CRUD mock and moto: what the failover
 * scenarios rely on the simulation to do as Kubernetes does.
 */
@ExtendWith(AwsExtension.class)
class SimIT {
  private Sim sim;
  private SimWorld world;

  @BeforeEach
  void world(AwsBackend aws) {
    sim = Sim.start(aws, Sim.seedProperty(11));
    world = new SimWorld(sim).nodesAndStorageClass(2);
  }

  @AfterEach
  void close() {
    sim.close();
  }

  private Volume volume(String id) {
    List<Volume> v =
        sim.ec2().describeVolumes(r -> r.filters(f -> f.name("volume-id").values(id))).volumes();
    return v.isEmpty() ? null : v.get(0);
  }

  private static boolean empty(Volume v) {
    return v.tags().stream().anyMatch(t -> t.key().equals(PvController.EMPTY_TAG));
  }

  @Test
  void orderedReadyCreatesClaimsFromTemplatesThenPodsOneAtATimeOnEmptyProvisionedVolumes() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard(), 10);
          world.awaitReady("mysql", 3);

          Set<String> zones = new java.util.TreeSet<>();
          for (int i = 0; i < 3; i++) {
            Pod p = world.pod("mysql-" + i);
            String vol = world.volumeOf("data-mysql-" + i);
            Volume v = volume(vol);
            assertThat(empty(v)).isTrue();
            assertThat(v.stateAsString()).isEqualTo("in-use");
            String zone = world.zoneOfNode(p.getSpec().getNodeName());
            assertThat(v.availabilityZone()).isEqualTo(zone);
            assertThat(v.attachments().get(0).instanceId())
                .isEqualTo(
                    Sim.instanceId(sim.kube().nodes().withName(p.getSpec().getNodeName()).get()));
            assertThat(world.claim("data-mysql-" + i).getMetadata().getFinalizers())
                .contains(K.PVC_PROTECTION);
            zones.add(zone);
          }
          assertThat(zones).hasSize(3); // the default soft zone spread
          List<String> log = sim.log.entries();
          int claim1 = indexOf(log, "created claim " + world.namespace + "/data-mysql-1");
          int pod1 = indexOf(log, "created pod " + world.namespace + "/mysql-1");
          int ready0 = indexOf(log, "pod " + world.namespace + "/mysql-0 Running+Ready");
          assertThat(claim1).isLessThan(pod1);
          assertThat(ready0)
              .as("OrderedReady: mysql-1 only after mysql-0 is Ready")
              .isLessThan(pod1);
          var status =
              sim.kube()
                  .apps()
                  .statefulSets()
                  .inNamespace(world.namespace)
                  .withName("mysql")
                  .get()
                  .getStatus();
          assertThat(status.getReplicas()).isEqualTo(3);
          assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision());
          assertThat(sim.errors()).isEmpty();
          System.out.printf(
              "SimIT: %d rounds, %.1f ms per round%n", sim.tick(), sim.meanRoundMillis());
        });
  }

  @Test
  void parallelPodsWaitingForProvisioningCountWhereTheyWereAssumedSoTheySpreadOverZones() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard().parallel(), 10);
          world.awaitReady("mysql", 3);
          Set<String> zones = new java.util.TreeSet<>();
          for (int i = 0; i < 3; i++) {
            zones.add(world.zoneOfPod("mysql-" + i));
          }
          assertThat(zones).containsExactlyElementsOf(SimWorld.ZONES);
        });
  }

  @Test
  void anUnscheduledPodIsDeletedAtOnceWithoutGracefulTermination() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard().replicas(1).pinnedTo("us-west-9z"), 10);
          sim.settle(20, () -> world.pod("mysql-0") != null, "mysql-0 created");
          sim.rounds(3);
          assertThat(world.pod("mysql-0").getSpec().getNodeName()).as("unschedulable").isNull();
          String uid = world.pod("mysql-0").getMetadata().getUid();
          sim.kube().pods().inNamespace(world.namespace).withName("mysql-0").delete();
          sim.round();
          var now = world.pod("mysql-0");
          assertThat(now == null || !now.getMetadata().getUid().equals(uid))
              .as("the Pending pod is gone after one round, not Terminating for ever")
              .isTrue();
        });
  }

  @Test
  void aDeletedClaimIsRecreatedFromTheTemplateAndProvisionedEmptyWhileTheOldVolumeIsDeleted() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard(), 10);
          world.awaitReady("mysql", 3);
          String oldVol = world.volumeOf("data-mysql-1");
          String oldUid = world.claim("data-mysql-1").getMetadata().getUid();

          // another finalizer keeps the claim terminating after the pod is gone
          hold("data-mysql-1", true);
          sim.kube()
              .persistentVolumeClaims()
              .inNamespace(world.namespace)
              .withName("data-mysql-1")
              .delete();
          sim.kube().pods().inNamespace(world.namespace).withName("mysql-1").delete();
          sim.round();
          // pvc-protection: the terminating pod is still scheduled and references the claim
          assertThat(world.claim("data-mysql-1").getMetadata().getDeletionTimestamp()).isNotNull();
          assertThat(world.pod("mysql-1").getMetadata().getDeletionTimestamp()).isNotNull();
          assertThat(K.podReady(world.pod("mysql-1")))
              .as("still Ready while shutting down")
              .isTrue();

          sim.settle(20, () -> world.pod("mysql-1") == null, "mysql-1 terminated");
          sim.rounds(5);
          assertThat(world.pod("mysql-1")).as("no pod while its claim is terminating").isNull();
          assertThat(world.claim("data-mysql-1").getMetadata().getFinalizers())
              .doesNotContain(K.PVC_PROTECTION);
          hold("data-mysql-1", false);
          sim.settle(
              60,
              () -> {
                var c = world.claim("data-mysql-1");
                return c != null
                    && !c.getMetadata().getUid().equals(oldUid)
                    && world.volumeOf("data-mysql-1") != null;
              },
              "data-mysql-1 recreated and bound");
          world.awaitReady("mysql", 3);
          String newVol = world.volumeOf("data-mysql-1");
          assertThat(newVol).isNotEqualTo(oldVol);
          assertThat(empty(volume(newVol))).isTrue();
          sim.settle(
              20, () -> volume(oldVol) == null, "the Released volume deleted (reclaim Delete)");
          List<String> log = sim.log.entries();
          assertThat(indexOf(log, "pvc data-mysql-1 is being deleted: no pod for ordinal 1"))
              .isGreaterThanOrEqualTo(0);
        });
  }

  @Test
  void aTemplateClaimBindsToAPvPreBoundToItsNameInsteadOfBeingProvisioned() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard(), 10);
          world.awaitReady("mysql", 3);
          String oldPv = world.claim("data-mysql-1").getSpec().getVolumeName();
          String oldVol = world.volumeOf("data-mysql-1");
          String zone = volume(oldVol).availabilityZone();
          String target =
              SimWorld.ZONES.stream().filter(z -> !z.equals(zone)).findFirst().orElseThrow();
          sim.kube()
              .persistentVolumes()
              .withName(oldPv)
              .edit(
                  pv -> {
                    pv.getSpec().setPersistentVolumeReclaimPolicy("Retain");
                    return pv;
                  });
          String restored =
              sim.ec2().createVolume(r -> r.availabilityZone(target).size(10)).volumeId();
          sim.kube().resource(preBound("restored-1", restored, target, "data-mysql-1")).create();

          sim.kube()
              .persistentVolumeClaims()
              .inNamespace(world.namespace)
              .withName("data-mysql-1")
              .delete();
          sim.kube().pods().inNamespace(world.namespace).withName("mysql-1").delete();
          sim.settle(
              80,
              () ->
                  "restored-1"
                      .equals(
                          world.claim("data-mysql-1") == null
                              ? null
                              : world.claim("data-mysql-1").getSpec().getVolumeName()),
              "template claim bound to the pre-bound PV");
          world.awaitReady("mysql", 3);
          assertThat(world.zoneOfNode(world.pod("mysql-1").getSpec().getNodeName()))
              .isEqualTo(target);
          assertThat(world.volumeOf("data-mysql-1")).isEqualTo(restored);
          PersistentVolume old = sim.kube().persistentVolumes().withName(oldPv).get();
          assertThat(old.getStatus().getPhase()).isEqualTo("Released");
          assertThat(volume(oldVol)).as("Retain keeps the volume").isNotNull();
          assertThat(sim.log.entries())
              .noneMatch(
                  l ->
                      l.contains("PROVISIONED")
                          && l.contains("data-mysql-1")
                          && l.contains(target));
        });
  }

  @Test
  void rollingUpdateGoesFromTheHighestOrdinalDownToThePartitionOneAtATime() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard().partition(1), 10);
          world.awaitReady("mysql", 3);
          Map<String, String> before = uids();
          sim.kube()
              .apps()
              .statefulSets()
              .inNamespace(world.namespace)
              .withName("mysql")
              .edit(
                  s -> {
                    s.getSpec().getTemplate().getMetadata().setAnnotations(Map.of("roll", "1"));
                    return s;
                  });
          sim.settle(
              80,
              () -> {
                var st =
                    sim.kube()
                        .apps()
                        .statefulSets()
                        .inNamespace(world.namespace)
                        .withName("mysql")
                        .get()
                        .getStatus();
                return st.getUpdatedReplicas() != null
                    && st.getUpdatedReplicas() == 2
                    && st.getReadyReplicas() == 3
                    && world.pods("mysql").stream().noneMatch(K::terminating);
              },
              "ordinals 2 and 1 updated");
          sim.rounds(10);
          Map<String, String> after = uids();
          assertThat(after.get("mysql-0")).isEqualTo(before.get("mysql-0"));
          assertThat(after.get("mysql-1")).isNotEqualTo(before.get("mysql-1"));
          assertThat(after.get("mysql-2")).isNotEqualTo(before.get("mysql-2"));
          List<String> log = sim.log.entries();
          int del2 = indexOf(log, "rolling update: delete " + world.namespace + "/mysql-2");
          int ready2 = lastIndexOf(log, "pod " + world.namespace + "/mysql-2 Running+Ready");
          int del1 = indexOf(log, "rolling update: delete " + world.namespace + "/mysql-1");
          assertThat(del2).isLessThan(ready2);
          assertThat(ready2)
              .as("one at a time: mysql-1 only after the new mysql-2 is Ready")
              .isLessThan(del1);
        });
  }

  @Test
  void onDeleteOnlyRecreatedPodsPickUpANewTemplate() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard().onDelete(), 10);
          world.awaitReady("mysql", 3);
          Map<String, String> before = uids();
          sim.kube()
              .apps()
              .statefulSets()
              .inNamespace(world.namespace)
              .withName("mysql")
              .edit(
                  s -> {
                    s.getSpec().getTemplate().getMetadata().setAnnotations(Map.of("roll", "1"));
                    return s;
                  });
          sim.rounds(15);
          assertThat(uids()).isEqualTo(before);
          var st =
              sim.kube()
                  .apps()
                  .statefulSets()
                  .inNamespace(world.namespace)
                  .withName("mysql")
                  .get()
                  .getStatus();
          assertThat(st.getUpdatedReplicas()).isZero();
          assertThat(st.getUpdateRevision()).isNotEqualTo(st.getCurrentRevision());
        });
  }

  @Test
  void zoneSpreadDoNotScheduleCountsAZoneWhoseNodesCannotTakeThePod() {
    sim.run(
        () -> {
          for (var n : sim.kube().nodes().withLabel(K.ZONE, "us-east-1c").list().getItems()) {
            sim.kube()
                .nodes()
                .withName(n.getMetadata().getName())
                .edit(
                    x -> {
                      x.getSpec()
                          .setTaints(
                              List.of(
                                  new TaintBuilder()
                                      .withKey("maintenance")
                                      .withEffect("NoSchedule")
                                      .build()));
                      return x;
                    });
          }
          world.mysql("mysql", SimWorld.Shape.standard().parallel().spreadOverZones(), 10);
          sim.rounds(40);
          long running = world.pods("mysql").stream().filter(K::runningAndReady).count();
          assertThat(running)
              .as("zones a and b take one each; c (tainted, but counted) has 0")
              .isEqualTo(2);
          Pod pending =
              world.pods("mysql").stream()
                  .filter(p -> p.getSpec().getNodeName() == null)
                  .findFirst()
                  .orElseThrow();
          assertThat(pending).isNotNull();
        });
  }

  @Test
  void aPodOnALostNodeNeverTerminatesUntilOutOfServiceThenPodGcAndDetach() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard(), 10);
          world.awaitReady("mysql", 3);
          String node = world.pod("mysql-1").getSpec().getNodeName();
          String zone = world.zoneOfNode(node);
          String vol = world.volumeOf("data-mysql-1");
          world.loseZone(zone);
          sim.kube().pods().inNamespace(world.namespace).withName("mysql-1").delete();
          sim.rounds(20);
          assertThat(world.pod("mysql-1").getMetadata().getDeletionTimestamp()).isNotNull();
          assertThat(volume(vol).stateAsString()).isEqualTo("in-use");
          assertThat(sim.kube().nodes().withName(node).get().getSpec().getTaints())
              .anyMatch(t -> t.getKey().equals(K.UNREACHABLE));

          sim.kube()
              .nodes()
              .withName(node)
              .edit(
                  x -> {
                    var t = new java.util.ArrayList<>(x.getSpec().getTaints());
                    t.add(
                        new TaintBuilder()
                            .withKey(K.OUT_OF_SERVICE)
                            .withValue("nodeshutdown")
                            .withEffect("NoExecute")
                            .build());
                    x.getSpec().setTaints(t);
                    return x;
                  });
          sim.settle(20, () -> "available".equals(volume(vol).stateAsString()), "volume detached");
          assertThat(sim.log.entries())
              .anyMatch(
                  l ->
                      l.contains(
                          "PodGC: force-delete terminating " + world.namespace + "/mysql-1"));
          // recreated by the controller, Pending: its PV is pinned to the lost zone
          sim.rounds(5);
          Pod again = world.pod("mysql-1");
          assertThat(again).isNotNull();
          assertThat(again.getSpec().getNodeName()).isNull();
        });
  }

  @Test
  void aForceDeletedPodOnAPartitionedNodeKeepsRunningThere() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard(), 10);
          world.awaitReady("mysql", 3);
          String node = world.pod("mysql-1").getSpec().getNodeName();
          world.partitionZone(world.zoneOfNode(node));
          sim.rounds(3);
          // a force delete through the gate, as zoneguard's client would send it
          try (var client = gatedClient()) {
            client
                .pods()
                .inNamespace(world.namespace)
                .withName("mysql-1")
                .withGracePeriod(0)
                .delete();
          }
          assertThat(
                  world.pod("mysql-1") == null
                      || world.pod("mysql-1").getSpec().getNodeName() == null)
              .isTrue();
          sim.rounds(5);
          assertThat(sim.running.get(world.namespace + "/mysql-1"))
              .as("the partitioned node's containers keep writing")
              .isNotNull()
              .satisfies(c -> assertThat(c.node()).isEqualTo(node));
        });
  }

  @Test
  void zoneguardCallsPassTheGateWhereControllersRunAndACrashRefusesTheRest() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard(), 10);
          world.awaitReady("mysql", 3);
          Map<String, String> env =
              sim.cliEnv(
                  Map.of("ZONEGUARD_AWS_REGION", "us-east-1", "ZONEGUARD_AWS_PATH_STYLE", "true"));
          int tickBefore = sim.tick();
          Cli.Result ok = Cli.run(env, "status", "-n", world.namespace);
          assertThat(ok.exit()).as(ok.err()).isZero();
          assertThat(sim.calls())
              .anyMatch(c -> c.action() != null)
              .anyMatch(c -> c.uri().startsWith("/api"));
          assertThat(sim.tick())
              .as("controllers ran between zoneguard's calls")
              .isGreaterThan(tickBefore);

          sim.crashAt(2);
          Cli.Result crashed = Cli.run(env, "status", "-n", world.namespace);
          assertThat(crashed.exit()).isNotZero();
          assertThat(sim.crashed()).isTrue();
          sim.recover();
          assertThat(Cli.run(env, "status", "-n", world.namespace).exit()).isZero();
        });
  }

  @Test
  void snapshotsStayPendingAndVolumesCreatingBehindTheGate() throws Exception {
    sim.run(
        () -> {
          var env = sim.cliEnv(Map.of());
          try (var ec2 =
              software.amazon.awssdk.services.ec2.Ec2Client.builder()
                  .endpointOverride(java.net.URI.create(env.get("ZONEGUARD_AWS_ENDPOINT")))
                  .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                  .credentialsProvider(
                      software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                          software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                              "testing", "testing")))
                  .build()) {
            String vol = ec2.createVolume(r -> r.availabilityZone("us-east-1a").size(1)).volumeId();
            assertThat(ec2.describeVolumes(r -> r.volumeIds(vol)).volumes().get(0).stateAsString())
                .isEqualTo("creating");
            String snap = ec2.createSnapshot(r -> r.volumeId(vol)).snapshotId();
            assertThat(
                    ec2.describeSnapshots(r -> r.snapshotIds(snap))
                        .snapshots()
                        .get(0)
                        .stateAsString())
                .isEqualTo("pending");
            Thread.sleep(3200);
            assertThat(
                    ec2.describeSnapshots(r -> r.snapshotIds(snap))
                        .snapshots()
                        .get(0)
                        .stateAsString())
                .isEqualTo("completed");
            assertThat(ec2.describeVolumes(r -> r.volumeIds(vol)).volumes().get(0).stateAsString())
                .isEqualTo("available");
          }
        });
  }

  @Test
  void aClaimDeleteWithAStaleUidPreconditionIsRefusedAsTheApiServerDoes() {
    sim.run(
        () -> {
          world.mysql("mysql", SimWorld.Shape.standard().replicas(1), 10);
          world.awaitReady("mysql", 1);
          String uid = world.claim("data-mysql-0").getMetadata().getUid();

          assertThat(deleteWithUid("data-mysql-0", "not-" + uid)).isEqualTo(409);
          assertThat(world.claim("data-mysql-0").getMetadata().getDeletionTimestamp()).isNull();
          assertThat(deleteWithUid("data-mysql-0", uid)).isEqualTo(200);
          assertThat(world.claim("data-mysql-0").getMetadata().getDeletionTimestamp()).isNotNull();
        });
  }

  /** A raw DELETE with {@code preconditions.uid} through the gate, as zoneguard sends it. */
  private int deleteWithUid(String claim, String uid) throws Exception {
    String kubeconfig =
        java.nio.file.Files.readString(
            java.nio.file.Path.of(sim.cliEnv(Map.of()).get("ZONEGUARD_KUBECONFIG")));
    String server = kubeconfig.lines().filter(l -> l.contains("server:")).findFirst().orElseThrow();
    String base = server.substring(server.indexOf("http")).strip();
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(
                    base
                        + "/api/v1/namespaces/"
                        + world.namespace
                        + "/persistentvolumeclaims/"
                        + claim))
            .header("Content-Type", "application/json")
            .method(
                "DELETE",
                java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"preconditions\":{\"uid\":\""
                        + uid
                        + "\"}}"))
            .build();
    return java.net.http.HttpClient.newHttpClient()
        .send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private io.fabric8.kubernetes.client.KubernetesClient gatedClient() throws Exception {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(
            io.fabric8.kubernetes.client.Config.fromKubeconfig(
                java.nio.file.Files.readString(
                    java.nio.file.Path.of(sim.cliEnv(Map.of()).get("ZONEGUARD_KUBECONFIG")))))
        .build();
  }

  private PersistentVolume preBound(String name, String volumeId, String zone, String claim) {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", new Quantity("10Gi")))
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(SimWorld.STORAGE_CLASS)
        .withVolumeMode("Filesystem")
        .withPersistentVolumeReclaimPolicy("Retain")
        .withNewCsi()
        .withDriver("ebs.csi.aws.com")
        .withVolumeHandle(volumeId)
        .withFsType("ext4")
        .endCsi()
        .withNewNodeAffinity()
        .withNewRequired()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey(K.ZONE)
        .withOperator("In")
        .withValues(zone)
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequired()
        .endNodeAffinity()
        .withNewClaimRef()
        .withNamespace(world.namespace)
        .withName(claim)
        .endClaimRef()
        .endSpec()
        .build();
  }

  private void hold(String claim, boolean on) {
    sim.kube()
        .persistentVolumeClaims()
        .inNamespace(world.namespace)
        .withName(claim)
        .edit(
            c -> {
              var f = new java.util.ArrayList<>(c.getMetadata().getFinalizers());
              if (on) {
                f.add("test.zoneguard.io/hold");
              } else {
                f.remove("test.zoneguard.io/hold");
              }
              c.getMetadata().setFinalizers(f);
              return c;
            });
  }

  private Map<String, String> uids() {
    return world.pods("mysql").stream()
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
  }

  private static int indexOf(List<String> log, String part) {
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(List<String> log, String part) {
    for (int i = log.size() - 1; i >= 0; i--) {
      if (log.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }
}
