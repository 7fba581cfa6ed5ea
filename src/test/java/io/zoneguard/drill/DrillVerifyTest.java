package io.zoneguard.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.ServerInfo;
import io.zoneguard.domain.TableStats;
import io.zoneguard.port.DatabaseAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drill's verdict on restored tables against the manifest, on a scripted scratch server. */
class DrillVerifyTest {
  private final List<TableStats> restored = new ArrayList<>();
  private final DatabaseAdmin admin =
      new DatabaseAdmin() {
        public ServerInfo serverInfo() {
          throw new UnsupportedOperationException();
        }

        public List<String> databases() {
          return List.of("shop_zgdrill_1");
        }

        public Map<String, String> tableEngines(String database) {
          throw new UnsupportedOperationException();
        }

        public List<TableStats> tableStats(String database, boolean checksums) {
          assertThat(database).isEqualTo("shop_zgdrill_1");
          return restored;
        }

        public Map<String, Long> tableChecksums(String database) {
          throw new UnsupportedOperationException();
        }

        public void withGlobalReadLock(Runnable action) {
          throw new UnsupportedOperationException();
        }

        public void dropDrillDatabase(String name) {
          throw new UnsupportedOperationException();
        }
      };

  private final BackupManifest m =
      TestSets.shop(
          null,
          Map.of("shop.orders", 10L, "shop.items", 5L, "shop.gone", 1L),
          Map.of("shop.orders", 111L, "shop.items", 222L));

  @Test
  void rowsMustMatchAndMissingTablesFailWhileChecksumDriftOnlyWarnsUnlessStrict() {
    restored.add(new TableStats("orders", "InnoDB", 10, 999L));
    restored.add(new TableStats("items", "InnoDB", 4, 222L));
    List<String> failures = new ArrayList<>();
    List<String> warnings = new ArrayList<>();

    var checks =
        DrillService.verify(m, Map.of("shop", "shop_zgdrill_1"), admin, false, failures, warnings);

    assertThat(checks)
        .extracting(DrillReport.TableCheck::table, DrillReport.TableCheck::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("shop.orders", "CHECKSUM DIFFERS"),
            org.assertj.core.groups.Tuple.tuple("shop.items", "ROWS DIFFER"),
            org.assertj.core.groups.Tuple.tuple("shop.gone", "MISSING"));
    assertThat(failures)
        .containsExactlyInAnyOrder(
            "shop.items: 4 rows restored, manifest says 5", "shop.gone: missing after restore");
    assertThat(warnings).singleElement().asString().startsWith("shop.orders: CHECKSUM TABLE 999");

    List<String> strict = new ArrayList<>();
    DrillService.verify(
        m, Map.of("shop", "shop_zgdrill_1"), admin, true, strict, new ArrayList<>());
    assertThat(strict).hasSize(3);
  }
}
