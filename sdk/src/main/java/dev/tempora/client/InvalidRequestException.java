package dev.tempora.client;

/**
 * A request refused before anything was written: an unregistered workflow type, a task queue the
 * engine does not serve, an undeclared signal or query, arguments that do not convert, a malformed
 * id or duration, workflow retry options or memo. {@link #getError()} is the name the HTTP API answers with in its {@code error}
 * field (the constants below), so the Java client, the CLI and the HTTP API report the same
 * refusal the same way. Retrying the same request cannot succeed.
 */
public final class InvalidRequestException extends IllegalArgumentException {
  public static final String UNKNOWN_WORKFLOW_TYPE = "UnknownWorkflowType";
  public static final String UNKNOWN_TASK_QUEUE = "UnknownTaskQueue";
  public static final String UNKNOWN_SIGNAL = "UnknownSignal";
  public static final String UNKNOWN_QUERY = "UnknownQuery";
  public static final String UNKNOWN_UPDATE = "UnknownUpdate";
  public static final String INVALID_ARGUMENTS = "InvalidArguments";
  public static final String INVALID_WORKFLOW_ID = "InvalidWorkflowId";
  public static final String INVALID_REQUEST_ID = "InvalidRequestId";
  /** A malformed field value, such as a task queue name that could not name a queue. */
  public static final String INVALID_FIELD = "InvalidField";
  public static final String INVALID_DURATION = "InvalidDuration";
  /** A workflow retry policy that cannot be (an interval not positive, a coefficient below 1, ...). */
  public static final String INVALID_RETRY_OPTIONS = "InvalidRetryOptions";
  /** A memo key that is blank or too long, a value that is not JSON, a memo over 2 MB. */
  public static final String INVALID_MEMO = "InvalidMemo";
  /** A cron expression that does not parse (schedules, cron workflows). */
  public static final String INVALID_CRON_EXPRESSION = "InvalidCronExpression";
  /** A time zone name the zone rules do not know. */
  public static final String INVALID_TIME_ZONE = "InvalidTimeZone";
  /** A schedule spec, policy or action that cannot be run (an interval under a second, a calendar field out of range...). */
  public static final String INVALID_SCHEDULE = "InvalidSchedule";
  public static final String INVALID_SCHEDULE_ID = "InvalidScheduleId";
  /** A search attribute with a reserved or malformed name, or a value that does not fit its type. */
  public static final String INVALID_SEARCH_ATTRIBUTES = "InvalidSearchAttributes";
  /** A list query that does not parse, or compares a system field with a value it cannot have. */
  public static final String INVALID_QUERY = "InvalidQuery";
  /** A list query in Temporal's language that this engine does not answer (ORDER BY other than StartTime, GROUP BY, LIKE). */
  public static final String UNSUPPORTED_QUERY = "UnsupportedQuery";
  /** A list query that would read the namespace's whole visibility index: refused unless the caller allows a scan. */
  public static final String QUERY_REQUIRES_SCAN = "QueryRequiresScan";

  private final String error;
  private final String detail;

  public InvalidRequestException(String error, String detail) {
    super(error + ": " + detail);
    this.error = error;
    this.detail = detail;
  }

  /** The refusal's name, e.g. {@code UnknownWorkflowType}: branch on this, not on the message. */
  public String getError() {
    return error;
  }

  /** What is wrong, for people: the message without the leading name. */
  public String getDetail() {
    return detail;
  }
}
