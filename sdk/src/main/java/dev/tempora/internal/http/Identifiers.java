package dev.tempora.internal.http;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.internal.client.RequestValidator;

/**
 * The client's rules for workflow ids and task queue names ({@link RequestValidator}), refusing
 * with the API's errors, for entry points that check a field before calling the service (the
 * EventBridge start handler).
 */
public final class Identifiers {
  public static final int MAX_WORKFLOW_ID_LENGTH = RequestValidator.MAX_WORKFLOW_ID_LENGTH;
  public static final String DEFAULT_TASK_QUEUE = RequestValidator.DEFAULT_TASK_QUEUE;

  private Identifiers() {}

  /** The id, if it is 1-255 non-blank characters of well-formed Unicode. */
  public static String workflowId(String id) {
    try {
      return RequestValidator.workflowId(id);
    } catch (InvalidRequestException e) {
      throw ApiError.of(e);
    }
  }

  /** The name, if it can name a task queue (whether one is served is the service's check). */
  public static String taskQueue(String q) {
    try {
      return RequestValidator.taskQueueName(q);
    } catch (InvalidRequestException e) {
      throw ApiError.of(e);
    }
  }
}
