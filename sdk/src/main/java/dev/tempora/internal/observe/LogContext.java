package dev.tempora.internal.observe;

import java.util.List;
import org.slf4j.MDC;

/**
 * The MDC fields of the message a handler works on ({@code workflowId}, {@code runId},
 * {@code activityId}, {@code attempt}, {@code taskQueue}, {@code awsRequestId}): JSON logs carry
 * them on every event. A scope removes all of them on close, so nothing leaks to the next message
 * handled on the same thread.
 */
public final class LogContext implements AutoCloseable {
  public static final String WORKFLOW_ID = "workflowId";
  public static final String RUN_ID = "runId";
  public static final String ACTIVITY_ID = "activityId";
  public static final String ATTEMPT = "attempt";
  public static final String TASK_QUEUE = "taskQueue";
  public static final String AWS_REQUEST_ID = "awsRequestId";
  static final List<String> FIELDS = List.of(WORKFLOW_ID, RUN_ID, ACTIVITY_ID, ATTEMPT, TASK_QUEUE);

  private final String awsRequestId;

  private LogContext(String awsRequestId) {
    this.awsRequestId = awsRequestId;
  }

  /** Opens a scope for one message of invocation {@code awsRequestId} (null outside Lambda). */
  public static LogContext open(String awsRequestId) {
    String previous = MDC.get(AWS_REQUEST_ID);
    if (awsRequestId != null) {
      MDC.put(AWS_REQUEST_ID, awsRequestId);
    }
    return new LogContext(previous);
  }

  public LogContext put(String field, Object value) {
    if (value != null) {
      MDC.put(field, value.toString());
    }
    return this;
  }

  @Override
  public void close() {
    FIELDS.forEach(MDC::remove);
    if (awsRequestId == null) {
      MDC.remove(AWS_REQUEST_ID);
    } else {
      MDC.put(AWS_REQUEST_ID, awsRequestId);
    }
  }
}
