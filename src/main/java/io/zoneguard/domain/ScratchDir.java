package io.zoneguard.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Working directories of one run (downloaded binlog files, the archiver's spool): removed with what
 * is left in them when the run ends.
 */
public final class ScratchDir {
  private ScratchDir() {}

  /** Best effort: a directory left behind costs disk, not correctness. */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // see above
    }
  }
}
