package dev.tempora.internal.client;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How a client waits for a run to close: polling on AWS; in the test environment, by skipping
 * virtual time to the next timer whenever nothing else can happen.
 */
public interface ResultWaiter {
  /** Returns when {@code closed} holds; throws {@link java.util.concurrent.TimeoutException} (wrapped) after {@code timeout}. */
  void await(BooleanSupplier closed, Duration timeout);
}
