package io.zoneguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.kube.KubePermissions;
import io.zoneguard.kube.KubePermissions.Permission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart renders its RBAC from charts/zoneguard/files/permissions.json, which must be exactly
 * {@link KubePermissions#ALL}: code and chart derive from one list. After changing the list, run
 * this test with {@code -Dzoneguard.writeChartPermissions=true} to regenerate the file.
 */
class ChartPermissionsTest {
  static final Path FILE = Path.of("charts/zoneguard/files/permissions.json");

  @Test
  void theChartsPermissionFileIsGeneratedFromKubePermissions() throws Exception {
    String expected = render();
    if (Boolean.getBoolean("zoneguard.writeChartPermissions")) {
      Files.writeString(FILE, expected);
    }
    assertThat(Files.readString(FILE))
        .as(
            FILE
                + " differs from KubePermissions.ALL; regenerate it: mvn -B -q test"
                + " -Dtest=ChartPermissionsTest -Dzoneguard.writeChartPermissions=true")
        .isEqualTo(expected);
  }

  /** One rule per line (readable diffs); verbs sorted so the file does not depend on Set order. */
  static String render() {
    String rules =
        KubePermissions.ALL.stream()
            .map(ChartPermissionsTest::json)
            .collect(Collectors.joining(",\n    ", "[\n    ", "\n  ]"));
    return "{\n  \"generatedFrom\": \"src/main/java/io/zoneguard/kube/KubePermissions.java\",\n"
        + "  \"rules\": "
        + rules
        + "\n}\n";
  }

  private static String json(Permission p) {
    return "{\"scope\": %s, \"feature\": %s, \"apiGroup\": %s, \"resource\": %s, \"verbs\": [%s], \"why\": %s}"
        .formatted(
            str(p.scope().name().toLowerCase(Locale.ROOT)),
            str(p.feature().name().toLowerCase(Locale.ROOT)),
            str(p.group()),
            str(p.resource()),
            p.verbs().stream()
                .sorted()
                .map(ChartPermissionsTest::str)
                .collect(Collectors.joining(", ")),
            str(p.why()));
  }

  private static String str(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
