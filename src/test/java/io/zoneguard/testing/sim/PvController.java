package io.zoneguard.testing.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The PV binder ({@code pkg/controller/volume/persistentvolume/pv_controller.go} {@code syncClaim},
 * {@code syncUnboundClaim}, {@code syncBoundClaim}, {@code syncVolume}; matching as {@code
 * FindMatchingVolume} in {@code component-helpers/storage/volume/pv_helpers.go}) plus the EBS CSI
 * external-provisioner (provision and delete):
 *
 * <ul>
 *   <li>claim with {@code volumeName}: an unclaimed PV that satisfies the claim, or a PV pre-bound
 *       to this claim (claimRef without UID or with its UID), is bound; a PV bound to another claim
 *       leaves the claim Pending;
 *   <li>claim without {@code volumeName}: a PV pre-bound to it that satisfies it (capacity ≥
 *       request, equal volumeMode, access modes a superset, same class) is bound, even under
 *       WaitForFirstConsumer; otherwise, for WaitForFirstConsumer, wait for the scheduler's {@code
 *       volume.kubernetes.io/selected-node} and then provision an EMPTY EBS volume (moto) in that
 *       node's zone with a PV {@code pvc-<claim uid>} (tag {@code zoneguard-sim/empty=true});
 *   <li>a PV whose claimRef UID no longer names an existing claim becomes Released; Released with
 *       reclaim policy Delete on a provisioned PV deletes the EBS volume, then the PV.
 * </ul>
 */
final class PvController implements Sim.Controller {
  static final String EMPTY_TAG = "zoneguard-sim/empty";
  private final Sim sim;

  PvController(Sim sim) {
    this.sim = sim;
  }

  @Override
  public String name() {
    return "PV";
  }

  @Override
  public void reconcile() {
    Map<String, PersistentVolumeClaim> claims =
        sim.kube.persistentVolumeClaims().inAnyNamespace().list().getItems().stream()
            .collect(Collectors.toMap(K::key, c -> c));
    Map<String, StorageClass> classes =
        sim.kube.storage().v1().storageClasses().list().getItems().stream()
            .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
    List<PersistentVolume> pvs = sim.kube.persistentVolumes().list().getItems();
    for (PersistentVolume pv : pvs) {
      syncVolume(pv, claims);
    }
    pvs = sim.kube.persistentVolumes().list().getItems();
    for (PersistentVolumeClaim c : claims.values()) {
      if (!K.terminating(c)) {
        syncClaim(c, pvs, classes);
      }
    }
  }

  private void syncVolume(PersistentVolume pv, Map<String, PersistentVolumeClaim> claims) {
    var ref = pv.getSpec().getClaimRef();
    if (ref == null || ref.getUid() == null || ref.getUid().isEmpty()) {
      setPhase(pv, "Available");
      return;
    }
    PersistentVolumeClaim c = claims.get(ref.getNamespace() + "/" + ref.getName());
    if (c != null && ref.getUid().equals(c.getMetadata().getUid())) {
      setPhase(pv, "Bound");
      return;
    }
    if (!"Released".equals(phase(pv))) {
      sim.note(
          name(),
          "PV "
              + pv.getMetadata().getName()
              + " Released: its claim "
              + ref.getNamespace()
              + "/"
              + ref.getName()
              + " uid "
              + ref.getUid()
              + " is gone (reclaim "
              + pv.getSpec().getPersistentVolumeReclaimPolicy()
              + ")");
      setPhase(pv, "Released");
      if ("Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())
          && pv.getSpec().getCsi() != null) {
        sim.observer.releasedWithDelete(
            pv.getMetadata().getName(), pv.getSpec().getCsi().getVolumeHandle());
      }
      return;
    }
    if ("Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())
        && "ebs.csi.aws.com".equals(K.annotations(pv).get("pv.kubernetes.io/provisioned-by"))
        && !K.terminating(pv)) {
      String vol = pv.getSpec().getCsi() == null ? null : pv.getSpec().getCsi().getVolumeHandle();
      if (vol != null) {
        // fails while attached (VolumeInUse): retried next round, as the provisioner does
        sim.observer.volumeDeleting(vol, "the EBS CSI driver (Released PV with reclaim Delete)");
        sim.ec2.deleteVolume(r -> r.volumeId(vol));
        sim.note(
            name(), "DELETED EBS volume " + vol + " of Released PV " + pv.getMetadata().getName());
      }
      sim.kube.persistentVolumes().withName(pv.getMetadata().getName()).delete();
    }
  }

