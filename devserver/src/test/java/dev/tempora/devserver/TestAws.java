package dev.tempora.devserver;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** One {@link EmbeddedAws} for all test classes of this JVM (starting it costs seconds), plus small helpers. */
final class TestAws {
  private static EmbeddedAws aws;
  private static final AtomicInteger names = new AtomicInteger();

  private TestAws() {}

  static synchronized EmbeddedAws get() {
    if (aws == null) {
      aws = EmbeddedAws.start();
      // No close on exit: the emulators are in memory and die with the JVM (and closing ElasticMQ
      // from a shutdown hook waits on Pekko's own hook, see EmbeddedAws).
    }
    return aws;
  }

  /** A queue name no other test uses (the emulator is shared). */
  static String uniqueName(String prefix) {
    return prefix + "-" + names.incrementAndGet();
  }

  /** Polls {@code condition} every 20 ms; fails with {@code message} when {@code timeout} passes. */
  static void await(String message, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + message);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting: " + message);
      }
    }
  }
}
