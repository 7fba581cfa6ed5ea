package io.zoneguard.kube;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.Keys;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvShape;
import io.zoneguard.domain.PvSource;
import io.zoneguard.domain.PvcRef;
import io.zoneguard.domain.Zone;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.PersistentVolumes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link PersistentVolumes} through fabric8; the PVs it creates are built by {@link PvFactory}. */
public final class Fabric8PersistentVolumes implements PersistentVolumes {
  private final KubernetesClient client;

  public Fabric8PersistentVolumes(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<PvFacts> get(String name) {
    return Optional.ofNullable(read(name)).map(Fabric8PersistentVolumes::toFacts);
  }

  @Override
  public List<String> namesLabelled(String key, String value) {
    return Kube.call(
        "list persistentvolumes",
        () ->
            client.persistentVolumes().withLabel(key, value).list().getItems().stream()
                .map(p -> p.getMetadata().getName())
                .toList());
  }

  @Override
  public boolean create(
      String namespace, String failoverId, PlannedVolume plan, String volumeId, PvShape shape) {
    var pv = PvFactory.pv(namespace, failoverId, plan, volumeId, plan.accessModes(), shape);
    String name = pv.getMetadata().getName();
    if (read(name) != null) {
      return false;
    }
    try {
      client.resource(pv).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false; // created meanwhile (a parallel run): the caller checks what it is over
      }
      throw KubeErrors.translate("create persistentvolume " + name, e);
    }
  }

  @Override
  public void setReclaimPolicy(String pv, String policy) {
    Kube.call(
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

  /** The guard stays here: the port offers no delete a caller's slip could aim at a user's PV. */
  @Override
  public void deleteDrillPv(String name) {
    var pv = read(name);
    if (pv == null) {
      return;
    }
    var labels = pv.getMetadata() == null ? null : pv.getMetadata().getLabels();
    var claim = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    if (labels == null
        || !labels.containsKey(Keys.TAG_DRILL_ID)
        || claim == null
        || claim.getNamespace() == null
        || !claim.getNamespace().startsWith(Keys.DRILL_NAMESPACE_PREFIX)) {
      throw ZoneguardException.unsafe(
          "refusing to delete persistentvolume " + name + ": it is not a zoneguard drill PV");
    }
    Kube.call(
        "delete persistentvolume " + name,
        () -> client.persistentVolumes().withName(name).delete());
  }

  private PersistentVolume read(String name) {
    return Kube.call(
        "get persistentvolume " + name, () -> client.persistentVolumes().withName(name).get());
  }

  static PvFacts toFacts(PersistentVolume pv) {
    var meta = Kube.required(pv.getMetadata(), "persistentvolume", "metadata");
    PersistentVolumeSpec spec =
        Kube.required(pv.getSpec(), "persistentvolume " + meta.getName(), "spec");
    var ref = spec.getClaimRef();
    PvcRef claim = ref == null ? null : new PvcRef(ref.getNamespace(), ref.getName());
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
        ref == null ? null : ref.getUid(),
        shape(spec));
  }

  /** How the PV presents its volume; what a replacement must keep (issue 11, defect 8). */
  static PvShape shape(PersistentVolumeSpec spec) {
    var csi = spec.getCsi();
    var inTree = spec.getAwsElasticBlockStore();
    String fsType = csi != null ? csi.getFsType() : inTree == null ? null : inTree.getFsType();
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
}
