package dev.tempora.internal.converter;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.history.Event;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.WorkflowTaskMessage;

/**
 * JSON form of what the stores and queues carry: history batches, workflow-task messages,
 * activity tasks. Events are tagged with their record's simple name ({@code "type":"TimerFired"});
 * every permitted subtype of the sealed {@link Event} is registered, so a new event type needs no
 * change here.
 */
public final class HistoryJson {
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
  private interface EventMixin {}

  private static final ObjectMapper MAPPER = DataConverter.get().mapper().copy().addMixIn(Event.class, EventMixin.class);

  static {
    MAPPER.registerSubtypes(Event.class.getPermittedSubclasses());
  }

  private HistoryJson() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot decode " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public static HistoryBatch readBatch(String json) {
    return read(json, HistoryBatch.class);
  }

  /** @throws IllegalArgumentException if the JSON is not a workflow-task message (fields missing included) */
  public static WorkflowTaskMessage readMessage(String json) {
    WorkflowTaskMessage m = read(json, WorkflowTaskMessage.class);
    if (m == null || m.messageId() == null || m.run() == null || m.run().namespace() == null
        || m.run().workflowId() == null || m.run().runId() == null) {
      throw new IllegalArgumentException("cannot decode WorkflowTaskMessage: message id or run missing");
    }
    return m;
  }

  /** @throws IllegalArgumentException if the JSON is not an activity task (fields missing included) */
  public static ActivityTask readActivityTask(String json) {
    ActivityTask t = read(json, ActivityTask.class);
    if (t == null || t.run() == null || t.run().runId() == null || t.activityType() == null || t.taskQueue() == null
        || t.attempt() < 1) {
      throw new IllegalArgumentException("cannot decode ActivityTask: run, type, task queue or attempt missing");
    }
    return t;
  }
}
