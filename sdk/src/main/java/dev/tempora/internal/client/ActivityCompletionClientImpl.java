package dev.tempora.internal.client;

import dev.tempora.client.ActivityCompletionClient;
import dev.tempora.internal.completion.AsyncCompletions;
import dev.tempora.internal.completion.TaskToken;
import dev.tempora.internal.converter.DataConverter;
import java.util.Objects;
import java.util.Optional;

/** {@link ActivityCompletionClient} over the engine's {@link AsyncCompletions}. */
public final class ActivityCompletionClientImpl implements ActivityCompletionClient {
  private final AsyncCompletions completions;
  private final DataConverter converter;

  /** {@code converter}: the client's, so results and details are encoded as the worker's are. */
  public ActivityCompletionClientImpl(AsyncCompletions completions, DataConverter converter) {
    this.completions = Objects.requireNonNull(completions);
    this.converter = Objects.requireNonNull(converter);
  }

  @Override
  public <R> void complete(byte[] taskToken, R result) {
    completions.complete(completions.verify(taskToken), converter.toPayload(result));
  }

  @Override
  public <R> void complete(String workflowId, Optional<String> runId, String activityId, R result) {
    completions.complete(byId(workflowId, runId, activityId), converter.toPayload(result));
  }

  @Override
  public void completeExceptionally(byte[] taskToken, Exception failure) {
    completions.fail(completions.verify(taskToken), failure);
  }

  @Override
  public void completeExceptionally(String workflowId, Optional<String> runId, String activityId, Exception failure) {
    completions.fail(byId(workflowId, runId, activityId), failure);
  }

  @Override
  public <V> void reportCancellation(byte[] taskToken, V details) {
    completions.reportCancellation(completions.verify(taskToken), converter.toPayload(details));
  }

  @Override
  public <V> void reportCancellation(String workflowId, Optional<String> runId, String activityId, V details) {
    completions.reportCancellation(byId(workflowId, runId, activityId), converter.toPayload(details));
  }

  @Override
  public <V> void heartbeat(byte[] taskToken, V details) {
    completions.heartbeat(completions.verify(taskToken), converter.toPayload(details));
  }

  @Override
  public <V> void heartbeat(String workflowId, Optional<String> runId, String activityId, V details) {
    completions.heartbeat(byId(workflowId, runId, activityId), converter.toPayload(details));
  }

  private TaskToken byId(String workflowId, Optional<String> runId, String activityId) {
    RequestValidator.workflowId(workflowId);
    return completions.byId(workflowId, runId.orElse(null), activityId);
  }
}
