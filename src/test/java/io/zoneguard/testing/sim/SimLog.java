package io.zoneguard.testing.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What happened in one simulation, in order: zoneguard's API calls ({@code ZG}) and what each
 * simulated controller did ({@code STS}, {@code PV}, ...), each with the logical tick. Failures
 * print the tail of it with the seed, so a failing interleaving can be read and replayed.
 */
public final class SimLog {
  private static final int KEEP = 2000;
  private final Deque<String> lines = new ArrayDeque<>();
  private final List<String> all = new ArrayList<>();

  synchronized void add(int tick, String who, String what) {
    String line = String.format("t%04d %-5s %s", tick, who, what);
    lines.addLast(line);
    all.add(who + " " + what);
    if (lines.size() > KEEP) {
      lines.removeFirst();
    }
  }

  /** The last {@code n} lines. */
  public synchronized String tail(int n) {
    List<String> l = new ArrayList<>(lines);
    return String.join("\n", l.subList(Math.max(0, l.size() - n), l.size()));
  }

  /** Every line without its tick, for assertions on what happened. */
  public synchronized List<String> entries() {
    return List.copyOf(all);
  }
}
