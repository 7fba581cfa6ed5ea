package io.zoneguard.backup;

import io.zoneguard.port.DatabaseDumper.RunningDump;
import io.zoneguard.port.ObjectStore.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * mysqldump stdout → zstd → object store, in one pass with bounded memory. The dump's exit status
 * is checked before the upload completes, so a failed dump aborts the multipart upload and leaves
 * nothing visible.
 */
public final class DumpPipeline {
  private final Function<InputStream, StoredObject> upload;
  private final int zstdLevel;
  private final Runnable pastLocks;

  /** What a dump produced. */
  public record Result(
      StoredObject object,
      long uncompressedBytes,
      Map<String, Long> tableRows,
      String binlogFile,
      Long binlogPosition,
      String gtid) {}

  /**
   * {@code upload} streams the compressed dump to where it belongs (its set in the store); {@code
   * pastLocks} runs once mysqldump is past any lock it takes at its start (see {@link
   * DumpScanner#whenPastLocks}).
   */
  public DumpPipeline(
      Function<InputStream, StoredObject> upload, int zstdLevel, Runnable pastLocks) {
    this.upload = upload;
    this.zstdLevel = zstdLevel;
    this.pastLocks = pastLocks;
  }

  public Result run(RunningDump dump, Duration exitTimeout) {
    DumpScanner scanner = new DumpScanner();
    scanner.whenPastLocks(pastLocks);
    try (dump) {
      CompressingInputStream in;
      try {
        in =
            new CompressingInputStream(
                dump.stdout(),
                zstdLevel,
                scanner,
                () -> {
                  try {
                    dump.finish(exitTimeout);
                  } catch (RuntimeException e) {
                    throw new IOException(e.getMessage(), e);
                  }
                  if (!scanner.completed()) {
                    throw new IOException(
                        "the dump ended without mysqldump's '-- Dump completed' line: output"
                            + " truncated");
                  }
                });
      } catch (IOException e) {
        throw new IllegalStateException("cannot start zstd", e);
      }
      StoredObject stored = upload.apply(in);
      return new Result(
          stored,
          in.rawBytes(),
          scanner.rowCounts(),
          scanner.binlogFile(),
          scanner.binlogPosition(),
          scanner.gtid());
    }
  }
}
