package io.zoneguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.backup.BackupSetSummary;
import io.zoneguard.backup.RetentionPolicy;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.Keys;
import io.zoneguard.drill.DrillReport;
import io.zoneguard.drill.DrillRequest;
import io.zoneguard.drill.DrillService;
import io.zoneguard.failover.Progress;
import io.zoneguard.mysql.MariaDbAdmin;
import io.zoneguard.mysql.MysqlClientProcess;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.BackupFixture;
import io.zoneguard.testing.BackupFixtureExtension;
import io.zoneguard.testing.Cli;
import io.zoneguard.testing.MariaDbExtension;
import io.zoneguard.testing.ScratchDatabase;
import io.zoneguard.testing.SeedData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A drill pins the set it restores in {@code zoneguard.io/sets-in-use}: a prune that runs while the
 * drill reads the set keeps it, and once the drill ends the pin is gone and retention applies
 * again. (Before, only failovers pinned their sets, so a scheduled prune could delete a set from
 * under a running drill.)
 */
@ExtendWith({AwsExtension.class, BackupFixtureExtension.class, MariaDbExtension.class})
class DrillPinsItsSetIT {

  @Test
  void aPruneDuringADrillKeepsTheDrilledSetAndTheNextPruneMayDeleteIt(
      BackupFixture f, ScratchDatabase db) throws Exception {
    SeedData.seed(db, 1);
    for (int i = 0; i < 2; i++) {
      Cli.Result r = Cli.run(f.env, f.backupArgs(db, "--no-checksums"));
      assertThat(r.exit()).as(r.err()).isZero();
    }
    // keeps only the newest complete set (the one retention never removes)
    RetentionPolicy keepNewestOnly = new RetentionPolicy(0, 0, 0, 0, Duration.ZERO);
    try (Wiring w = new Wiring(new CommonOptions(), f.env)) {
      List<BackupSetSummary> sets = w.backupStore().list(f.namespace(), "mysql");
      assertThat(sets).hasSize(2);
      String older = sets.get(sets.size() - 1).setId();
      List<String> pinnedDuring = new ArrayList<>();
      List<String> keptDuring = new ArrayList<>();
      Progress pruneMidDrill =
          new Progress() {
            @Override
            public void step(int index, int total, String id, String description, boolean done) {
              if (index != 1) {
                return;
              }
              pinnedDuring.add(annotation(f));
              w.pruneService().prune(f.namespace(), "mysql", keepNewestOnly, false);
              w.backupStore().list(f.namespace(), "mysql").forEach(s -> keptDuring.add(s.setId()));
              // enough: the rest of the drill is not what this test is about
              throw new IllegalStateException("stop the drill here");
            }

            @Override
            public void detail(String line) {}

            @Override
            public void stepDone(String id, String summary, Duration took) {}
          };
      DatabaseEndpoint scratch = new DatabaseEndpoint(db.host(), db.port(), db.user(), null);
      DrillReport report =
          w.drillService()
              .run(
                  new DrillRequest(
                      f.namespace(),
                      "mysql",
                      Optional.of(older),
                      false,
                      false,
                      Duration.ofSeconds(30),
                      Duration.ofSeconds(30),
                      DrillRequest.DEFAULT_MOUNT_IMAGE,
                      Duration.ofSeconds(30),
                      io.zoneguard.domain.Hydration.DEFAULT,
                      null),
                  new DrillService.Scratch(
                      new MysqlClientProcess("mysql", scratch), new MariaDbAdmin(scratch)),
                  pruneMidDrill);

      assertThat(report.failures()).anyMatch(s -> s.contains("stop the drill here"));
      assertThat(pinnedDuring).containsExactly(older + "@" + report.drillId());
      assertThat(keptDuring).as("the prune during the drill kept the drilled set").contains(older);
      assertThat(annotation(f)).as("the drill's pin is gone once it ended").isNull();

      w.pruneService().prune(f.namespace(), "mysql", keepNewestOnly, false);
      assertThat(w.backupStore().list(f.namespace(), "mysql"))
          .extracting(BackupSetSummary::setId)
          .as("without the pin, retention deletes it")
          .doesNotContain(older);
    }
  }

  private static String annotation(BackupFixture f) {
    return f.kube
        .client()
        .apps()
        .statefulSets()
        .inNamespace(f.namespace())
        .withName("mysql")
        .get()
        .getMetadata()
        .getAnnotations()
        .get(Keys.IN_USE_SETS_ANNOTATION);
  }
}
