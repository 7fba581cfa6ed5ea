package io.zoneguard.failover.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.PvFacts;
import io.zoneguard.domain.PvShape;
import io.zoneguard.domain.PvSource;
import io.zoneguard.domain.PvcRef;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.failover.FailoverOptions;
import io.zoneguard.failover.Progress;
import io.zoneguard.port.Cluster;
import io.zoneguard.port.PersistentVolumes;
import io.zoneguard.testing.Plans;
import io.zoneguard.testing.ReadOnlyCluster;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Whether a PV found under this run's name may be kept is the create-pvs step's decision (it was
 * the adapter's): kept when it is over this run's new volume, refused (exit 3) when it is over
 * another, since the claim would then bind to data that is not the restored copy.
 */
class CreatePvsTest {
  private static final String PV = FailoverRecord.pvName("fb-1", "data-mysql-1");
  private final Map<String, PvFacts> pvs = new HashMap<>();
  private final List<String> created = new ArrayList<>();

  private final PersistentVolumes recording =
      new PersistentVolumes() {
        public Optional<PvFacts> get(String name) {
          return Optional.ofNullable(pvs.get(name));
        }

        public List<String> namesLabelled(String key, String value) {
          return List.of();
        }

        public boolean create(
            String ns, String id, PlannedVolume plan, String volumeId, PvShape shape) {
          String name = FailoverRecord.pvName(id, plan.pvc());
          if (pvs.containsKey(name)) {
            return false;
          }
          created.add(name + " over " + volumeId);
          pvs.put(name, pv(name, volumeId));
          return true;
        }

        public void setReclaimPolicy(String pv, String policy) {
          throw new AssertionError("create-pvs must not change reclaim policies");
        }

        public void deleteDrillPv(String name) {
          throw new AssertionError("create-pvs must not delete PVs");
        }
      };

  private static PvFacts pv(String name, String volumeId) {
    return new PvFacts(
        name,
        "Available",
        "gp3",
        "10Gi",
        List.of("ReadWriteOnce"),
        "Retain",
        new PvcRef("shop", "data-mysql-1"),
        new PvSource.Ebs(volumeId, "ext4", "ebs.csi.aws.com"),
        null);
  }

  private StepOutcome run() {
    Cluster kube = new ReadOnlyCluster().portWith(recording);
    PlannedVolume v = Plans.move(1, "vol-c", "us-east-1c", null, "us-east-1b");
    var plan = Plans.failback("us-east-1b", List.of(v), List.of(), List.of());
    var record =
        FailoverRecord.start("fb-1", "me", "2026-11-24T10:00:00Z", plan)
            .withVolumes(Map.of("data-mysql-1", "vol-new"));
    var ctx =
        new StepContext(
            kube,
            null,
            null,
            null,
            "c",
            FailoverOptions.defaults(),
            Progress.SILENT,
            Clock.systemUTC(),
            record,
            r -> r);
    return new CreatePvs().run(ctx);
  }

  @Test
  void createsThePvOnceAndKeepsItsOwnOnReRun() {
    assertThat(run().kind()).isEqualTo(StepOutcome.Kind.CHANGED);
    assertThat(created).containsExactly(PV + " over vol-new");

    assertThat(run().kind()).isEqualTo(StepOutcome.Kind.NOOP);
    assertThat(created).hasSize(1);
  }

  @Test
  void aPvOfThisNameOverAnotherVolumeIsRefused() {
    pvs.put(PV, pv(PV, "vol-someone-elses"));

    assertThatThrownBy(this::run)
        .isInstanceOf(ZoneguardException.class)
        .hasMessage(
            "persistentvolume "
                + PV
                + " exists but is not over vol-new: inspect it; zoneguard does not replace PVs")
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.REFUSED_UNSAFE);
    assertThat(created).isEmpty();
  }
}
