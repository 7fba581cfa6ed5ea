package io.zoneguard.inventory;

import io.zoneguard.domain.Keys;
import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvSource;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.VolumeSpec;
import io.zoneguard.domain.Zone;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.Claims;
import io.zoneguard.port.Namespaces;
import io.zoneguard.port.Nodes;
import io.zoneguard.port.PersistentVolumes;
import io.zoneguard.port.Pods;
import io.zoneguard.port.StatefulSets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gathers the facts about protected StatefulSets in one pass: one list call per kind, one PV get
 * per claim, one DescribeVolumes for all volumes, one DescribeAvailabilityZones. Read-only.
 */
public final class InventoryService {
  private final Namespaces namespaces;
  private final StatefulSets statefulSets;
  private final Claims claims;
  private final PersistentVolumes persistentVolumes;
  private final Nodes nodes;
  private final Pods pods;
  private final BlockStorage storage;
  private final String region;
  private final Clock clock;

  public InventoryService(
      Namespaces namespaces,
      StatefulSets statefulSets,
      Claims claims,
      PersistentVolumes persistentVolumes,
      Nodes nodes,
      Pods pods,
      BlockStorage storage,
      String region,
      Clock clock) {
    this.namespaces = namespaces;
    this.statefulSets = statefulSets;
    this.claims = claims;
    this.persistentVolumes = persistentVolumes;
    this.nodes = nodes;
    this.pods = pods;
    this.storage = storage;
    this.region = region;
    this.clock = clock;
  }

  public boolean statefulSetExists(String namespace, String name) {
    return statefulSets.get(namespace, name).isPresent();
  }

  /** The StatefulSet itself (its governing service names its replicas' DNS names). */
  public Optional<StatefulSetFacts> statefulSet(String namespace, String name) {
    return statefulSets.get(namespace, name);
  }

  /**
   * Status of one StatefulSet, or of every StatefulSet in the namespace labelled {@value
   * Keys#PROTECT_LABEL}=true when {@code statefulSet} is empty.
   */
  public StatusReport status(String namespace, Optional<String> statefulSet) {
    if (!namespaces.exists(namespace)) {
      throw ZoneguardException.notFound("namespace '" + namespace + "' not found");
    }
    List<StatefulSetFacts> sets =
        statefulSet
            .map(
                name ->
                    List.of(
                        statefulSets
                            .get(namespace, name)
                            .orElseThrow(
                                () -> ZoneguardException.statefulSetNotFound(namespace, name))))
            .orElseGet(
                () ->
                    statefulSets.list(namespace).stream()
                        .filter(InventoryService::labelledProtected)
                        .toList());

    Map<String, PvcFacts> pvcs = byKey(claims.list(namespace), p -> p.ref().name());
    List<PodFacts> pods = this.pods.list(namespace);
    Map<String, NodeFacts> nodes = byKey(this.nodes.list(), NodeFacts::name);

    Map<String, PvFacts> pvs = new HashMap<>();
    for (StatefulSetFacts sts : sets) {
      for (String claim : claimNames(sts, pvcs.keySet()).keySet()) {
        PvcFacts pvc = pvcs.get(claim);
        if (pvc != null && pvc.volumeName() != null) {
          persistentVolumes.get(pvc.volumeName()).ifPresent(pv -> pvs.put(pv.name(), pv));
        }
      }
    }
    Set<String> volumeIds =
        pvs.values().stream()
            .map(PvFacts::source)
            .filter(s -> s instanceof PvSource.Ebs)
            .map(s -> ((PvSource.Ebs) s).volumeId())
            .collect(Collectors.toCollection(TreeSet::new));
    Map<String, VolumeSpec> volumes = volumeIds.isEmpty() ? Map.of() : storage.volumes(volumeIds);

    List<StatefulSetStatus> out = new ArrayList<>();
    for (StatefulSetFacts sts : sets) {
      List<PvcStatus> rows = new ArrayList<>();
      claimNames(sts, pvcs.keySet())
          .forEach(
              (claim, slot) ->
                  rows.add(
                      row(
                          claim,
                          slot,
                          pvcs.get(claim),
                          pvs,
                          volumes,
                          podUsing(pods, claim),
                          nodes)));
      out.add(
          new StatefulSetStatus(
              sts.namespace(),
              sts.name(),
              labelledProtected(sts),
              sts.replicas(),
              sts.readyReplicas(),
              sts.claimTemplates(),
              rows));
    }
    return new StatusReport(
        namespace, region, clock.instant().toString(), zoneHealth(nodes.values(), out), out);
  }

  /**
   * Template and ordinal of each claim: the replicas' PVCs plus any left over from a scale-down.
   */
  private record Slot(String template, int ordinal) {}

  private static Map<String, Slot> claimNames(StatefulSetFacts sts, Set<String> existing) {
    Map<String, Slot> out = new TreeMap<>(InventoryService::byOrdinal);
    for (String template : sts.claimTemplates()) {
      for (int i = 0; i < sts.replicas(); i++) {
        out.put(sts.claimName(template, i), new Slot(template, i));
      }
      Pattern p = Pattern.compile(Pattern.quote(template + "-" + sts.name() + "-") + "(\\d+)");
      for (String name : existing) {
        Matcher m = p.matcher(name);
        if (m.matches()) {
          out.put(name, new Slot(template, Integer.parseInt(m.group(1))));
        }
      }
    }
    return out;
  }

