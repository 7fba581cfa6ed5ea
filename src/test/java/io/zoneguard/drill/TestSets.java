package io.zoneguard.drill;

import io.zoneguard.domain.BackupManifest;
import java.util.List;
import java.util.Map;

/** A complete set {@code set-1} of ns/mysql with one database, shop, for the drill's verdicts. */
final class TestSets {
  private TestSets() {}

  static BackupManifest shop(
      BackupManifest.Binlog binlog, Map<String, Long> rows, Map<String, Long> checksums) {
    return new BackupManifest(
        BackupManifest.FORMAT_VERSION,
        "test",
        "set-1",
        "c",
        "ns",
        "mysql",
        "2026-11-23T10:00:00Z",
        "2026-11-23T10:01:00Z",
        true,
        "crash",
        null,
        binlog,
        new BackupManifest.Dump("k", 1, "sha", 1, "zstd", "tcp", List.of("shop"), rows, checksums),
        List.of(),
        List.of(),
        null,
        List.of());
  }
}
