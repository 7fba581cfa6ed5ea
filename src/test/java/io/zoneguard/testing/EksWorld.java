package io.zoneguard.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * Builds a realistic EKS world on the mock API server and moto: nodes labelled in three zones, the
 * gp3 StorageClass of the EBS CSI driver, and MySQL StatefulSets whose PVCs are bound to CSI PVs
 * backed by real (moto) EBS volumes in each replica's zone.
 *
 * <p>The mock runs no controllers, so this class does what they would have done: it creates the
 * PVCs from the volumeClaimTemplates (StatefulSet controller), provisions and binds PVs to them
 * (external-provisioner and PV binder), and places and readies the pods (scheduler and kubelet).
 */
public final class EksWorld {
  public static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");
  public static final String STORAGE_CLASS = "gp3";

  private final KubernetesClient kube;
  private final Ec2Client ec2;
  private final String namespace;

  /** One replica as placed by the fixture. */
  public record Member(
      int ordinal, String zone, String volumeId, String pv, String pvc, String pod, String node) {}

  public EksWorld(KubernetesClient kube, Ec2Client ec2, String namespace) {
    this.kube = kube;
    this.ec2 = ec2;
    this.namespace = namespace;
    kube.resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  public String namespace() {
    return namespace;
  }

  /**
   * Two Ready nodes per zone, named {@code node-<zone>-<i>}, each backed by a running moto EC2
   * instance in its zone ({@code spec.providerID aws:///<zone>/<instance-id>}, as on EKS), and the
   * gp3 StorageClass.
   */
  public EksWorld nodesAndStorageClass() {
    for (String zone : ZONES) {
      for (int i = 0; i < 2; i++) {
        String instance =
            ec2.runInstances(
                    r ->
                        r.imageId("ami-12c6146b")
                            .minCount(1)
                            .maxCount(1)
                            .instanceType("m6i.large")
                            .placement(p -> p.availabilityZone(zone)))
                .instances()
                .get(0)
                .instanceId();
        kube.resource(node(nodeName(zone, i), zone, true, instance)).create();
      }
    }
    kube.resource(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName(STORAGE_CLASS)
                .endMetadata()
                .withProvisioner("ebs.csi.aws.com")
                .withVolumeBindingMode("WaitForFirstConsumer")
                .withReclaimPolicy("Delete")
                .withAllowVolumeExpansion(true)
                .withParameters(Map.of("type", "gp3", "encrypted", "true"))
                .build())
        .create();
    return this;
  }

  public static String nodeName(String zone, int i) {
    return "node-" + zone + "-" + i;
  }

  /**
   * A MySQL StatefulSet with template {@code data}; replica i lives in zone {@code ZONES[i % 3]} on
   * that zone's first node, its PVC bound to a CSI PV over a new gp3 volume in moto.
   */
  public List<Member> mysql(String name, int replicas, int sizeGiB, boolean labelled) {
    return mysql(name, replicas, sizeGiB, labelled, i -> ZONES.get(i % ZONES.size()));
  }

  /** As {@link #mysql(String, int, int, boolean)} with replica i placed in {@code zoneOf(i)}. */
  public List<Member> mysql(
      String name,
      int replicas,
      int sizeGiB,
      boolean labelled,
      java.util.function.IntFunction<String> zoneOf) {
    createStatefulSet(name, replicas, sizeGiB, labelled);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      String zone = zoneOf.apply(i);
      String pvName = "pvc-" + UUID.randomUUID();
      String claim = "data-" + name + "-" + i;
      String volumeId =
          ec2.createVolume(
                  r ->
                      r.availabilityZone(zone)
                          .size(sizeGiB)
                          .volumeType(VolumeType.GP3)
                          .iops(3000)
                          .throughput(125)
                          .encrypted(true)
                          .tagSpecifications(
                              TagSpecification.builder()
                                  .resourceType(ResourceType.VOLUME)
                                  .tags(
                                      tag("CSIVolumeName", pvName),
                                      tag("ebs.csi.aws.com/cluster", "true"),
                                      tag("kubernetes.io/created-for/pvc/name", claim),
                                      tag("kubernetes.io/created-for/pvc/namespace", namespace),
                                      tag("zoneguard-test/namespace", namespace))
                                  .build()))
              .volumeId();
      // bound as the PV binder leaves it: the claimRef carries the claim's UID, so the PV turns
      // Released (never rebinds) once that claim is gone (pv_controller.go syncVolume)
      String uid = kube.resource(boundPvc(claim, pvName, sizeGiB)).create().getMetadata().getUid();
      PersistentVolume pv = csiPv(pvName, volumeId, zone, claim, sizeGiB);
      pv.getSpec().getClaimRef().setUid(uid);
      kube.resource(pv).create();
      String node = nodeName(zone, 0);
      createPod(name, i, node, claim, true);
      members.add(new Member(i, zone, volumeId, pvName, claim, name + "-" + i, node));
    }
    return members;
  }

