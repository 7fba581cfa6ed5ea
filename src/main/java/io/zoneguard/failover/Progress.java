package io.zoneguard.failover;

import java.time.Duration;

/** What a running failover reports as it goes; the CLI prints it, tests may watch it. */
public interface Progress {
  /** Step {@code index} (1-based) of {@code total} starts, or is skipped as done by a prior run. */
  void step(int index, int total, String id, String description, boolean doneEarlier);

  /** A line about one object (a PVC, a node, a volume) within the current step. */
  void detail(String line);

  /** The step's effects are in place; called before the step is recorded as done. */
  void stepDone(String id, String summary, Duration took);

  Progress SILENT =
      new Progress() {
        public void step(int index, int total, String id, String description, boolean done) {}

        public void detail(String line) {}

        public void stepDone(String id, String summary, Duration took) {}
      };
}
