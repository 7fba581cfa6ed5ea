package io.zoneguard.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollerTest {
  /** A clock that only moves when the poller sleeps: no real time passes in these tests. */
  private static final class SteppedClock extends Clock {
    Instant now = Instant.parse("2026-11-24T10:00:00Z");
    final List<Duration> sleeps = new ArrayList<>();

    void sleep(Duration d) {
      sleeps.add(d);
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final SteppedClock clock = new SteppedClock();
  private final Poller poller = new Poller(clock, Duration.ofSeconds(2), clock::sleep);

  @Test
  void pollsAtItsIntervalUntilTheConditionHolds() {
    AtomicInteger checks = new AtomicInteger();
    assertThat(poller.until(Duration.ofMinutes(1), () -> checks.incrementAndGet() == 4)).isTrue();
    assertThat(checks).hasValue(4);
    assertThat(clock.sleeps)
        .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  @Test
  void aConditionMetAtOnceNeverSleeps() {
    assertThat(poller.until(Duration.ZERO, () -> true)).isTrue();
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void givesUpAfterTheTimeoutButChecksOnceMoreAtTheEnd() {
    AtomicInteger checks = new AtomicInteger();
    assertThat(poller.until(Duration.ofSeconds(5), () -> checks.incrementAndGet() < 0)).isFalse();
    // checks at 0, 2, 4, 6 s; at 6 s the deadline (5 s) has passed
    assertThat(checks).hasValue(4);
    assertThat(clock.sleeps).hasSize(3);
  }

  @Test
  void awaitFailsWithTheCallersReasonOnTimeout() {
    assertThatThrownBy(
            () -> poller.await(Duration.ofSeconds(1), () -> false, () -> "vol-1 still creating"))
        .isInstanceOf(ZoneguardException.class)
        .hasMessage("vol-1 still creating");
  }

  @Test
  void anInterruptedWaitFailsAndKeepsTheInterruptFlag() {
    Poller interrupted =
        new Poller(
            clock,
            Duration.ofSeconds(1),
            d -> {
              throw new InterruptedException();
            });
    try {
      assertThatThrownBy(() -> interrupted.until(Duration.ofSeconds(5), () -> false))
          .isInstanceOf(ZoneguardException.class)
          .hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void refusesANonPositiveInterval() {
    assertThatThrownBy(() -> new Poller(clock, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
