package dev.tempora.internal.memory;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** Time of the test environment: moves only when the environment skips or sleeps. */
public final class VirtualClock implements InstantSource {
  private final AtomicReference<Instant> now;

  public VirtualClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Moves forward to {@code t}; never backwards. */
  public void advanceTo(Instant t) {
    now.accumulateAndGet(t, (a, b) -> b.isAfter(a) ? b : a);
  }
}