  private void syncClaim(
      PersistentVolumeClaim c, List<PersistentVolume> pvs, Map<String, StorageClass> classes) {
    String volumeName = c.getSpec().getVolumeName();
    if (volumeName != null && !volumeName.isEmpty()) {
      PersistentVolume pv =
          pvs.stream()
              .filter(p -> p.getMetadata().getName().equals(volumeName))
              .findFirst()
              .orElse(null);
      if (pv == null) {
        if ("Bound".equals(claimPhase(c))) {
          setClaimPhase(c, "Lost");
        }
        return;
      }
      var ref = pv.getSpec().getClaimRef();
      if (ref == null) {
        if (satisfies(pv, c)) {
          bind(pv, c);
        }
      } else if (namesClaim(pv, c)) {
        if (!"Bound".equals(claimPhase(c)) || !c.getMetadata().getUid().equals(ref.getUid())) {
          bind(pv, c);
        }
      }
      // else: bound to another claim; the claim stays Pending
      return;
    }
    PersistentVolume match =
        pvs.stream()
            .filter(p -> !K.terminating(p) && namesClaim(p, c) && satisfies(p, c))
            .findFirst()
            .orElse(null);
    if (match != null) {
      bind(match, c);
      return;
    }
    StorageClass sc = classes.get(c.getSpec().getStorageClassName());
    if (sc == null) {
      return;
    }
    boolean delayed = "WaitForFirstConsumer".equals(sc.getVolumeBindingMode());
    String nodeName = K.annotations(c).get(K.SELECTED_NODE);
    if (delayed && nodeName == null) {
      return; // WaitForFirstConsumer: the scheduler chooses
    }
    if (!delayed) {
      PersistentVolume free =
          pvs.stream()
              .filter(p -> p.getSpec().getClaimRef() == null && satisfies(p, c))
              .findFirst()
              .orElse(null);
      if (free != null) {
        bind(free, c);
        return;
      }
    }
    if (!"ebs.csi.aws.com".equals(sc.getProvisioner())) {
      return;
    }
    String pvName = "pvc-" + c.getMetadata().getUid();
    if (pvs.stream().anyMatch(p -> p.getMetadata().getName().equals(pvName))) {
      return; // provisioned already; the binder finishes next round
    }
    Node node = nodeName == null ? null : sim.kube.nodes().withName(nodeName).get();
    if (delayed && node == null) {
      return;
    }
    provision(c, sc, node == null ? "us-east-1a" : K.zone(node), pvName);
  }

