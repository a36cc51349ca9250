package dev.tempora.internal.replay;

/** A workflow thread held the turn too long: workflow code blocked outside Tempora's APIs or looped. */
public final class PotentialDeadlockException extends RuntimeException {
  PotentialDeadlockException(String threadName, long millis) {
    super("PotentialDeadlock: workflow thread '" + threadName + "' did not yield within " + millis + " ms: workflow "
        + "code must not block on anything but Workflow/Promise calls (no Thread.sleep, I/O, locks or busy loops)");
  }
}
