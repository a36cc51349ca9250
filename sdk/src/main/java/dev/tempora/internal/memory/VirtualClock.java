package dev.tempora.internal.memory;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Time of the test environment: moves only when the environment skips or sleeps, or, while an
 * activity runs in the background, at the pace of real time (Temporal's test server does the same:
 * a running activity holds time skipping, and held time follows the wall clock).
 */
public final class VirtualClock implements InstantSource {
  private Instant base;
  /** {@link System#nanoTime} from which time flows, or null while it stands still. */
  private Long flowingSince;

  public VirtualClock(Instant start) {
    this.base = start;
  }

  @Override
  public synchronized Instant instant() {
    return flowingSince == null ? base : base.plusNanos(System.nanoTime() - flowingSince);
  }

  /** Moves forward to {@code t}; never backwards. */
  public synchronized void advanceTo(Instant t) {
    Instant now = instant();
    if (t.isAfter(now)) {
      base = t;
      if (flowingSince != null) {
        flowingSince = System.nanoTime();
      }
    }
  }

  /** Lets time pass as real time does, counted from {@code sinceNanos} (a {@link System#nanoTime}). */
  public synchronized void flowFrom(long sinceNanos) {
    if (flowingSince == null) {
      flowingSince = sinceNanos;
    }
  }

  /** Stops time where it is. */
  public synchronized void stand() {
    base = instant();
    flowingSince = null;
  }
}
