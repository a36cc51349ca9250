package dev.tempora.workflow;

/**
 * A unit of cancellation. Cancelling a scope cancels the timers, activities and waits started in it
 * (and in its non-detached children): they fail with {@code CanceledFailure}. A workflow cancel
 * request cancels the root scope; detached scopes (for cleanup such as saga compensation) are not
 * affected by their parent's cancellation.
 */
public interface CancellationScope {
  /** Runs the scope's body in the current thread. */
  void run();

  /** Cancels the scope; what it cancels fails with {@code CanceledFailure}. */
  void cancel();

  /**
   * Cancels the scope with a reason: the {@code CanceledFailure} of a timer or wait it cancels
   * carries the reason as its message, as in Temporal.
   */
  void cancel(String reason);

  /** The reason given to {@link #cancel(String)} (or to a parent's), or null. */
  String getCancellationReason();

  boolean isCancelRequested();
}
