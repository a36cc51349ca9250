package dev.tempora.internal.http;

import dev.tempora.client.InvalidRequestException;

/**
 * The error names of the HTTP API and the status each answers with. The name is the {@code error}
 * field of an error body ({@code {"error": "UnknownWorkflowType", "message": "..."}}); clients
 * switch on it, so a name, once published, never changes meaning.
 */
public enum ApiError {
  BAD_JSON(400, "BadJson"),
  MISSING_FIELD(400, "MissingField"),
  UNKNOWN_FIELD(400, "UnknownField"),
  INVALID_FIELD(400, "InvalidField"),
  INVALID_WORKFLOW_ID(400, "InvalidWorkflowId"),
  INVALID_PATH(400, "InvalidPath"),
  UNKNOWN_PARAMETER(400, "UnknownParameter"),
  INVALID_PARAMETER(400, "InvalidParameter"),
  UNKNOWN_WORKFLOW_TYPE(400, "UnknownWorkflowType"),
  UNKNOWN_SIGNAL(400, "UnknownSignal"),
  UNKNOWN_QUERY(400, "UnknownQuery"),
  UNKNOWN_UPDATE(400, "UnknownUpdate"),
  UNKNOWN_TASK_QUEUE(400, "UnknownTaskQueue"),
  INVALID_ARGUMENTS(400, "InvalidArguments"),
  INVALID_REQUEST_ID(400, "InvalidRequestId"),
  /** No route takes a duration today (waitSeconds is a parameter); here so every client refusal has its name. */
  INVALID_DURATION(400, "InvalidDuration"),
  INVALID_RETRY_OPTIONS(400, "InvalidRetryOptions"),
  INVALID_MEMO(400, "InvalidMemo"),
  INVALID_CRON_EXPRESSION(400, "InvalidCronExpression"),
  INVALID_TIME_ZONE(400, "InvalidTimeZone"),
  INVALID_SCHEDULE(400, "InvalidSchedule"),
  INVALID_SCHEDULE_ID(400, "InvalidScheduleId"),
  /** A task token that is malformed, altered or made by another engine (async activity completion). */
  INVALID_TASK_TOKEN(400, "InvalidTaskToken"),
  INVALID_SEARCH_ATTRIBUTES(400, "InvalidSearchAttributes"),
  INVALID_QUERY(400, "InvalidQuery"),
  UNSUPPORTED_QUERY(400, "UnsupportedQuery"),
  QUERY_REQUIRES_SCAN(400, "QueryRequiresScan"),
  ROUTE_NOT_FOUND(404, "RouteNotFound"),
  WORKFLOW_NOT_FOUND(404, "WorkflowNotFound"),
  SCHEDULE_NOT_FOUND(404, "ScheduleNotFound"),
  /** {@code /dead-letters/{queue}/...} names no queue of this deployment. */
  QUEUE_NOT_FOUND(404, "QueueNotFound"),
  /** The token's activity attempt is not open (closed run, activity with an outcome, earlier attempt): nothing recorded. */
  ACTIVITY_NOT_EXISTS(404, "ActivityNotExists"),
  METHOD_NOT_ALLOWED(405, "MethodNotAllowed"),
  WORKFLOW_ALREADY_STARTED(409, "WorkflowAlreadyStarted"),
  WORKFLOW_CLOSED(409, "WorkflowClosed"),
  SCHEDULE_ALREADY_EXISTS(409, "ScheduleAlreadyExists"),
  PAYLOAD_TOO_LARGE(413, "PayloadTooLarge"),
  UNSUPPORTED_MEDIA_TYPE(415, "UnsupportedMediaType"),
  QUERY_FAILED(422, "QueryFailed"),
  /** The workflow's update validator rejected the update: nothing was recorded. */
  UPDATE_REJECTED(422, "UpdateRejected"),
  INTERNAL_ERROR(500, "InternalError");

  private final int status;
  private final String code;

  ApiError(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  /** The name in the error body. */
  public String code() {
    return code;
  }

  public ApiException exception(String message) {
    return new ApiException(this, message);
  }

  /** The client's refusal as the API's: the same name, so the two paths agree. */
  public static ApiException of(InvalidRequestException e) {
    for (ApiError error : values()) {
      if (error.code.equals(e.getError())) {
        return error.exception(e.getDetail());
      }
    }
    throw new IllegalStateException("no HTTP error named " + e.getError(), e);
  }
}