  /**
   * The csi-provisioner's CreateVolume: a new, EMPTY gp3 volume, and a PV already claimed by this
   * claim's UID. Only the simulation creates volumes tagged {@code zoneguard-sim/empty}.
   */
  private void provision(PersistentVolumeClaim c, StorageClass sc, String zone, String pvName) {
    Quantity request = c.getSpec().getResources().getRequests().get("storage");
    int gib =
        K.bytes(request)
            .divide(BigDecimal.valueOf(1L << 30), 0, RoundingMode.CEILING)
            .max(BigDecimal.ONE)
            .intValue();
    Map<String, String> params = sc.getParameters() == null ? Map.of() : sc.getParameters();
    String volumeId =
        sim.ec2
            .createVolume(
                r ->
                    r.availabilityZone(zone)
                        .size(gib)
                        .volumeType(params.getOrDefault("type", "gp3"))
                        .encrypted("true".equals(params.get("encrypted")))
                        .tagSpecifications(
                            TagSpecification.builder()
                                .resourceType(ResourceType.VOLUME)
                                .tags(
                                    tag("CSIVolumeName", pvName),
                                    tag("ebs.csi.aws.com/cluster", "true"),
                                    tag(
                                        "kubernetes.io/created-for/pvc/name",
                                        c.getMetadata().getName()),
                                    tag(
                                        "kubernetes.io/created-for/pvc/namespace",
                                        c.getMetadata().getNamespace()),
                                    tag("kubernetes.io/created-for/pv/name", pvName),
                                    tag(EMPTY_TAG, "true"))
                                .build()))
            .volumeId();
    Map<String, String> attributes = new HashMap<>();
    attributes.put("storage.kubernetes.io/csiProvisionerIdentity", "sim-ebs.csi.aws.com");
    PersistentVolume pv =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(pvName)
            .withAnnotations(Map.of("pv.kubernetes.io/provisioned-by", "ebs.csi.aws.com"))
            .endMetadata()
            .withNewSpec()
            .withCapacity(Map.of("storage", new Quantity(gib + "Gi")))
            .withAccessModes(c.getSpec().getAccessModes())
            .withVolumeMode(
                c.getSpec().getVolumeMode() == null ? "Filesystem" : c.getSpec().getVolumeMode())
            .withStorageClassName(sc.getMetadata().getName())
            .withPersistentVolumeReclaimPolicy(
                sc.getReclaimPolicy() == null ? "Delete" : sc.getReclaimPolicy())
            .withMountOptions(sc.getMountOptions())
            .withNewCsi()
            .withDriver("ebs.csi.aws.com")
            .withVolumeHandle(volumeId)
            .withFsType(params.getOrDefault("csi.storage.k8s.io/fstype", "ext4"))
            .withVolumeAttributes(attributes)
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
            .withClaimRef(
                new ObjectReferenceBuilder()
                    .withKind("PersistentVolumeClaim")
                    .withApiVersion("v1")
                    .withNamespace(c.getMetadata().getNamespace())
                    .withName(c.getMetadata().getName())
                    .withUid(c.getMetadata().getUid())
                    .build())
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    sim.kube.resource(pv).create();
    sim.note(
        name(),
        "PROVISIONED EMPTY volume "
            + volumeId
            + " in "
            + zone
            + " for "
            + K.key(c)
            + " (PV "
            + pvName
            + ")");
  }

  /** claimRef names this claim: namespace/name, and no UID or this claim's UID. */
  static boolean namesClaim(PersistentVolume pv, PersistentVolumeClaim c) {
    var ref = pv.getSpec().getClaimRef();
    return ref != null
        && c.getMetadata().getName().equals(ref.getName())
        && c.getMetadata().getNamespace().equals(ref.getNamespace())
        && (ref.getUid() == null
            || ref.getUid().isEmpty()
            || ref.getUid().equals(c.getMetadata().getUid()));
  }

