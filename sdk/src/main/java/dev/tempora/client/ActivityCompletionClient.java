package dev.tempora.client;

import java.util.Optional;

/**
 * Completes activities that returned without a result ({@code
 * Activity.getExecutionContext().doNotCompleteOnReturn()}), from another thread, process or
 * service, as Temporal's {@code ActivityCompletionClient} does. From {@link
 * WorkflowClient#newActivityCompletionClient()}.
 *
 * <p>An activity is named by its task token ({@code getTaskToken()}: signed, it names the run, the
 * activity and the attempt) or by workflow id, optional run id (default: the current run) and
 * activity id (then the current attempt is meant). Only an open attempt can be completed: the
 * first outcome wins, and a later one, one for an attempt that timed out and was retried, or one
 * for a closed run is refused with {@link ActivityNotExistsException}, nothing recorded. The
 * activity's start-to-close, schedule-to-close and heartbeat timeouts keep running while the
 * token is held.
 */
public interface ActivityCompletionClient {
  <R> void complete(byte[] taskToken, R result);

  <R> void complete(String workflowId, Optional<String> runId, String activityId, R result);

  /** Fails the attempt; it is retried by the activity's retry policy, as a thrown exception is. */
  void completeExceptionally(byte[] taskToken, Exception failure);

  void completeExceptionally(String workflowId, Optional<String> runId, String activityId, Exception failure);

  /** Records the activity as canceled (meant for after a cancel request, which a heartbeat reports). */
  <V> void reportCancellation(byte[] taskToken, V details);

  <V> void reportCancellation(String workflowId, Optional<String> runId, String activityId, V details);

  /**
   * Records progress: resets the heartbeat timeout, and the details reach the next attempt.
   *
   * @throws ActivityCanceledException the workflow asked to cancel the activity (the heartbeat is recorded)
   */
  <V> void heartbeat(byte[] taskToken, V details);

  <V> void heartbeat(String workflowId, Optional<String> runId, String activityId, V details);
}
