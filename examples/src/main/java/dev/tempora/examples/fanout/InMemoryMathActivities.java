package dev.tempora.examples.fanout;

import dev.tempora.examples.CallLog;

public final class InMemoryMathActivities implements MathActivities {
  private final CallLog log;

  public InMemoryMathActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public long square(int n) {
    log.record("square", n);
    return (long) n * n;
  }
}