  /** A StatefulSet on local hostPath volumes (as with OpenEBS hostpath): nothing to snapshot. */
  public void hostPathMysql(String name, int replicas) {
    createStatefulSet(name, replicas, 5, true);
    for (int i = 0; i < replicas; i++) {
      String zone = ZONES.get(i % ZONES.size());
      String pvName = "pvc-" + UUID.randomUUID();
      String claim = "data-" + name + "-" + i;
      PersistentVolume pv =
          new PersistentVolumeBuilder()
              .withNewMetadata()
              .withName(pvName)
              .endMetadata()
              .withNewSpec()
              .withCapacity(Map.of("storage", new Quantity("5Gi")))
              .withAccessModes("ReadWriteOnce")
              .withStorageClassName("openebs-hostpath")
              .withPersistentVolumeReclaimPolicy("Delete")
              .withNewHostPath()
              .withPath("/var/openebs/local/" + pvName)
              .endHostPath()
              .withNewClaimRef()
              .withNamespace(namespace)
              .withName(claim)
              .endClaimRef()
              .endSpec()
              .withNewStatus()
              .withPhase("Bound")
              .endStatus()
              .build();
      kube.resource(pv).create();
      kube.resource(boundPvc(claim, pvName, 5)).create();
      createPod(name, i, nodeName(zone, 0), claim, true);
    }
  }

  /**
   * The zone is lost: its instances stop (EC2 reports them {@code stopped}) and every node loses
   * its kubelet heartbeat, as in {@link #partitionZone}.
   */
  public void markZoneNotReady(String zone) {
    List<String> ids = instancesOf(zone);
    ec2.stopInstances(r -> r.instanceIds(ids).force(true));
    partitionZone(zone);
  }

  /** The EC2 instance ids behind the zone's nodes (from their providerIDs). */
  private List<String> instancesOf(String zone) {
    return kube.nodes().withLabel("topology.kubernetes.io/zone", zone).list().getItems().stream()
        .map(n -> n.getSpec().getProviderID())
        .map(p -> p.substring(p.lastIndexOf('/') + 1))
        .toList();
  }

  /**
   * Every node of the zone loses its kubelet heartbeat while its EC2 instance keeps running (a
   * network partition): Ready becomes Unknown. Playing the node controller, the pods there turn not
   * Ready; playing the StatefulSet controller, the StatefulSets' readyReplicas drop.
   */
  private void partitionZone(String zone) {
    List<String> lost = new ArrayList<>();
    for (Node n : kube.nodes().withLabel("topology.kubernetes.io/zone", zone).list().getItems()) {
      n.getStatus().setConditions(List.of(readyCondition(false)));
      kube.resource(n).updateStatus();
      lost.add(n.getMetadata().getName());
    }
    for (var pod : kube.pods().inNamespace(namespace).list().getItems()) {
      if (lost.contains(pod.getSpec().getNodeName())) {
        pod.getStatus().getConditions().forEach(c -> c.setStatus("False"));
        kube.resource(pod).updateStatus();
        kube.apps()
            .statefulSets()
            .inNamespace(namespace)
            .withName(pod.getMetadata().getLabels().get("app"))
            .editStatus(
                set -> {
                  set.getStatus().setReadyReplicas(set.getStatus().getReadyReplicas() - 1);
                  return set;
                });
      }
    }
  }

