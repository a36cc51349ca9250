package dev.tempora.internal.http;

import java.util.regex.Pattern;

/** The shapes of workflow ids and task queue names a request may use. */
public final class Identifiers {
  public static final int MAX_WORKFLOW_ID_LENGTH = 255;
  public static final String DEFAULT_TASK_QUEUE = "default";
  /** A task queue becomes part of an SQS queue name ({prefix}activities-{taskQueue}, at most 80 characters). */
  private static final Pattern TASK_QUEUE = Pattern.compile("[A-Za-z0-9_-]{1,40}");

  private Identifiers() {}

  /** The id, if it is 1-255 non-blank characters (the client's rule too). */
  public static String workflowId(String id) {
    if (id.isBlank() || id.length() > MAX_WORKFLOW_ID_LENGTH) {
      throw ApiError.INVALID_WORKFLOW_ID.exception("workflow id must be 1-" + MAX_WORKFLOW_ID_LENGTH
          + " non-blank characters, got " + (id.isBlank() ? "a blank one" : id.length() + " characters"));
    }
    return id;
  }

  public static String taskQueue(String q) {
    if (!TASK_QUEUE.matcher(q).matches()) {
      throw ApiError.INVALID_FIELD.exception("field 'taskQueue' is '" + q
          + "'; a task queue is 1-40 letters, digits, '-' or '_' (it names an SQS queue)");
    }
    return q;
  }
}
