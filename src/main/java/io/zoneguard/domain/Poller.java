package io.zoneguard.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it against a {@link Clock}: the one loop behind failover's step
 * waits and the drill's bind and mount waits. The clock and the sleep are injected so tests can
 * drive time instead of sleeping; the condition is always checked once more after the last sleep,
 * so a deadline never hides a state that was reached in time.
 */
public final class Poller {
  /** How to let time pass; {@link Thread#sleep} in production. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final Clock clock;
  private final Duration interval;
  private final Sleeper sleeper;

  public Poller(Clock clock, Duration interval) {
    this(clock, interval, d -> Thread.sleep(d.toMillis()));
  }

  public Poller(Clock clock, Duration interval, Sleeper sleeper) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive: " + interval);
    }
    this.clock = clock;
    this.interval = interval;
    this.sleeper = sleeper;
  }

  /** Polls {@code done} until it holds (true) or {@code timeout} has passed (false). */
  public boolean until(Duration timeout, BooleanSupplier done) {
    Instant deadline = clock.instant().plus(timeout);
    while (!done.getAsBoolean()) {
      if (clock.instant().isAfter(deadline)) {
        return false;
      }
      try {
        sleeper.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ZoneguardException.failed("interrupted while waiting", e);
      }
    }
    return true;
  }

  /** Like {@link #until}, but a timeout fails the run with {@code why}'s message. */
  public void await(Duration timeout, BooleanSupplier done, Supplier<String> why) {
    if (!until(timeout, done)) {
      throw ZoneguardException.failed(why.get(), null);
    }
  }
}