  // Orders data-mysql-2 before data-mysql-10.
  private static int byOrdinal(String a, String b) {
    int ia = a.lastIndexOf('-');
    int ib = b.lastIndexOf('-');
    int c = a.substring(0, ia).compareTo(b.substring(0, ib));
    return c != 0
        ? c
        : Integer.compare(
            Integer.parseInt(a.substring(ia + 1)), Integer.parseInt(b.substring(ib + 1)));
  }

  private static PvcStatus row(
      String claim,
      Slot slot,
      PvcFacts pvc,
      Map<String, PvFacts> pvs,
      Map<String, VolumeSpec> volumes,
      Optional<PodFacts> pod,
      Map<String, NodeFacts> nodes) {
    List<String> warnings = new ArrayList<>();
    PvFacts pv = pvc == null || pvc.volumeName() == null ? null : pvs.get(pvc.volumeName());
    if (pvc == null) {
      warnings.add("PVC does not exist (the pod has not been scheduled yet, or it was deleted)");
    } else if (pvc.volumeName() == null) {
      warnings.add("PVC is not bound to a PV");
    } else if (pv == null) {
      warnings.add("PV " + pvc.volumeName() + " does not exist");
    }
    String backing = null;
    String fsType = null;
    String volumeId = null;
    VolumeSpec vol = null;
    Zone zone = pv == null ? null : pv.zone();
    if (pv != null) {
      if (pv.source() instanceof PvSource.Ebs ebs) {
        backing = "ebs";
        fsType = ebs.fsType();
        volumeId = ebs.volumeId();
        vol = volumes.get(volumeId);
        if (vol == null) {
          warnings.add("EBS volume " + volumeId + " not found in EC2 (wrong region or deleted)");
        } else {
          if (zone != null && !zone.equals(vol.zone())) {
            warnings.add("PV nodeAffinity says " + zone + " but the volume is in " + vol.zone());
          }
          zone = vol.zone();
        }
      } else {
        backing = ((PvSource.Other) pv.source()).kind();
        warnings.add("not EBS-backed: dump-only protection, no snapshot or zone failover");
      }
    }
    NodeFacts node = pod.map(PodFacts::nodeName).map(nodes::get).orElse(null);
    return new PvcStatus(
        claim,
        slot.template(),
        slot.ordinal(),
        pvc == null ? null : (pvc.terminating() ? "Terminating" : pvc.phase()),
        pv == null ? null : pv.name(),
        pv != null ? pv.storageClass() : pvc == null ? null : pvc.storageClass(),
        backing,
        fsType,
        pvc == null ? List.of() : pvc.accessModes(),
        volumeId,
        zone == null ? null : zone.name(),
        vol == null ? null : vol.sizeGiB(),
        vol == null ? null : vol.volumeType(),
        vol == null ? null : vol.iops(),
        vol == null ? null : vol.throughputMiBps(),
        vol == null ? null : vol.encrypted(),
        vol == null ? null : vol.state(),
        pod.map(PodFacts::name).orElse(null),
        pod.map(PodFacts::phase).orElse(null),
        pod.map(PodFacts::ready).orElse(null),
        pod.map(PodFacts::nodeName).orElse(null),
        node == null ? null : node.ready(),
        warnings);
  }

  private static Optional<PodFacts> podUsing(List<PodFacts> pods, String claim) {
    return pods.stream().filter(p -> p.claimNames().contains(claim)).findFirst();
  }

  /** Zones that hold nodes or volumes of the report, judged by EC2 state and node readiness. */
  private List<ZoneHealth> zoneHealth(
      java.util.Collection<NodeFacts> nodes, List<StatefulSetStatus> sets) {
    Map<String, String> awsStates = new HashMap<>();
    for (ZoneState z : storage.zones()) {
      awsStates.put(z.zone().name(), z.state());
    }
    Set<String> zones = new TreeSet<>();
    nodes.stream().map(NodeFacts::zone).filter(z -> z != null).forEach(z -> zones.add(z.name()));
    sets.stream()
        .flatMap(s -> s.pvcs().stream())
        .map(PvcStatus::zone)
        .filter(z -> z != null)
        .forEach(zones::add);
    List<ZoneHealth> out = new ArrayList<>();
    for (String z : zones) {
      int ready = 0;
      int notReady = 0;
      for (NodeFacts n : nodes) {
        if (n.zone() != null && n.zone().name().equals(z)) {
          if (n.ready()) {
            ready++;
          } else {
            notReady++;
          }
        }
      }
      String aws = awsStates.getOrDefault(z, "unknown-to-ec2");
      out.add(new ZoneHealth(z, aws, ready, notReady, ZoneHealth.judge(aws, ready, notReady)));
    }
    return out;
  }

  private static boolean labelledProtected(StatefulSetFacts s) {
    return "true".equals(s.labels().get(Keys.PROTECT_LABEL));
  }

  private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
    Map<String, T> out = new HashMap<>();
    items.forEach(i -> out.put(key.apply(i), i));
    return out;
  }
}
