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

  void cancel();

  boolean isCancelRequested();
}
