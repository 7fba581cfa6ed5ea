package io.zoneguard.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.NodeFacts;
import io.zoneguard.domain.PodFacts;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvSource;
import io.zoneguard.domain.PvcFacts;
import io.zoneguard.domain.PvcRef;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.domain.VolumeSpec;
import io.zoneguard.domain.Zone;
import io.zoneguard.domain.ZoneState;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.Cluster;
import io.zoneguard.testing.ReadOnlyCluster;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pure logic of the inventory over in-memory ports: which claims, which warnings, which order. */
class InventoryServiceTest {
  /** The StatefulSet, one Ready node, one pod; the tests add claims and PVs. */
  private final ReadOnlyCluster kube = new ReadOnlyCluster();

  private final List<PvcFacts> pvcs = kube.claims;
  private final Map<String, VolumeSpec> volumes = new HashMap<>();
  private final List<Collection<String>> describeCalls = new ArrayList<>();
  private final StatefulSetFacts sts =
      new StatefulSetFacts(
          "db", "mysql", 11, 11, "mysql", List.of("data"), "OrderedReady", Map.of(), Map.of());

  {
    kube.statefulSets.add(sts);
    kube.nodes.add(new NodeFacts("n1", Zone.of("us-east-1a"), true, false, List.of()));
    kube.pods.add(
        new PodFacts("db", "mysql-0", "n1", "Running", true, false, List.of("data-mysql-0")));
  }

  private final Cluster cluster = kube.port();

  private final BlockStorage storage =
      new BlockStorage() {
        public Map<String, java.util.Set<String>> fastRestoreZones(
            java.util.Collection<String> ids) {
          throw new UnsupportedOperationException();
        }

        public Map<String, Map<String, String>> fastRestoreStates(
            java.util.Collection<String> ids) {
          throw new UnsupportedOperationException();
        }

        public List<io.zoneguard.domain.FastRestorePlan.Failure> enableFastRestore(
            java.util.Collection<String> ids, java.util.Collection<String> zones) {
          throw new UnsupportedOperationException();
        }

        public List<io.zoneguard.domain.FastRestorePlan.Failure> disableFastRestore(
            java.util.Collection<String> ids, java.util.Collection<String> zones) {
          throw new UnsupportedOperationException();
        }

        public List<ZoneState> zones() {
          return List.of(new ZoneState(Zone.of("us-east-1a"), "available", "use1-az1"));
        }

        public io.zoneguard.domain.SnapshotRef createSnapshot(
            String v, String d, Map<String, String> t) {
          throw new UnsupportedOperationException();
        }

        public List<io.zoneguard.domain.SnapshotRef> awaitSnapshots(
            Collection<String> ids, java.time.Duration timeout) {
          throw new UnsupportedOperationException();
        }

        public List<io.zoneguard.domain.SnapshotRef> findSnapshots(Map<String, String> tags) {
          throw new UnsupportedOperationException();
        }

        public void deleteSnapshot(String id) {
          throw new UnsupportedOperationException();
        }

        public String copySnapshotFrom(
            String region, String id, String d, Map<String, String> tags) {
          throw new UnsupportedOperationException();
        }

        public void deleteDrillVolume(String id) {
          throw new UnsupportedOperationException();
        }

        public VolumeSpec createVolume(NewVolume v) {
          throw new UnsupportedOperationException();
        }

        public List<VolumeSpec> findVolumes(Map<String, String> tags) {
          throw new UnsupportedOperationException();
        }

        public List<VolumeSpec> awaitVolumes(Collection<String> ids, java.time.Duration t) {
          throw new UnsupportedOperationException();
        }

        public Map<String, VolumeSpec> volumes(Collection<String> ids) {
          describeCalls.add(List.copyOf(ids));
          Map<String, VolumeSpec> out = new HashMap<>();
          ids.forEach(id -> Optional.ofNullable(volumes.get(id)).ifPresent(v -> out.put(id, v)));
          return out;
        }
      };

  private final InventoryService service =
      new InventoryService(
          cluster.namespaces(),
          cluster.statefulSets(),
          cluster.claims(),
          cluster.persistentVolumes(),
          cluster.nodes(),
          cluster.pods(),
          storage,
          "us-east-1",
          Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));

  private void bound(int ordinal, String zone, String pvZone) {
    String claim = "data-mysql-" + ordinal;
    String pv = "pv-" + ordinal;
    String vol = "vol-" + ordinal;
    pvcs.add(
        new PvcFacts(
            new PvcRef("db", claim), "Bound", pv, "gp3", "10Gi", List.of(), List.of(), false));
    kube.pvs.add(
        new PvFacts(
            pv,
            "Bound",
            "gp3",
            "10Gi",
            List.of("ReadWriteOnce"),
            "Delete",
            new PvcRef("db", claim),
            new PvSource.Ebs(vol, "ext4", "ebs.csi.aws.com"),
            Zone.of(pvZone)));
    volumes.put(
        vol,
        new VolumeSpec(
            vol, Zone.of(zone), 10, "gp3", 3000, 125, true, null, "in-use", null, Map.of()));
  }

  @Test
  void listsEveryReplicaInOrdinalOrderPlusClaimsLeftByAScaleDown() {
    for (int i = 0; i < 11; i++) {
      bound(i, "us-east-1a", "us-east-1a");
    }
    bound(14, "us-east-1a", "us-east-1a"); // replica 14 was scaled away; its PVC stays

    StatefulSetStatus s = service.status("db", Optional.of("mysql")).statefulSets().get(0);

    assertThat(s.pvcs())
        .extracting(PvcStatus::ordinal)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14);
    assertThat(describeCalls).hasSize(1);
    assertThat(describeCalls.get(0)).hasSize(12);
  }

  @Test
  void missingAndUnboundClaimsAndZoneDisagreementsAreWarnings() {
    bound(0, "us-east-1b", "us-east-1a");
    pvcs.add(
        new PvcFacts(
            new PvcRef("db", "data-mysql-1"), "Pending", null, "gp3", null, null, null, false));

    List<PvcStatus> rows = service.status("db", Optional.of("mysql")).statefulSets().get(0).pvcs();

    assertThat(rows.get(0).warnings())
        .containsExactly("PV nodeAffinity says us-east-1a but the volume is in us-east-1b");
    assertThat(rows.get(0).zone()).isEqualTo("us-east-1b");
    assertThat(rows.get(0).pod()).isEqualTo("mysql-0");
    assertThat(rows.get(0).nodeReady()).isTrue();
    assertThat(rows.get(1).warnings()).containsExactly("PVC is not bound to a PV");
    assertThat(rows.get(2).warnings().get(0)).startsWith("PVC does not exist");
  }

  @Test
  void zonesOfVolumesWithoutNodesAreReported() {
    bound(0, "us-east-1c", "us-east-1c");

    StatusReport r = service.status("db", Optional.of("mysql"));

    assertThat(r.zones())
        .extracting(ZoneHealth::zone, ZoneHealth::awsState, ZoneHealth::health)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "us-east-1a", "available", ZoneHealth.Health.HEALTHY),
            org.assertj.core.groups.Tuple.tuple(
                "us-east-1c", "unknown-to-ec2", ZoneHealth.Health.DOWN));
    assertThat(r.generatedAt()).isEqualTo("2026-11-23T10:00:00Z");
  }
}
