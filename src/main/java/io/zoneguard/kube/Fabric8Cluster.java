package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvShape;
import io.zoneguard.domain.PvSource;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.PvcRef;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.Zone;
import io.zoneguard.port.Cluster;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link Cluster} on the Kubernetes API through fabric8; translates model types at the boundary.
 */
public final class Fabric8Cluster implements Cluster {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(Fabric8Cluster.class);
  private final KubernetesClient client;
  private final ClaimOperator claims;

  public Fabric8Cluster(KubernetesClient client) {
    this.client = client;
    this.claims = new ClaimOperator(client);
  }

  @Override
  public boolean namespaceExists(String namespace) {
    try {
      return client.namespaces().withName(namespace).get() != null;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        // Not allowed to read namespaces: cannot tell, so let the namespaced calls speak.
        return true;
      }
      throw KubeErrors.translate("get namespace " + namespace, e);
    }
  }

  @Override
  public Optional<StatefulSetFacts> statefulSet(String namespace, String name) {
    return Optional.ofNullable(
            call(
                "get statefulset " + namespace + "/" + name,
                () -> client.apps().statefulSets().inNamespace(namespace).withName(name).get()))
        .map(Fabric8Cluster::toFacts);
  }

  @Override
  public List<StatefulSetFacts> statefulSets(String namespace) {
    return call(
            "list statefulsets in " + namespace,
            () -> client.apps().statefulSets().inNamespace(namespace).list().getItems())
        .stream()
        .map(Fabric8Cluster::toFacts)
        .toList();
  }

  @Override
  public List<PvcFacts> pvcs(String namespace) {
    return claims.list(namespace);
  }

  @Override
  public Optional<PvFacts> pv(String name) {
    return Optional.ofNullable(
            call(
                "get persistentvolume " + name,
                () -> client.persistentVolumes().withName(name).get()))
        .map(Fabric8Cluster::toFacts);
  }

  @Override
  public List<NodeFacts> nodes() {
    return call("list nodes", () -> client.nodes().list().getItems()).stream()
        .map(Fabric8Cluster::toFacts)
        .toList();
  }

  @Override
  public List<PodFacts> pods(String namespace) {
    return call(
            "list pods in " + namespace,
            () -> client.pods().inNamespace(namespace).list().getItems())
        .stream()
        .map(Fabric8Cluster::toFacts)
        .toList();
  }

  @Override
  public void recordEvent(
      String namespace, String statefulSet, boolean warning, String reason, String message) {
    try {
      var sts = client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get();
      if (sts == null) {
        return;
      }
      String now = java.time.Instant.now().toString();
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new io.fabric8.kubernetes.api.model.EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(statefulSet + ".zoneguard.")
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("apps/v1")
                  .withKind("StatefulSet")
                  .withName(statefulSet)
                  .withNamespace(namespace)
                  .withUid(sts.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(warning ? "Warning" : "Normal")
                  .withReason(reason)
                  .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("zoneguard")
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} on {}/{}: {}", reason, namespace, statefulSet, e.getMessage());
    }
  }

  @Override
  public Optional<io.zoneguard.domain.Secret> secretValue(
      String namespace, String secret, String key) {
    var s =
        call(
            "get secret " + namespace + "/" + secret,
            () -> client.secrets().inNamespace(namespace).withName(secret).get());
    if (s == null) {
      return Optional.empty();
    }
    String b64 = s.getData() == null ? null : s.getData().get(key);
    if (b64 != null) {
      return Optional.of(
          io.zoneguard.domain.Secret.of(
              new String(
                  java.util.Base64.getDecoder().decode(b64),
                  java.nio.charset.StandardCharsets.UTF_8)));
    }
    String plain = s.getStringData() == null ? null : s.getStringData().get(key);
    return Optional.ofNullable(plain).map(io.zoneguard.domain.Secret::of);
  }

  @Override
  public void cordon(String node) {
    editNode(
        "cordon node " + node,
        node,
        n -> {
          n.getSpec().setUnschedulable(true);
          return n;
        });
  }

  @Override
  public void taintOutOfService(String node, boolean confirmedDown) {
    editNode(
        "taint node " + node,
        node,
        n -> {
          if (toFacts(n).ready() && !confirmedDown) {
            throw io.zoneguard.domain.ZoneguardException.unsafe(
                "node "
                    + node
                    + " is Ready: refusing the out-of-service taint (its pods may"
                    + " still run; confirm the node is down)");
          }
          List<Taint> taints =
              n.getSpec().getTaints() == null
                  ? new java.util.ArrayList<>()
                  : new java.util.ArrayList<>(n.getSpec().getTaints());
          if (taints.stream().noneMatch(t -> Keys.OUT_OF_SERVICE_TAINT.equals(t.getKey()))) {
            taints.add(
                new io.fabric8.kubernetes.api.model.TaintBuilder()
                    .withKey(Keys.OUT_OF_SERVICE_TAINT)
                    .withValue("nodeshutdown")
                    .withEffect("NoExecute")
                    .build());
          }
          n.getSpec().setTaints(taints);
          return n;
        });
  }

  @Override
  public void unfence(String node) {
    editNode(
        "unfence node " + node,
        node,
        n -> {
          if (!toFacts(n).ready()) {
            throw io.zoneguard.domain.ZoneguardException.unsafe(
                "node " + node + " is not Ready: it stays cordoned and tainted");
          }
          n.getSpec().setUnschedulable(null);
          if (n.getSpec().getTaints() != null) {
            n.getSpec()
                .setTaints(
                    n.getSpec().getTaints().stream()
                        .filter(t -> !Keys.OUT_OF_SERVICE_TAINT.equals(t.getKey()))
                        .toList());
          }
          return n;
        });
  }

  private void editNode(
      String operation, String node, java.util.function.UnaryOperator<Node> change) {
    call(
        operation,
        () ->
            client
                .nodes()
                .withName(node)
                .edit(
                    n -> {
                      if (n.getSpec() == null) {
                        // a Node without spec is legal JSON: edit it as an empty one
                        n.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
                      }
                      return change.apply(n);
                    }));
  }

  @Override
  public void setReclaimPolicy(String pv, String policy) {
    call(
        "set reclaim policy of persistentvolume " + pv,
        () ->
            client
                .persistentVolumes()
                .withName(pv)
                .edit(
                    p -> {
                      Kube.required(p.getSpec(), "persistentvolume " + pv, "spec")
                          .setPersistentVolumeReclaimPolicy(policy);
                      return p;
                    }));
  }

  @Override
  public boolean replaceAnnotation(
      String namespace, String statefulSet, String key, String expected, String value) {
    StatefulSet s = call("get statefulset", () -> statefulSets(namespace, statefulSet).get());
    if (s == null) {
      throw io.zoneguard.domain.ZoneguardException.statefulSetNotFound(namespace, statefulSet);
    }
    Map<String, String> annotations =
        s.getMetadata().getAnnotations() == null
            ? new java.util.HashMap<>()
            : new java.util.HashMap<>(s.getMetadata().getAnnotations());
    if (!java.util.Objects.equals(annotations.get(key), expected)) {
      return false;
    }
    if (value == null) {
      annotations.remove(key);
    } else {
      annotations.put(key, value);
    }
    s.getMetadata().setAnnotations(annotations);
    try {
      // update() sends the resourceVersion read above: a concurrent writer makes it fail (409)
      client.resource(s).update();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw KubeErrors.translate("annotate statefulset " + namespace + "/" + statefulSet, e);
    }
  }

  private io.fabric8.kubernetes.client.dsl.RollableScalableResource<StatefulSet> statefulSets(
      String namespace, String name) {
    return client.apps().statefulSets().inNamespace(namespace).withName(name);
  }

  @Override
  public ClaimDeletion deleteClaim(String namespace, String name, String uid) {
    return claims.delete(namespace, name, uid);
  }

  @Override
  public boolean holdClaim(String namespace, String name, String uid, boolean held) {
    return claims.hold(namespace, name, uid, held);
  }

  @Override
  public boolean createClaim(
      String namespace,
      String failoverId,
      io.zoneguard.domain.FailoverPlan.PlannedVolume plan,
      String volumeMode) {
    return claims.create(namespace, failoverId, plan, volumeMode);
  }

  @Override
  public void createPv(
      String namespace,
      String failoverId,
      io.zoneguard.domain.FailoverPlan.PlannedVolume plan,
      String volumeId,
      PvShape shape) {
    var pv = PvFactory.pv(namespace, failoverId, plan, volumeId, plan.accessModes(), shape);
    var existing =
        call("get pv", () -> client.persistentVolumes().withName(pv.getMetadata().getName()).get());
    if (existing == null) {
      call(
          "create persistentvolume " + pv.getMetadata().getName(),
          () -> client.resource(pv).create());
    } else if (existing.getSpec() == null
        || existing.getSpec().getCsi() == null
        || !volumeId.equals(existing.getSpec().getCsi().getVolumeHandle())) {
      throw io.zoneguard.domain.ZoneguardException.unsafe(
          "persistentvolume "
              + pv.getMetadata().getName()
              + " exists but is not over "
              + volumeId
              + ": inspect it; zoneguard does not replace PVs");
    }
  }

  @Override
  public void createNamespace(String name, Map<String, String> labels) {
    if (call("get namespace " + name, () -> client.namespaces().withName(name).get()) != null) {
      return;
    }
    call(
        "create namespace " + name,
        () ->
            client
                .resource(
                    new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create());
  }

  @Override
  public void deleteDrillNamespace(String name) {
    var ns = call("get namespace " + name, () -> client.namespaces().withName(name).get());
    if (ns == null) {
      return;
    }
    var labels = ns.getMetadata().getLabels();
    if (!name.startsWith(Keys.DRILL_NAMESPACE_PREFIX)
        || labels == null
        || !labels.containsKey(Keys.TAG_DRILL_ID)) {
      throw io.zoneguard.domain.ZoneguardException.unsafe(
          "refusing to delete namespace " + name + ": it is not a zoneguard drill namespace");
    }
    call("delete namespace " + name, () -> client.namespaces().withName(name).delete());
  }

  @Override
  public void deleteDrillPv(String name) {
    var pv = call("get pv " + name, () -> client.persistentVolumes().withName(name).get());
    if (pv == null) {
      return;
    }
    var labels = pv.getMetadata().getLabels();
    var claim = pv.getSpec().getClaimRef();
    if (labels == null
        || !labels.containsKey(Keys.TAG_DRILL_ID)
        || claim == null
        || !claim.getNamespace().startsWith(Keys.DRILL_NAMESPACE_PREFIX)) {
      throw io.zoneguard.domain.ZoneguardException.unsafe(
          "refusing to delete persistentvolume " + name + ": it is not a zoneguard drill PV");
    }
    call(
        "delete persistentvolume " + name,
        () -> client.persistentVolumes().withName(name).delete());
  }

  @Override
  public List<String> pvsLabelled(String key, String value) {
    return call(
        "list persistentvolumes",
        () ->
            client.persistentVolumes().withLabel(key, value).list().getItems().stream()
                .map(p -> p.getMetadata().getName())
                .toList());
  }

  @Override
  public void deletePod(String namespace, String pod) {
    call(
        "delete pod " + namespace + "/" + pod,
        () -> client.pods().inNamespace(namespace).withName(pod).delete());
  }

  private static <T> T call(String operation, Supplier<T> call) {
    return Kube.call(operation, call);
  }

  static StatefulSetFacts toFacts(StatefulSet s) {
    var meta = Kube.required(s.getMetadata(), "statefulset", "metadata");
    var spec =
        Kube.required(
            s.getSpec(), "statefulset " + meta.getNamespace() + "/" + meta.getName(), "spec");
    List<String> templates =
        spec.getVolumeClaimTemplates() == null
            ? List.of()
            : spec.getVolumeClaimTemplates().stream()
                .map(t -> t.getMetadata() == null ? null : t.getMetadata().getName())
                .filter(Objects::nonNull)
                .toList();
    return new StatefulSetFacts(
        s.getMetadata().getNamespace(),
        s.getMetadata().getName(),
        spec.getReplicas() == null ? 1 : spec.getReplicas(),
        s.getStatus() == null || s.getStatus().getReadyReplicas() == null
            ? 0
            : s.getStatus().getReadyReplicas(),
        spec.getServiceName(),
        templates,
        spec.getPodManagementPolicy() == null ? "OrderedReady" : spec.getPodManagementPolicy(),
        s.getMetadata().getLabels(),
        s.getMetadata().getAnnotations());
  }

  static PvcFacts toFacts(PersistentVolumeClaim c) {
    return ClaimOperator.toFacts(c);
  }

  static PvFacts toFacts(PersistentVolume pv) {
    var meta = Kube.required(pv.getMetadata(), "persistentvolume", "metadata");
    PersistentVolumeSpec spec =
        Kube.required(pv.getSpec(), "persistentvolume " + meta.getName(), "spec");
    PvcRef claim =
        spec.getClaimRef() == null
            ? null
            : new PvcRef(spec.getClaimRef().getNamespace(), spec.getClaimRef().getName());
    Quantity storage = spec.getCapacity() == null ? null : spec.getCapacity().get("storage");
    return new PvFacts(
        meta.getName(),
        pv.getStatus() == null ? null : pv.getStatus().getPhase(),
        spec.getStorageClassName(),
        storage == null ? null : storage.toString(),
        spec.getAccessModes(),
        spec.getPersistentVolumeReclaimPolicy(),
        claim,
        source(spec),
        zoneOf(pv),
        spec.getClaimRef() == null ? null : spec.getClaimRef().getUid(),
        shape(spec));
  }

  /** How the PV presents its volume; what a replacement must keep (issue 11, defect 8). */
  static PvShape shape(PersistentVolumeSpec spec) {
    var csi = spec.getCsi();
    String fsType =
        csi != null
            ? csi.getFsType()
            : spec.getAwsElasticBlockStore() == null
                ? null
                : spec.getAwsElasticBlockStore().getFsType();
    return new PvShape(
        spec.getVolumeMode(),
        fsType,
        spec.getMountOptions(),
        csi == null ? null : csi.getVolumeAttributes());
  }

  static PvSource source(PersistentVolumeSpec spec) {
    if (spec.getCsi() != null) {
      String driver = spec.getCsi().getDriver();
      return Keys.EBS_CSI_DRIVER.equals(driver)
          ? new PvSource.Ebs(spec.getCsi().getVolumeHandle(), spec.getCsi().getFsType(), driver)
          : new PvSource.Other("csi:" + driver);
    }
    if (spec.getAwsElasticBlockStore() != null) {
      // In-tree ids may be "aws://us-east-1a/vol-0abc": the volume id is the last segment.
      String id =
          Kube.required(
              spec.getAwsElasticBlockStore().getVolumeID(),
              "an in-tree EBS persistentvolume",
              "volumeID");
      return new PvSource.Ebs(
          id.substring(id.lastIndexOf('/') + 1),
          spec.getAwsElasticBlockStore().getFsType(),
          Keys.EBS_IN_TREE);
    }
    if (spec.getLocal() != null) {
      return new PvSource.Other("local");
    }
    if (spec.getHostPath() != null) {
      return new PvSource.Other("hostPath");
    }
    if (spec.getNfs() != null) {
      return new PvSource.Other("nfs");
    }
    return new PvSource.Other("unknown");
  }

  static Zone zoneOf(PersistentVolume pv) {
    var affinity = pv.getSpec() == null ? null : pv.getSpec().getNodeAffinity();
    if (affinity != null && affinity.getRequired() != null) {
      var terms = affinity.getRequired().getNodeSelectorTerms();
      for (NodeSelectorTerm term : terms == null ? List.<NodeSelectorTerm>of() : terms) {
        if (term == null || term.getMatchExpressions() == null) {
          continue;
        }
        for (NodeSelectorRequirement r : term.getMatchExpressions()) {
          if (Keys.PV_ZONE_KEYS.contains(r.getKey())
              && "In".equals(r.getOperator())
              && r.getValues() != null
              && r.getValues().size() == 1) {
            return Zone.of(r.getValues().get(0));
          }
        }
      }
    }
    Map<String, String> labels = pv.getMetadata() == null ? null : pv.getMetadata().getLabels();
    if (labels != null) {
      for (String key : Keys.PV_ZONE_KEYS) {
        if (labels.containsKey(key)) {
          return Zone.of(labels.get(key));
        }
      }
    }
    return null;
  }

  static NodeFacts toFacts(Node n) {
    var meta = Kube.required(n.getMetadata(), "node", "metadata");
    Map<String, String> labels = meta.getLabels();
    String zone = labels == null ? null : labels.get(Keys.ZONE_LABEL);
    boolean ready =
        n.getStatus() != null
            && n.getStatus().getConditions() != null
            && n.getStatus().getConditions().stream()
                .anyMatch(
                    c -> c != null && "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    List<String> taints =
        n.getSpec() == null || n.getSpec().getTaints() == null
            ? List.of()
            : n.getSpec().getTaints().stream().filter(Objects::nonNull).map(Taint::getKey).toList();
    return new NodeFacts(
        meta.getName(),
        zone == null ? null : Zone.of(zone),
        ready,
        n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable()),
        taints,
        n.getSpec() == null ? null : n.getSpec().getProviderID());
  }

  static PodFacts toFacts(Pod p) {
    var meta = Kube.required(p.getMetadata(), "pod", "metadata");
    boolean ready =
        p.getStatus() != null
            && p.getStatus().getConditions() != null
            && p.getStatus().getConditions().stream()
                .anyMatch(
                    c -> c != null && "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    var spec = p.getSpec();
    List<String> claims =
        spec == null || spec.getVolumes() == null
            ? List.of()
            : spec.getVolumes().stream()
                .filter(Objects::nonNull)
                .map(Volume::getPersistentVolumeClaim)
                .filter(Objects::nonNull)
                .map(c -> c.getClaimName())
                .filter(Objects::nonNull)
                .toList();
    return new PodFacts(
        meta.getNamespace(),
        meta.getName(),
        spec == null ? null : spec.getNodeName(),
        p.getStatus() == null ? null : p.getStatus().getPhase(),
        ready,
        meta.getDeletionTimestamp() != null,
        claims,
        Kube.instant(meta.getCreationTimestamp()));
  }
}
