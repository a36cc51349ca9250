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

  public ActivityCompletionClientImpl(AsyncCompletions completions) {
    this.completions = Objects.requireNonNull(completions);
  }

  @Override
  public <R> void complete(byte[] taskToken, R result) {
    completions.complete(completions.verify(taskToken), DataConverter.get().toPayload(result));
  }

  @Override
  public <R> void complete(String workflowId, Optional<String> runId, String activityId, R result) {
    completions.complete(byId(workflowId, runId, activityId), DataConverter.get().toPayload(result));
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
    completions.reportCancellation(completions.verify(taskToken), DataConverter.get().toPayload(details));
  }

  @Override
  public <V> void reportCancellation(String workflowId, Optional<String> runId, String activityId, V details) {
    completions.reportCancellation(byId(workflowId, runId, activityId), DataConverter.get().toPayload(details));
  }

  @Override
  public <V> void heartbeat(byte[] taskToken, V details) {
    completions.heartbeat(completions.verify(taskToken), DataConverter.get().toPayload(details));
  }

  @Override
  public <V> void heartbeat(String workflowId, Optional<String> runId, String activityId, V details) {
    completions.heartbeat(byId(workflowId, runId, activityId), DataConverter.get().toPayload(details));
  }

  private TaskToken byId(String workflowId, Optional<String> runId, String activityId) {
    RequestValidator.workflowId(workflowId);
    return completions.byId(workflowId, runId.orElse(null), activityId);
  }
}
