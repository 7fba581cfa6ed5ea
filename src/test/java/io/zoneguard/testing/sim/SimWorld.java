package io.zoneguard.testing.sim;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/**
 * Builds an EKS-like world inside a {@link Sim}: nodes backed by moto EC2 instances ({@code
 * spec.providerID aws:///<az>/<instance-id>}), the EBS CSI gp3 StorageClass (WaitForFirstConsumer,
 * Delete), and MySQL StatefulSets created as a user would: only the StatefulSet object; the
 * simulated controllers create claims, provision volumes, schedule and start the pods.
 */
public final class SimWorld {
  public static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");
  public static final String STORAGE_CLASS = "gp3";
  private static final Map<String, String> IMAGES = new java.util.concurrent.ConcurrentHashMap<>();
  private final Sim sim;
  public final String namespace;
  private String image;

  public SimWorld(Sim sim) {
    this(sim, "shop-" + UUID.randomUUID().toString().substring(0, 6));
  }

  /** A world whose StatefulSets live in {@code namespace} (created here). */
  public SimWorld(Sim sim, String namespace) {
    this.sim = sim;
    this.namespace = namespace;
    sim.kube
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  /** {@code perZone} Ready nodes per zone, each on its own running moto instance; the class. */
  public SimWorld nodesAndStorageClass(int perZone) {
    for (String zone : ZONES) {
      for (int i = 0; i < perZone; i++) {
        String instance = runInstance(zone);
        sim.kube.resource(node(nodeName(zone, i), zone, instance)).create();
      }
    }
    if (sim.kube.storage().v1().storageClasses().withName(STORAGE_CLASS).get() == null) {
      sim.kube
          .resource(
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
    }
    return this;
  }

  public static String nodeName(String zone, int i) {
    return "node-" + zone + "-" + i;
  }

  private String runInstance(String zone) {
    if (image == null) {
      // moto lists hundreds of AMIs (seconds under load): one lookup per emulator, not per world
      image =
          IMAGES.computeIfAbsent(
              sim.awsEndpoint,
              e -> sim.ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId());
    }
    Instance i =
        sim.ec2
            .runInstances(
                r ->
                    r.imageId(image)
                        .minCount(1)
                        .maxCount(1)
                        .instanceType(InstanceType.M5_LARGE)
                        .placement(p -> p.availabilityZone(zone)))
            .instances()
            .get(0);
    return i.instanceId();
  }

  private static Node node(String name, String zone, String instance) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(
            Map.of(
                K.ZONE,
                zone,
                "topology.ebs.csi.aws.com/zone",
                zone,
                "topology.kubernetes.io/region",
                zone.substring(0, zone.length() - 1),
                "kubernetes.io/hostname",
                name))
        .endMetadata()
        .withNewSpec()
        .withProviderID("aws:///" + zone + "/" + instance)
        .endSpec()
        .withNewStatus()
        .withConditions(readyCondition(true))
        .endStatus()
        .build();
  }

  static NodeCondition readyCondition(boolean ready) {
    return new NodeConditionBuilder()
        .withType("Ready")
        .withStatus(ready ? "True" : "Unknown")
        .withReason(ready ? "KubeletReady" : "NodeStatusUnknown")
        .build();
  }

  /** How the MySQL StatefulSet of a scenario looks. */
  public record Shape(
      int replicas,
      String podManagementPolicy,
      String updateStrategy,
      Integer partition,
      String nodeSelectorZone,
      boolean zoneSpread,
      String volumeMode) {
    public static Shape standard() {
      return new Shape(3, "OrderedReady", "RollingUpdate", null, null, false, "Filesystem");
    }

    public Shape replicas(int n) {
      return new Shape(
          n,
          podManagementPolicy,
          updateStrategy,
          partition,
          nodeSelectorZone,
          zoneSpread,
          volumeMode);
    }

    public Shape parallel() {
      return new Shape(
          replicas,
          "Parallel",
          updateStrategy,
          partition,
          nodeSelectorZone,
          zoneSpread,
          volumeMode);
    }

    public Shape onDelete() {
      return new Shape(
          replicas,
          podManagementPolicy,
          "OnDelete",
          partition,
          nodeSelectorZone,
          zoneSpread,
          volumeMode);
    }

    public Shape partition(int p) {
      return new Shape(
          replicas,
          podManagementPolicy,
          updateStrategy,
          p,
          nodeSelectorZone,
          zoneSpread,
          volumeMode);
    }

    public Shape pinnedTo(String zone) {
      return new Shape(
          replicas, podManagementPolicy, updateStrategy, partition, zone, zoneSpread, volumeMode);
    }

    public Shape spreadOverZones() {
      return new Shape(
          replicas,
          podManagementPolicy,
          updateStrategy,
          partition,
          nodeSelectorZone,
          true,
          volumeMode);
    }

    public Shape block() {
      return new Shape(
          replicas,
          podManagementPolicy,
          updateStrategy,
          partition,
          nodeSelectorZone,
          zoneSpread,
          "Block");
    }
  }

  /** Creates the StatefulSet object only; call {@link #awaitReady} to let the controllers run. */
  public StatefulSet mysql(String name, Shape shape, int sizeGiB) {
    var spec =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(Map.of("zoneguard.io/protect", "true"))
            .endMetadata()
            .withNewSpec()
            .withReplicas(shape.replicas())
            .withServiceName(name)
            .withPodManagementPolicy(shape.podManagementPolicy())
            .withNewUpdateStrategy()
            .withType(shape.updateStrategy())
            .endUpdateStrategy()
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
            .addNewEnv()
            .withName("MYSQL_ROOT_PASSWORD")
            .withValue("")
            .endEnv()
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
            .withVolumeMode(shape.volumeMode())
            .withNewResources()
            .withRequests(Map.of("storage", new Quantity(sizeGiB + "Gi")))
            .endResources()
            .endSpec()
            .endVolumeClaimTemplate()
            .endSpec()
            .build();
    var c = spec.getSpec().getTemplate().getSpec().getContainers().get(0);
    if ("Block".equals(shape.volumeMode())) {
      c.setVolumeDevices(
          List.of(new io.fabric8.kubernetes.api.model.VolumeDevice("/dev/xvdmysql", "data")));
    } else {
      c.setVolumeMounts(
          List.of(
              new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
                  .withName("data")
                  .withMountPath("/var/lib/mysql")
                  .build()));
    }
    if (shape.partition() != null) {
      spec.getSpec()
          .getUpdateStrategy()
          .setRollingUpdate(
              new io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategyBuilder()
                  .withPartition(shape.partition())
                  .build());
    }
    if (shape.nodeSelectorZone() != null) {
      spec.getSpec()
          .getTemplate()
          .getSpec()
          .setNodeSelector(Map.of(K.ZONE, shape.nodeSelectorZone()));
    }
    if (shape.zoneSpread()) {
      spec.getSpec()
          .getTemplate()
          .getSpec()
          .setTopologySpreadConstraints(
              List.of(
                  new TopologySpreadConstraintBuilder()
                      .withMaxSkew(1)
                      .withTopologyKey(K.ZONE)
                      .withWhenUnsatisfiable("DoNotSchedule")
                      .withNewLabelSelector()
                      .withMatchLabels(Map.of("app", name))
                      .endLabelSelector()
                      .build()));
    }
    return sim.kube.resource(spec).create();
  }

  /** Runs rounds until every replica of {@code name} is Running and Ready on its own claim. */
  public void awaitReady(String name, int replicas) {
    sim.settle(
        400,
        () -> {
          StatefulSet s =
              sim.kube.apps().statefulSets().inNamespace(namespace).withName(name).get();
          return s.getStatus() != null
              && s.getStatus().getReadyReplicas() != null
              && s.getStatus().getReadyReplicas() == replicas
              && pods(name).stream().allMatch(p -> !K.terminating(p) && K.runningAndReady(p));
        },
        name + " with " + replicas + " Ready replicas");
  }

  public List<Pod> pods(String sts) {
    return sim.kube.pods().inNamespace(namespace).withLabel("app", sts).list().getItems();
  }

  public Pod pod(String name) {
    return sim.kube.pods().inNamespace(namespace).withName(name).get();
  }

  public PersistentVolumeClaim claim(String name) {
    return sim.kube.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
  }

  /** The pod exists, is not terminating, and is Running and Ready. */
  public boolean podReady(String name) {
    Pod p = pod(name);
    return p != null && !K.terminating(p) && K.runningAndReady(p);
  }

  /** The zone of the node the pod is scheduled to, or null (no pod, not scheduled). */
  public String zoneOfPod(String name) {
    Pod p = pod(name);
    return p == null || p.getSpec().getNodeName() == null
        ? null
        : zoneOfNode(p.getSpec().getNodeName());
  }

  /** The EBS volumes the pod's running containers write to now (empty when none run). */
  public List<String> volumesWritten(String name) {
    Sim.Container c = sim.running.get(namespace + "/" + name);
    return c == null ? List.of() : c.volumes();
  }

  /** Whether every node of the zone (or, with {@code all} false, any) reports Ready. */
  public boolean zoneReady(String zone, boolean all) {
    var ready = nodesOf(zone).stream().map(K::ready);
    return all ? ready.allMatch(b -> b) : ready.anyMatch(b -> b);
  }

  /** The zone of a node. */
  public String zoneOfNode(String node) {
    return K.zone(sim.kube.nodes().withName(node).get());
  }

  /** The EBS volume a claim is bound to (through its PV), or null. */
  public String volumeOf(String claim) {
    PersistentVolumeClaim c = claim(claim);
    if (c == null || c.getSpec().getVolumeName() == null) {
      return null;
    }
    var pv = sim.kube.persistentVolumes().withName(c.getSpec().getVolumeName()).get();
    return pv == null || pv.getSpec().getCsi() == null
        ? null
        : pv.getSpec().getCsi().getVolumeHandle();
  }

  /** The zone a PV's nodeAffinity pins it to (as the scheduler reads it). */
  public static String zoneOfPv(io.fabric8.kubernetes.api.model.PersistentVolume pv) {
    return K.pvZone(pv);
  }

  /** The StatefulSet template's required zone requirements, as {@code "NotIn [us-east-1b]"}. */
  public static List<String> zoneRequirements(StatefulSet s) {
    var affinity = s.getSpec().getTemplate().getSpec().getAffinity();
    if (affinity == null
        || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return List.of();
    }
    return affinity
        .getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms()
        .stream()
        .flatMap(t -> t.getMatchExpressions().stream())
        .filter(e -> K.ZONE.equals(e.getKey()))
        .map(e -> e.getOperator() + " " + e.getValues())
        .toList();
  }

  /** The zone's instances are stopped (AZ power loss); its nodes stop heartbeating. */
  public void loseZone(String zone) {
    List<String> ids = instancesOf(zone);
    sim.ec2.stopInstances(r -> r.instanceIds(ids).force(true));
    sim.instancesChanged();
    setReady(zone, false);
    sim.note("WORLD", "zone " + zone + " lost: instances " + ids + " stopped, nodes NotReady");
  }

  /** The zone is cut off: its instances run (MySQL keeps writing), its nodes look NotReady. */
  public void partitionZone(String zone) {
    for (Node n : nodesOf(zone)) {
      sim.partitioned.add(n.getMetadata().getName());
    }
    setReady(zone, false);
    sim.note("WORLD", "zone " + zone + " partitioned: instances run, nodes NotReady");
  }

  /**
   * The zone's nodes hang: their instances still run as far as EC2 tells (so zoneguard cannot prove
   * them down), but kubelets and containers are dead, so nothing writes there any more.
   */
  public void hangZone(String zone) {
    for (Node n : nodesOf(zone)) {
      sim.hung.add(n.getMetadata().getName());
    }
    setReady(zone, false);
    sim.note("WORLD", "zone " + zone + " hung: instances run in EC2, kubelets and MySQL dead");
  }

  /** The zone is back: instances started again, partitions and hangs healed, nodes Ready. */
  public void recoverZone(String zone) {
    List<String> stopped = new ArrayList<>();
    for (var r : sim.ec2.describeInstances(x -> x.instanceIds(instancesOf(zone))).reservations()) {
      for (Instance i : r.instances()) {
        if (!"running".equals(i.state().nameAsString())) {
          stopped.add(i.instanceId());
        }
      }
    }
    if (!stopped.isEmpty()) {
      sim.ec2.startInstances(r -> r.instanceIds(stopped));
      sim.instancesChanged();
    }
    for (Node n : nodesOf(zone)) {
      sim.partitioned.remove(n.getMetadata().getName());
      sim.hung.remove(n.getMetadata().getName());
    }
    setReady(zone, true);
    sim.note("WORLD", "zone " + zone + " recovered");
  }

  private List<Node> nodesOf(String zone) {
    return sim.kube.nodes().withLabel(K.ZONE, zone).list().getItems();
  }

  public List<String> instancesOf(String zone) {
    return nodesOf(zone).stream().map(Sim::instanceId).toList();
  }

  private void setReady(String zone, boolean ready) {
    for (Node n : nodesOf(zone)) {
      n.getStatus().setConditions(List.of(readyCondition(ready)));
      sim.kube.resource(n).updateStatus();
    }
  }
}
