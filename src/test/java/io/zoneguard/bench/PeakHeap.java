package io.zoneguard.bench;

import io.zoneguard.cli.Main;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Runs one zoneguard command in this JVM and prints the peak heap it used (the sum of every heap
 * pool's peak: an upper bound, since pools peak at different moments) when the JVM exits, so a
 * {@code serve} ended by SIGTERM reports it too.
 */
public final class PeakHeap {
  private PeakHeap() {}

  public static void main(String[] args) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  long peak = 0;
                  for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                      peak += pool.getPeakUsage().getUsed();
                    }
                  }
                  System.err.println("PEAK_HEAP_BYTES=" + peak);
                }));
    int code =
        Main.run(
            args,
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true));
    System.exit(code);
  }
}