  /** {@code checkVolumeSatisfyClaim}: capacity, class, volumeMode, access modes. */
  static boolean satisfies(PersistentVolume pv, PersistentVolumeClaim c) {
    Quantity want =
        c.getSpec().getResources() == null || c.getSpec().getResources().getRequests() == null
            ? null
            : c.getSpec().getResources().getRequests().get("storage");
    Quantity have =
        pv.getSpec().getCapacity() == null ? null : pv.getSpec().getCapacity().get("storage");
    if (K.bytes(have).compareTo(K.bytes(want)) < 0) {
      return false;
    }
    if (!Objects.equals(
        nullToEmpty(pv.getSpec().getStorageClassName()),
        nullToEmpty(c.getSpec().getStorageClassName()))) {
      return false;
    }
    String pvMode =
        pv.getSpec().getVolumeMode() == null ? "Filesystem" : pv.getSpec().getVolumeMode();
    String cMode = c.getSpec().getVolumeMode() == null ? "Filesystem" : c.getSpec().getVolumeMode();
    if (!pvMode.equals(cMode)) {
      return false;
    }
    List<String> have2 =
        pv.getSpec().getAccessModes() == null ? List.of() : pv.getSpec().getAccessModes();
    List<String> want2 =
        c.getSpec().getAccessModes() == null ? List.of() : c.getSpec().getAccessModes();
    return have2.containsAll(want2);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** {@code bindVolumeToClaim} then {@code bindClaimToVolume}: UID into claimRef, both Bound. */
  private void bind(PersistentVolume pv, PersistentVolumeClaim c) {
    String uid = c.getMetadata().getUid();
    sim.kube
        .persistentVolumes()
        .withName(pv.getMetadata().getName())
        .edit(
            x -> {
              if (x.getSpec().getClaimRef() == null) {
                x.getMetadata()
                    .setAnnotations(
                        withEntry(
                            x.getMetadata().getAnnotations(),
                            "pv.kubernetes.io/bound-by-controller",
                            "yes"));
                x.getSpec()
                    .setClaimRef(
                        new ObjectReferenceBuilder()
                            .withKind("PersistentVolumeClaim")
                            .withApiVersion("v1")
                            .withNamespace(c.getMetadata().getNamespace())
                            .withName(c.getMetadata().getName())
                            .build());
              }
              x.getSpec().getClaimRef().setUid(uid);
              return x;
            });
    sim.kube
        .persistentVolumes()
        .withName(pv.getMetadata().getName())
        .editStatus(
            x -> {
              x.setStatus(status("Bound"));
              return x;
            });
    var claim =
        sim.kube
            .persistentVolumeClaims()
            .inNamespace(c.getMetadata().getNamespace())
            .withName(c.getMetadata().getName());
    claim.edit(
        x -> {
          if (!uid.equals(x.getMetadata().getUid())) {
            throw new IllegalStateException("claim replaced while binding");
          }
          x.getSpec().setVolumeName(pv.getMetadata().getName());
          x.getMetadata()
              .setAnnotations(
                  withEntry(
                      x.getMetadata().getAnnotations(), "pv.kubernetes.io/bind-completed", "yes"));
          return x;
        });
    claim.editStatus(
        x -> {
          PersistentVolumeClaimStatus s = new PersistentVolumeClaimStatus();
          s.setPhase("Bound");
          s.setAccessModes(pv.getSpec().getAccessModes());
          s.setCapacity(pv.getSpec().getCapacity());
          x.setStatus(s);
          return x;
        });
    sim.note(
        name(), "bound " + K.key(c) + " (uid " + uid + ") to PV " + pv.getMetadata().getName());
  }

  private static Map<String, String> withEntry(Map<String, String> m, String k, String v) {
    Map<String, String> out = m == null ? new HashMap<>() : new HashMap<>(m);
    out.put(k, v);
    return out;
  }

  private static String phase(PersistentVolume pv) {
    return pv.getStatus() == null ? null : pv.getStatus().getPhase();
  }

  private static String claimPhase(PersistentVolumeClaim c) {
    return c.getStatus() == null ? null : c.getStatus().getPhase();
  }

  private void setPhase(PersistentVolume pv, String phase) {
    if (!phase.equals(phase(pv))) {
      sim.kube
          .persistentVolumes()
          .withName(pv.getMetadata().getName())
          .editStatus(
              x -> {
                x.setStatus(status(phase));
                return x;
              });
    }
  }

  private void setClaimPhase(PersistentVolumeClaim c, String phase) {
    sim.kube
        .persistentVolumeClaims()
        .inNamespace(c.getMetadata().getNamespace())
        .withName(c.getMetadata().getName())
        .editStatus(
            x -> {
              x.getStatus().setPhase(phase);
              return x;
            });
  }

  private static PersistentVolumeStatus status(String phase) {
    PersistentVolumeStatus s = new PersistentVolumeStatus();
    s.setPhase(phase);
    return s;
  }

  private static Tag tag(String k, String v) {
    return Tag.builder().key(k).value(v).build();
  }
}
