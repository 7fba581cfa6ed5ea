package io.zoneguard.cli.view;

import io.zoneguard.failover.Progress;
import java.io.PrintWriter;
import java.time.Duration;

/** Progress lines on stderr, so stdout stays the plan and the report. */
public final class ConsoleProgress implements Progress {
  private final PrintWriter err;

  public ConsoleProgress(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void step(int index, int total, String id, String description, boolean doneEarlier) {
    err.printf(
        "[%d/%d] %-18s %s%n", index, total, id, doneEarlier ? "done by an earlier run" : "...");
    err.flush();
  }

  @Override
  public void detail(String line) {
    err.println("        " + line);
    err.flush();
  }

  @Override
  public void stepDone(String id, String summary, Duration took) {
    err.printf("        %s: %s (%.1fs)%n", id, summary, took.toMillis() / 1000.0);
    err.flush();
  }
}
