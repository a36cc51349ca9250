package dev.tempora.workflow;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.FailureConverter;
import dev.tempora.internal.replay.WorkflowInternal;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What workflow code uses instead of threads, clocks, randomness and I/O. Every method here is
 * deterministic: on replay it returns what it returned the first time.
 */
public final class Workflow {
  private Workflow() {}

  /** A typed stub whose calls schedule activities; a call blocks until the activity's outcome. */
  public static <T> T newActivityStub(Class<T> activityInterface, ActivityOptions options) {
    return WorkflowInternal.context().newActivityStub(activityInterface, options);
  }

  /** A durable sleep: a timer in history. Throws {@code CanceledFailure} if the scope is cancelled. */
  public static void sleep(Duration duration) {
    WorkflowInternal.context().sleep(duration);
  }

  /**
   * A durable timer: a promise that completes when {@code delay} has passed in workflow time. If
   * its cancellation scope is cancelled first, the timer is cancelled (TimerCanceled in history)
   * and the promise fails with {@code CanceledFailure}. A delay of zero or less completes at once.
   */
  public static Promise<Void> newTimer(Duration delay) {
    return WorkflowInternal.context().timer(delay);
  }

  /** Blocks until the condition holds. The condition must read only workflow state. */
  public static void await(Supplier<Boolean> condition) {
    WorkflowInternal.context().await(condition);
  }

  /**
   * Blocks until the condition holds or the timeout passes.
   *
   * @return true if the condition held, false on timeout
   */
  public static boolean await(Duration timeout, Supplier<Boolean> condition) {
    return WorkflowInternal.context().await(timeout, condition);
  }

  /** Workflow time: the time of the current workflow task, the same on replay. */
  public static long currentTimeMillis() {
    return WorkflowInternal.context().currentTimeMillis();
  }

  /** A UUID drawn from the workflow's seeded generator. */
  public static UUID randomUUID() {
    return WorkflowInternal.context().randomUUID();
  }

  /** A {@link Random} seeded from history, for deterministic randomness. */
  public static Random newRandom() {
    return WorkflowInternal.context().newRandom();
  }

  /**
   * Runs {@code fn} once and records its result in history; replays return the recorded result
   * without running it again. For small non-deterministic values (an id, a clock reading).
   */
  public static <R> R sideEffect(Class<R> resultClass, Functions.Func<R> fn) {
    return WorkflowInternal.context().sideEffect(resultClass, fn);
  }

  /** A promise the workflow completes itself, for example from a signal handler. */
  public static <V> CompletablePromise<V> newPromise() {
    return WorkflowInternal.newPromise();
  }

  /** A logger that stays quiet while the workflow replays history. */
  public static Logger getLogger(Class<?> type) {
    return WorkflowInternal.replaySafeLogger(type);
  }

  /** True while the current workflow task replays recorded history. */
  public static boolean isReplaying() {
    return WorkflowInternal.context().isReplaying();
  }

  public static WorkflowInfo getInfo() {
    return WorkflowInternal.context().info();
  }

  /**
   * A cron workflow's last completed run's result (kept across failed runs), converted to
   * {@code resultClass}; null in the first run or when no run has completed yet.
   */
  public static <R> R getLastCompletionResult(Class<R> resultClass) {
    Payload last = WorkflowInternal.context().startOptions().lastCompletionResult();
    return last == null ? null : resultClass.cast(DataConverter.get().fromPayload(last, resultClass));
  }

  /** A cron workflow's previous run's failure (failed or timed out), if it did not complete. */
  public static Optional<Exception> getPreviousRunFailure() {
    FailureInfo failure = WorkflowInternal.context().startOptions().previousFailure();
    return failure == null ? Optional.empty() : Optional.of(FailureConverter.toException(failure));
  }

  /** A scope, child of the current one, whose {@link CancellationScope#run()} runs {@code body}. */
  public static CancellationScope newCancellationScope(Runnable body) {
    return WorkflowInternal.context().newCancellationScope(body, false);
  }

  /** A scope not cancelled with its parent: for cleanup that must run after a cancellation. */
  public static CancellationScope newDetachedCancellationScope(Runnable body) {
    return WorkflowInternal.context().newCancellationScope(body, true);
  }
}
