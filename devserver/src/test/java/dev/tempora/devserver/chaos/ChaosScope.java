package dev.tempora.devserver.chaos;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Marks the threads on which a workflow client of the chaos driver calls AWS, so that the
 * {@link FaultInjector} touches those calls too (a client's start, signal or terminate fails as it
 * would against AWS), but not the suite's own reads.
 */
final class ChaosScope {
  private static final ThreadLocal<ChaosPlan> CLIENT = new ThreadLocal<>();

  private ChaosScope() {}

  /** Runs {@code action} as the chaos client of {@code plan}'s workflow. */
  static <T> T asClient(ChaosPlan plan, Supplier<T> action) {
    ChaosPlan previous = CLIENT.get();
    CLIENT.set(plan);
    try {
      return action.get();
    } finally {
      CLIENT.set(previous);
    }
  }

  static void asClient(ChaosPlan plan, Runnable action) {
    asClient(plan, () -> {
      action.run();
      return null;
    });
  }

  /** The workflow whose client the current thread is, if any. */
  static Optional<ChaosPlan> client() {
    return Optional.ofNullable(CLIENT.get());
  }
}
