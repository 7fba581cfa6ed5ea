package io.zoneguard.testing.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.zoneguard.testing.FaultProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * Watches zoneguard's calls at the gate (after the controllers' rounds, just before the call is
 * forwarded, and after its answer) and records the facts the invariants judge: the state of each
 * volume a snapshot is started from (I3), finalizer removals and out-of-service taints and force
 * deletes against EC2 facts (I4), claim deletes without a UID precondition (I5), and every EBS
 * volume deleted by anyone with what it was (I2).
 */
final class CallObserver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CLAIM =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/persistentvolumeclaims/([^/?]+)$");
  private static final Pattern NODE = Pattern.compile("^/api/v1/nodes/([^/?]+)$");
  private static final Pattern POD = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)$");
  private static final Pattern VOLUME_ID = Pattern.compile("VolumeId(?:\\.\\d+)?=(vol-[0-9a-f]+)");

  /** A snapshot zoneguard started, and the source volume's EC2 state at that moment. */
  public record SnapshotStart(String phase, String volumeId, String state) {}

  /** A volume deleted, by whom, and where it came from (its snapshot, or none). */
  public record DeletedVolume(
      String volumeId, String by, String snapshotId, Map<String, String> tags) {}

  private final Sim sim;
  private final ThreadLocal<Object> pre = new ThreadLocal<>();
  final List<SnapshotStart> snapshotStarts = new CopyOnWriteArrayList<>();
  final List<DeletedVolume> deletedVolumes = new CopyOnWriteArrayList<>();
  final List<String[]> releasedWithDelete = new CopyOnWriteArrayList<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  final Map<String, String> claimUidsSeen = new ConcurrentHashMap<>();
  volatile String phase = "setup";
  volatile boolean nodesConfirmedDown;

  CallObserver(Sim sim) {
    this.sim = sim;
  }

  void before(FaultProxy.Seen s) {
    pre.remove();
    String path = s.uri().split("\\?", 2)[0];
    if ("CreateSnapshot".equals(s.action())) {
      Matcher m = VOLUME_ID.matcher(s.body());
      if (m.find()) {
        String vol = m.group(1);
        String state = describe(vol) == null ? "missing" : describe(vol).stateAsString();
        snapshotStarts.add(new SnapshotStart(phase, vol, state));
      }
      return;
    }
    if ("DeleteVolume".equals(s.action())) {
      Matcher m = VOLUME_ID.matcher(s.body());
      if (m.find()) {
        volumeDeleting(m.group(1), "zoneguard");
      }
      return;
    }
    Matcher claim = CLAIM.matcher(path);
    if (claim.find()) {
      PersistentVolumeClaim c =
          sim.kube
              .persistentVolumeClaims()
              .inNamespace(claim.group(1))
              .withName(claim.group(2))
              .get();
      if ("DELETE".equals(s.method())) {
        if (!s.body().replace(" ", "").contains("\"preconditions\":{")
            || !s.body().contains("\"uid\"")) {
          violations.add(
              "I5 claim "
                  + claim.group(1)
                  + "/"
                  + claim.group(2)
                  + " deleted without a UID precondition (body: "
                  + s.body()
                  + ")");
        }
        return;
      }
      if (c != null
          && ("PATCH".equals(s.method()) || "PUT".equals(s.method()))
          && K.hasFinalizer(c, K.PVC_PROTECTION)
          && removesPvcProtection(s.body(), c)) {
        var users =
            sim.kube.pods().inNamespace(claim.group(1)).list().getItems().stream()
                .filter(
                    p ->
                        p.getSpec().getNodeName() != null
                            && K.claimNames(p).contains(claim.group(2)))
                .map(
                    p ->
                        p.getMetadata().getName()
                            + (K.terminating(p) ? " (terminating)" : "")
                            + " on "
                            + p.getSpec().getNodeName())
                .toList();
        if (!users.isEmpty()) {
          violations.add(
              "I4 zoneguard removed pvc-protection from "
                  + claim.group(1)
                  + "/"
                  + claim.group(2)
                  + " while scheduled pods reference it: "
                  + users);
        }
      }
      return;
    }
    Matcher node = NODE.matcher(path);
    if (node.find()) {
      Node n = sim.kube.nodes().withName(node.group(1)).get();
      pre.set(n != null && K.hasTaint(n, K.OUT_OF_SERVICE));
      return;
    }
    Matcher pod = POD.matcher(path);
    if (pod.find() && "DELETE".equals(s.method())) {
      var p = sim.kube.pods().inNamespace(pod.group(1)).withName(pod.group(2)).get();
      pre.set(p == null ? "" : String.valueOf(p.getSpec().getNodeName()));
    }
  }

  void after(FaultProxy.Seen s, int status) {
    String path = s.uri().split("\\?", 2)[0];
    Matcher node = NODE.matcher(path);
    if (node.find() && Boolean.FALSE.equals(pre.get()) && status / 100 == 2) {
      Node n = sim.kube.nodes().withName(node.group(1)).get();
      if (n != null
          && K.hasTaint(n, K.OUT_OF_SERVICE)
          && sim.instanceRunningNow(n)
          && !nodesConfirmedDown) {
        violations.add(
            "I4 zoneguard put the out-of-service taint on "
                + node.group(1)
                + " whose EC2 instance "
                + Sim.instanceId(n)
                + " is running (not confirmed down)");
      }
    }
    Matcher pod = POD.matcher(path);
    if (pod.find()
        && "DELETE".equals(s.method())
        && status / 100 == 2
        && s.body().replace(" ", "").contains("\"gracePeriodSeconds\":0")
        && pre.get() instanceof String nodeName
        && !nodeName.isEmpty()) {
      Node n = sim.kube.nodes().withName(nodeName).get();
      if (n != null && sim.instanceRunningNow(n) && !nodesConfirmedDown) {
        violations.add(
            "I4 zoneguard force-deleted pod "
                + pod.group(2)
                + " on "
                + nodeName
                + " whose EC2 instance is running");
      }
    }
    pre.remove();
  }

  private boolean removesPvcProtection(String body, PersistentVolumeClaim c) {
    JsonNode b;
    try {
      b = JSON.readTree(body);
    } catch (Exception e) {
      return false;
    }
    if (b == null) {
      return false;
    }
    List<String> before = c.getMetadata().getFinalizers();
    if (b.isArray()) {
      for (JsonNode op : b) {
        String p = op.path("path").asText();
        String kind = op.path("op").asText();
        if (p.equals("/metadata/finalizers") && (kind.equals("remove") || kind.equals("replace"))) {
          if (!contains(op.path("value"), K.PVC_PROTECTION)) {
            return true;
          }
        } else if (p.startsWith("/metadata/finalizers/")
            && (kind.equals("remove") || kind.equals("replace"))) {
          try {
            int i = Integer.parseInt(p.substring("/metadata/finalizers/".length()));
            if (i < before.size()
                && K.PVC_PROTECTION.equals(before.get(i))
                && !K.PVC_PROTECTION.equals(op.path("value").asText())) {
              return true;
            }
          } catch (NumberFormatException e) {
            return false;
          }
        }
      }
      return false;
    }
    JsonNode f = b.path("metadata").path("finalizers");
    return (f.isArray() || f.isNull())
        && b.path("metadata").has("finalizers")
        && !contains(f, K.PVC_PROTECTION);
  }

  private static boolean contains(JsonNode array, String value) {
    if (!array.isArray()) {
      return false;
    }
    for (JsonNode v : array) {
      if (value.equals(v.asText())) {
        return true;
      }
    }
    return false;
  }

  Volume describe(String volumeId) {
    List<Volume> v =
        sim.ec2
            .describeVolumes(r -> r.filters(f -> f.name("volume-id").values(volumeId)))
            .volumes();
    return v.isEmpty() ? null : v.get(0);
  }

  /** Remembers what a volume was before it goes, so lineage can still be judged. */
  void volumeDeleting(String volumeId, String by) {
    Volume v = describe(volumeId);
    Map<String, String> tags = new java.util.HashMap<>();
    if (v != null) {
      v.tags().forEach(t -> tags.put(t.key(), t.value()));
    }
    deletedVolumes.add(new DeletedVolume(volumeId, by, v == null ? null : v.snapshotId(), tags));
  }

  void releasedWithDelete(String pv, String volumeId) {
    releasedWithDelete.add(new String[] {pv, volumeId});
  }

  List<String> violations() {
    return new ArrayList<>(violations);
  }
}
