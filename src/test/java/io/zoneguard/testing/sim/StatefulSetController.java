package io.zoneguard.testing.sim;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The StatefulSet controller, as {@code pkg/controller/statefulset/stateful_set_control.go} ({@code
 * updateStatefulSet}, {@code processReplica}, the RollingUpdate loop) and {@code
 * stateful_pod_control.go} ({@code CreateStatefulPod}, {@code createPersistentVolumeClaims}, {@code
 * createMissingPersistentVolumeClaims}, v1.27+) do it:
 *
 * <ul>
 *   <li>a missing pod is recreated; first every missing claim is created from {@code
 *       volumeClaimTemplates}; a claim with a deletionTimestamp is an error ("pvc %s is being
 *       deleted") and no pod is created;
 *   <li>a Pending (unscheduled) pod gets its missing claims created too (PR #113270);
 *   <li>OrderedReady: stop at the first pod that is missing, terminating or not Running and Ready;
 *       Parallel: go on;
 *   <li>RollingUpdate: from the highest ordinal down to {@code partition}, delete the first pod not
 *       on the update revision, one at a time, waiting for each to be healthy; OnDelete: only pods
 *       recreated after a deletion get the new revision;
 *   <li>status: replicas, readyReplicas (terminating pods that are still Ready count, as {@code
 *       isRunningAndReady} does), current/updated replicas and revisions.
 * </ul>
 */
final class StatefulSetController implements Sim.Controller {
  static final String REVISION = "controller-revision-hash";
  private final Sim sim;

  StatefulSetController(Sim sim) {
    this.sim = sim;
  }

  @Override
  public String name() {
    return "STS";
  }

  @Override
  public void reconcile() {
    for (StatefulSet s : sim.kube.apps().statefulSets().inAnyNamespace().list().getItems()) {
      if (!K.terminating(s)) {
        sync(s);
      }
    }
  }

  /** The revision name of a template: {@code <set>-<hash>} (ControllerRevision naming). */
  String revision(StatefulSet s, PodTemplateSpec template) {
    String json = Serialization.asJson(template);
    String hash;
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      hash = HexFormat.of().formatHex(d).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String name = s.getMetadata().getName() + "-" + hash;
    sim.revisions.putIfAbsent(name, json);
    return name;
  }

  private void sync(StatefulSet s) {
    String ns = s.getMetadata().getNamespace();
    String set = s.getMetadata().getName();
    int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    String updateRev = revision(s, s.getSpec().getTemplate());
    StatefulSetStatus st = s.getStatus();
    String currentRev =
        st == null || st.getCurrentRevision() == null ? updateRev : st.getCurrentRevision();
    boolean monotonic = !"Parallel".equals(s.getSpec().getPodManagementPolicy());
    var strategy = s.getSpec().getUpdateStrategy();
    boolean onDelete = strategy != null && "OnDelete".equals(strategy.getType());
    int partition =
        strategy != null
                && strategy.getRollingUpdate() != null
                && strategy.getRollingUpdate().getPartition() != null
            ? strategy.getRollingUpdate().getPartition()
            : 0;

    Map<Integer, Pod> pods = new TreeMap<>();
    for (Pod p : sim.kube.pods().inNamespace(ns).list().getItems()) {
      Integer ord = ordinal(set, p);
      if (ord != null && ownedBy(p, s)) {
        pods.put(ord, p);
      }
    }
    sync:
    {
      for (int i = 0; i < replicas; i++) {
        Pod p = pods.get(i);
        if (p == null) {
          if (!createClaims(s, i)) {
            if (monotonic) {
              break sync;
            }
            continue;
          }
          String rev = !onDelete && i < partition ? currentRev : updateRev;
          createPod(s, i, rev);
          if (monotonic) {
            break sync;
          }
          continue;
        }
        if (K.terminating(p)) {
          if (monotonic) {
            break sync; // "waiting for Pod to Terminate prior to scale up"
          }
          continue;
        }
        if (p.getSpec().getNodeName() == null) {
          createClaims(s, i); // createMissingPersistentVolumeClaims
        }
        if (monotonic && !K.runningAndReady(p)) {
          break sync;
        }
      }
      if (!onDelete) {
        for (int target = replicas - 1; target >= partition; target--) {
          Pod p = pods.get(target);
          if (p == null) {
            break;
          }
          if (!updateRev.equals(K.labels(p).get(REVISION)) && !K.terminating(p)) {
            sim.note(name(), "rolling update: delete " + K.key(p) + " for " + updateRev);
            sim.kube.pods().inNamespace(ns).withName(p.getMetadata().getName()).delete();
            break;
          }
          if (!K.runningAndReady(p) || K.terminating(p)) {
            break;
          }
        }
      }
    }
    writeStatus(s, replicas, updateRev, currentRev, onDelete);
  }

  private void writeStatus(
      StatefulSet s, int replicas, String updateRev, String currentRev, boolean onDelete) {
    String ns = s.getMetadata().getNamespace();
    String set = s.getMetadata().getName();
    int count = 0;
    int ready = 0;
    int current = 0;
    int updated = 0;
    for (Pod p : sim.kube.pods().inNamespace(ns).list().getItems()) {
      if (ordinal(set, p) == null || !ownedBy(p, s)) {
        continue;
      }
      count++;
      if (K.runningAndReady(p)) {
        ready++;
      }
      if (!K.terminating(p)) {
        String rev = K.labels(p).get(REVISION);
        current += currentRev.equals(rev) ? 1 : 0;
        updated += updateRev.equals(rev) ? 1 : 0;
      }
    }
    String newCurrent = updated == replicas && ready >= replicas ? updateRev : currentRev;
    StatefulSetStatus old = s.getStatus() == null ? new StatefulSetStatus() : s.getStatus();
    StatefulSetStatus want = K.copy(old, StatefulSetStatus.class);
    want.setReplicas(count);
    want.setReadyReplicas(ready);
    want.setAvailableReplicas(ready);
    want.setCurrentReplicas(newCurrent.equals(updateRev) ? updated : current);
    want.setUpdatedReplicas(updated);
    want.setCurrentRevision(newCurrent);
    want.setUpdateRevision(updateRev);
    want.setObservedGeneration(s.getMetadata().getGeneration());
    if (!want.equals(old)) {
      sim.kube
          .apps()
          .statefulSets()
          .inNamespace(ns)
          .withName(set)
          .editStatus(
              x -> {
                x.setStatus(want);
                return x;
              });
    }
  }

  static Integer ordinal(String set, Pod p) {
    String n = p.getMetadata().getName();
    if (!n.startsWith(set + "-")) {
      return null;
    }
    try {
      return Integer.parseInt(n.substring(set.length() + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Pods of the set: owned by it, or (adopted upstream by ClaimPods) selected by it. */
  private static boolean ownedBy(Pod p, StatefulSet s) {
    if (p.getMetadata().getOwnerReferences() != null
        && p.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> s.getMetadata().getUid().equals(o.getUid()))) {
      return true;
    }
    return K.selects(s.getSpec().getSelector(), K.labels(p));
  }

  /**
   * {@code createPersistentVolumeClaims}: creates each missing claim; false when one is being
   * deleted (then no pod may be created).
   */
  private boolean createClaims(StatefulSet s, int ordinal) {
    String ns = s.getMetadata().getNamespace();
    boolean ok = true;
    for (PersistentVolumeClaim t : templates(s)) {
      String name = claimName(s, t, ordinal);
      PersistentVolumeClaim c =
          sim.kube.persistentVolumeClaims().inNamespace(ns).withName(name).get();
      if (c == null) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (t.getMetadata().getLabels() != null) {
          labels.putAll(t.getMetadata().getLabels());
        }
        labels.putAll(s.getSpec().getSelector().getMatchLabels());
        PersistentVolumeClaim claim =
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(labels)
                .withAnnotations(t.getMetadata().getAnnotations())
                .endMetadata()
                .withSpec(
                    K.copy(
                        t.getSpec(),
                        io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec.class))
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build();
        sim.kube.resource(claim).create();
        sim.note(
            name(),
            "created claim "
                + ns
                + "/"
                + name
                + " from the template (EMPTY unless a"
                + " pre-bound PV matches)");
      } else if (K.terminating(c)) {
        sim.note(name(), "pvc " + name + " is being deleted: no pod for ordinal " + ordinal);
        ok = false;
      }
    }
    return ok;
  }

  static List<PersistentVolumeClaim> templates(StatefulSet s) {
    return s.getSpec().getVolumeClaimTemplates() == null
        ? List.of()
        : s.getSpec().getVolumeClaimTemplates();
  }

  static String claimName(StatefulSet s, PersistentVolumeClaim t, int ordinal) {
    return t.getMetadata().getName() + "-" + s.getMetadata().getName() + "-" + ordinal;
  }

  /** {@code newVersionedStatefulSetPod} from the revision's template, plus identity and storage. */
  private void createPod(StatefulSet s, int ordinal, String rev) {
    String json = sim.revisions.getOrDefault(rev, Serialization.asJson(s.getSpec().getTemplate()));
    PodTemplateSpec t = Serialization.unmarshal(json, PodTemplateSpec.class);
    String ns = s.getMetadata().getNamespace();
    String name = s.getMetadata().getName() + "-" + ordinal;
    Map<String, String> labels = new HashMap<>();
    if (t.getMetadata() != null && t.getMetadata().getLabels() != null) {
      labels.putAll(t.getMetadata().getLabels());
    }
    labels.put(REVISION, rev);
    labels.put("statefulset.kubernetes.io/pod-name", name);
    labels.put("apps.kubernetes.io/pod-index", "" + ordinal);
    PodSpec spec = t.getSpec();
    List<Volume> volumes = new ArrayList<>();
    List<String> templateNames = new ArrayList<>();
    for (PersistentVolumeClaim c : templates(s)) {
      templateNames.add(c.getMetadata().getName());
      volumes.add(
          new VolumeBuilder()
              .withName(c.getMetadata().getName())
              .withNewPersistentVolumeClaim()
              .withClaimName(claimName(s, c, ordinal))
              .endPersistentVolumeClaim()
              .build());
    }
    if (spec.getVolumes() != null) {
      spec.getVolumes().stream()
          .filter(v -> !templateNames.contains(v.getName()))
          .forEach(volumes::add);
    }
    spec.setVolumes(volumes);
    spec.setHostname(name);
    spec.setSubdomain(s.getSpec().getServiceName());
    // DefaultTolerationSeconds admission: 300 s for not-ready and unreachable
    List<io.fabric8.kubernetes.api.model.Toleration> tol =
        spec.getTolerations() == null ? new ArrayList<>() : new ArrayList<>(spec.getTolerations());
    for (String key : List.of("node.kubernetes.io/not-ready", K.UNREACHABLE)) {
      tol.add(
          new TolerationBuilder()
              .withKey(key)
              .withOperator("Exists")
              .withEffect("NoExecute")
              .withTolerationSeconds(300L)
              .build());
    }
    spec.setTolerations(tol);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(labels)
            .withAnnotations(t.getMetadata() == null ? null : t.getMetadata().getAnnotations())
            .withFinalizers(K.GRACEFUL)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("apps/v1")
                    .withKind("StatefulSet")
                    .withName(s.getMetadata().getName())
                    .withUid(s.getMetadata().getUid())
                    .withController(true)
                    .build())
            .endMetadata()
            .withSpec(spec)
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    sim.kube.resource(pod).create();
    sim.note(name(), "created pod " + ns + "/" + name + " (" + rev + ")");
  }
}
