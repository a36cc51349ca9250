package dev.tempora.internal.aws;

import dev.tempora.client.WorkflowException;
import dev.tempora.internal.client.ResultWaiter;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Waits for a run to close by reading its run item, backing off from 50 ms to a ceiling, so a
 * long wait costs a few reads a second at most.
 */
public final class PollingResultWaiter implements ResultWaiter {
  private final Duration ceiling;

  public PollingResultWaiter(Duration ceiling) {
    this.ceiling = ceiling;
  }

  @Override
  public void await(BooleanSupplier closed, Duration timeout) {
    long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
    long sleep = 50;
    while (!closed.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new WorkflowException(null, "timed out after " + timeout + " waiting for the workflow to close",
            new TimeoutException());
      }
      try {
        Thread.sleep(Math.min(sleep, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkflowException(null, "interrupted while waiting for the workflow to close", e);
      }
      sleep = Math.min(sleep * 2, ceiling.toMillis());
    }
  }
}