  private void createStatefulSet(String name, int replicas, int sizeGiB, boolean labelled) {
    kube.resource(
            new StatefulSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labelled ? Map.of("zoneguard.io/protect", "true") : Map.of())
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(name)
                .withPodManagementPolicy("OrderedReady")
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("mysql")
                .withImage("mariadb:10.11")
                .addNewVolumeMount()
                .withName("data")
                .withMountPath("/var/lib/mysql")
                .endVolumeMount()
                .endContainer()
                .endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(STORAGE_CLASS)
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity(sizeGiB + "Gi")))
                .endResources()
                .endSpec()
                .endVolumeClaimTemplate()
                .endSpec()
                .withNewStatus()
                .withReplicas(replicas)
                .withReadyReplicas(replicas)
                .endStatus()
                .build())
        .create();
  }

  /**
   * A StatefulSet pod mounting {@code claim}: Running and Ready on {@code node}, or Pending and
   * unscheduled when {@code node} is null.
   */
  void createPod(String sts, int ordinal, String node, String claim, boolean ready) {
    kube.resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(sts + "-" + ordinal)
                .withNamespace(namespace)
                .withLabels(Map.of("app", sts, "apps.kubernetes.io/pod-index", "" + ordinal))
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("mysql")
                .withImage("mariadb:10.11")
                // the local MariaDB's root has no password; exec reads it from here
                .addNewEnv()
                .withName("MYSQL_ROOT_PASSWORD")
                .withValue("")
                .endEnv()
                .endContainer()
                .addNewVolume()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName(claim)
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .withNewStatus()
                .withPhase(node == null ? "Pending" : "Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus(node != null && ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build())
        .create();
  }

  private PersistentVolume csiPv(
      String name, String volumeId, String zone, String claim, int sizeGiB) {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(name)
        .withAnnotations(Map.of("pv.kubernetes.io/provisioned-by", "ebs.csi.aws.com"))
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", new Quantity(sizeGiB + "Gi")))
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(STORAGE_CLASS)
        .withPersistentVolumeReclaimPolicy("Delete")
        .withNewCsi()
        .withDriver("ebs.csi.aws.com")
        .withVolumeHandle(volumeId)
        .withFsType("ext4")
        .endCsi()
        .withNewNodeAffinity()
        .withNewRequired()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey("topology.kubernetes.io/zone")
        .withOperator("In")
        .withValues(zone)
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequired()
        .endNodeAffinity()
        .withNewClaimRef()
        .withNamespace(namespace)
        .withName(claim)
        .endClaimRef()
        .endSpec()
        .withNewStatus()
        .withPhase("Bound")
        .endStatus()
        .build();
  }

  private PersistentVolumeClaim boundPvc(String claim, String pvName, int sizeGiB) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(claim)
        .withNamespace(namespace)
        .withFinalizers("kubernetes.io/pvc-protection")
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(STORAGE_CLASS)
        .withVolumeName(pvName)
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity(sizeGiB + "Gi")))
        .endResources()
        .endSpec()
        .withNewStatus()
        .withPhase("Bound")
        .withCapacity(Map.of("storage", new Quantity(sizeGiB + "Gi")))
        .endStatus()
        .build();
  }

  private static Node node(String name, String zone, boolean ready, String instanceId) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(
            Map.of(
                "topology.kubernetes.io/zone", zone,
                "topology.kubernetes.io/region", zone.substring(0, zone.length() - 1),
                "kubernetes.io/hostname", name))
        .endMetadata()
        .withNewSpec()
        .withProviderID("aws:///" + zone + "/" + instanceId)
        .endSpec()
        .withNewStatus()
        .withConditions(readyCondition(ready))
        .endStatus()
        .build();
  }

  private static NodeCondition readyCondition(boolean ready) {
    return new NodeConditionBuilder()
        .withType("Ready")
        .withStatus(ready ? "True" : "Unknown")
        .withReason(ready ? "KubeletReady" : "NodeStatusUnknown")
        .build();
  }

  private static Tag tag(String k, String v) {
    return Tag.builder().key(k).value(v).build();
  }
}
