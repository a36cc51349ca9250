package dev.tempora.internal.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** Real time shifted by an adjustable offset: jump ahead without waiting, while SQS delays still elapse in real time. */
final class OffsetClock implements InstantSource {
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }

  /** Shifts the clock so that it reads {@code now} at this moment. */
  void set(Instant now) {
    offset.set(Duration.between(Instant.now(), now));
  }
}
