package dev.tempora.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowExecutionMetadata;
import dev.tempora.client.WorkflowExecutionPage;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowAlreadyStartedException;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowException;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowExecutionInfo;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowIdReusePolicy;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.client.WorkflowQueryException;
import dev.tempora.client.WorkflowUpdateStage;
import dev.tempora.client.schedules.ScheduleAlreadyRunningException;
import dev.tempora.client.schedules.ScheduleDescription;
import dev.tempora.client.schedules.ScheduleNotFoundException;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.internal.client.RequestValidator;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.completion.AsyncCompletions;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.converter.PayloadTooLargeException;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.schedules.ScheduleService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (docs/http-api.md): routes, validation and the JSON on both sides, over a
 * {@link WorkflowService}. It knows nothing of its transport: the API Gateway handler and the
 * devserver's HTTP server both turn their requests into {@link ApiRequest}s and send back the
 * {@link ApiResponse}.
 *
 * <p>Every check that can refuse a request runs before the first write: a refused request leaves
 * the table and the queues as they were. This class checks the request's shape (JSON, fields,
 * parameters); what the request asks for (type, task queue, signal and query names, arguments,
 * ids) the {@link WorkflowService} checks, as it does for the Java client and the CLI, and a
 * refusal there answers with the same name ({@link InvalidRequestException#getError()}).
 */
public final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final ObjectMapper JSON = DataConverter.get().mapper();
  private static final SecureRandom ERROR_IDS = new SecureRandom();

  /**
   * The largest request body: the data converter's payload limit. Every payload travels inside
   * the body, so a larger body could only carry a payload the converter would refuse anyway (and
   * it stays well under Lambda's 6 MB synchronous request limit).
   */
  public static final int MAX_BODY_BYTES = DataConverter.MAX_PAYLOAD_BYTES;
  /** The longest {@code waitSeconds} of GET .../result: under API Gateway's 30 s integration timeout. */
  public static final int MAX_WAIT_SECONDS = 20;
  public static final int DEFAULT_LIST_LIMIT = 100;
  public static final int MAX_LIST_LIMIT = 1000;

  private final WorkflowService service;
  private final Router router = new Router()
      .add("POST", "/workflows", this::start)
      .add("GET", "/workflows", this::list, "status", "workflowType", "startedAfter", "startedBefore", "limit",
          "query", "pageToken", "pageSize", "allowScan")
      .add("GET", "/workflow-count", this::count, "query", "allowScan")
      .add("GET", "/workflows/{workflowId}", this::describe)
      .add("GET", "/workflows/{workflowId}/result", this::result, "waitSeconds")
      .add("GET", "/workflows/{workflowId}/history", this::history, "runId", "pageToken", "pageSize")
      .add("POST", "/workflows/{workflowId}/signal-with-start", this::signalWithStart)
      .add("POST", "/workflows/{workflowId}/signals/{signalName}", this::signal)
      .add("POST", "/workflows/{workflowId}/updates/{updateName}", this::update)
      .add("POST", "/workflows/{workflowId}/queries/{queryName}", this::query)
      .add("POST", "/workflows/{workflowId}/cancel", this::cancel)
      .add("POST", "/workflows/{workflowId}/terminate", this::terminate);

  /**
   * @param service the client operations, which check requests against the registered workflow
   *     types and served task queues; its query port should answer in process (the caller runs
   *     with the workflow code registered, as the coordinator does)
   */
  public HttpApi(WorkflowService service) {
    this(service, null);
  }

  /** With the schedule routes when {@code schedules} is given (ADR 14). */
  public HttpApi(WorkflowService service, ScheduleService schedules) {
    this(service, schedules, null);
  }

  /** With the async activity completion routes when {@code completions} is given (ADR 19). */
  public HttpApi(WorkflowService service, ScheduleService schedules, AsyncCompletions completions) {
    this.service = service;
    if (schedules != null) {
      new ScheduleRoutes(schedules).register(router);
    }
    if (completions != null) {
      new ActivityRoutes(completions).register(router);
    }
  }

  /**
   * Adds the dead-letter routes ({@code GET /dead-letters}, {@code POST
   * /dead-letters/{queue}/redrive}) over {@code deadLetters}: the devserver and {@code tempora ui}
   * serve them, the Lambda HTTP API does not (ADR web-ui).
   */
  public HttpApi withDeadLetters(DeadLetters deadLetters) {
    new DeadLetterRoutes(deadLetters).register(router);
    return this;
  }

  /** Answers one request; never throws. */
  public ApiResponse handle(ApiRequest request) {
    try {
      if (request.body().length > MAX_BODY_BYTES) {
        throw ApiError.PAYLOAD_TOO_LARGE.exception("the request body has " + request.body().length
            + " bytes; the limit is " + MAX_BODY_BYTES + " bytes (pass a reference, for example an S3 key, instead of the data)");
      }
      return switch (router.match(request)) {
        case Router.Match.Found f -> {
          requireJsonContent(request);
          yield f.handler().handle(f.call());
        }
        case Router.Match.WrongMethod w -> error(ApiError.METHOD_NOT_ALLOWED, "method " + request.method()
            + " is not allowed on " + request.rawPath() + " (allowed: " + String.join(", ", w.allowed()) + ")",
            Map.of("Allow", String.join(", ", w.allowed())));
        case Router.Match.NotFound n -> error(ApiError.ROUTE_NOT_FOUND, "no route " + request.method() + " "
            + request.rawPath() + " (see docs/http-api.md for the routes)", Map.of());
      };
    } catch (ApiException e) {
      return error(e.error(), e.getMessage(), Map.of());
    } catch (InvalidRequestException e) {
      ApiException api = ApiError.of(e);
      return error(api.error(), api.getMessage(), Map.of());
    } catch (PayloadTooLargeException e) {
      return error(ApiError.PAYLOAD_TOO_LARGE, e.getMessage(), Map.of());
    } catch (WorkflowAlreadyStartedException e) {
      return error(ApiError.WORKFLOW_ALREADY_STARTED, e.getMessage(), Map.of());
    } catch (WorkflowNotFoundException e) {
      // Checked up front too; this covers a run that closed or vanished between the check and the call.
      return error(ApiError.WORKFLOW_NOT_FOUND, e.getMessage(), Map.of());
    } catch (ScheduleNotFoundException e) {
      return error(ApiError.SCHEDULE_NOT_FOUND, e.getMessage().replaceFirst("^ScheduleNotFound: ", ""), Map.of());
    } catch (ScheduleAlreadyRunningException e) {
      return error(ApiError.SCHEDULE_ALREADY_EXISTS, e.getMessage().replaceFirst("^ScheduleAlreadyExists: ", ""), Map.of());
    } catch (WorkflowQueryException e) {
      return error(ApiError.QUERY_FAILED, e.getMessage(), Map.of());
    } catch (RuntimeException e) {
      // The client learns only an id; what failed (often an AWS SDK exception naming the table,
      // the request or a Java type) stays in the log, under the same id.
      String errorId = newErrorId();
      log.error("{} {} failed (error id {})", request.method(), request.rawPath(), errorId, e);
      return error(ApiError.INTERNAL_ERROR, "internal error (error id " + errorId + "; the server's log has the details)",
          Map.of());
    }
  }

  // ---- routes ------------------------------------------------------------------------------

  private ApiResponse start(Router.Call call) {
    JsonBody body = JsonBody.parse(call.request().body(), true, "POST /workflows", fields(
        "workflowType", "workflowId", "taskQueue", "args", "workflowIdReusePolicy"));
    String type = body.requiredString("workflowType");
    String workflowId = body.requiredString("workflowId");
    String taskQueue = taskQueue(body);
    WorkflowIdReusePolicy policy = reusePolicy(body);
    Payload input = WorkflowArguments.payload(body.optionalArray("args"));
    return started(service.startRun(workflowId, type, taskQueue, input, policy, StartOptionsJson.read(body)), type);
  }

  private ApiResponse signalWithStart(Router.Call call) {
    String workflowId = call.path("workflowId");
    JsonBody body = JsonBody.parse(call.request().body(), true, "POST /workflows/{workflowId}/signal-with-start",
        fields("workflowType", "taskQueue", "args", "workflowIdReusePolicy", "signalName", "signalArgs", "requestId"));
    String type = body.requiredString("workflowType");
    String signalName = body.requiredString("signalName");
    String taskQueue = taskQueue(body);
    WorkflowIdReusePolicy policy = reusePolicy(body);
    Payload input = WorkflowArguments.payload(body.optionalArray("args"));
    Payload signalArgs = WorkflowArguments.payload(body.optionalArray("signalArgs"));
    String requestId = body.optionalText("requestId", null);
    return started(service.signalWithStartRun(workflowId, type, taskQueue, input, policy, StartOptionsJson.read(body),
        signalName, signalArgs, requestId), type);
  }

  /** A start body's fields: these and the start options'. */
  private static String[] fields(String... fields) {
    List<String> all = new ArrayList<>(List.of(fields));
    all.addAll(StartOptionsJson.FIELDS);
    return all.toArray(String[]::new);
  }

  private ApiResponse signal(Router.Call call) {
    String workflowId = call.path("workflowId");
    String signalName = call.path("signalName");
    JsonBody body = JsonBody.parse(call.request().body(), false, "a signal", "args", "requestId");
    Payload args = WorkflowArguments.payload(body.optionalArray("args"));
    String requestId = body.optionalText("requestId", null);
    RunRecord run = currentRun(workflowId);
    if (requestId != null && run.status().isClosed() && service.signalRecorded(run.run(), requestId)) {
      return ok(202, execution(run)); // a repeat of a signal the run recorded before it closed: done already
    }
    requireOpen(run, "signal");
    service.signal(workflowId, signalName, args, requestId);
    return ok(202, execution(run));
  }

  /**
   * Sends an update (or finds the one with this {@code updateId}) and waits up to {@link
   * #MAX_WAIT_SECONDS} (under API Gateway's timeout) for {@code waitForStage}
   * ({@code COMPLETED} by default, or {@code ACCEPTED}): 200 with its stage (and, completed, its
   * result or failure), 202 with the stage it has reached if not yet there (ask again with the
   * same update id), 422 {@code UpdateRejected} if its validator rejected it.
   */
  private ApiResponse update(Router.Call call) {
    String workflowId = call.path("workflowId");
    String updateName = call.path("updateName");
    JsonBody body = JsonBody.parse(call.request().body(), false, "an update", "args", "updateId", "waitForStage");
    Payload args = WorkflowArguments.payload(body.optionalArray("args"));
    String updateId = body.optionalText("updateId", null);
    WorkflowUpdateStage stage = body.optionalEnum("waitForStage", WorkflowUpdateStage.class,
        WorkflowUpdateStage.COMPLETED);
    if (stage == WorkflowUpdateStage.ADMITTED) {
      throw ApiError.INVALID_FIELD.exception("field 'waitForStage' must be ACCEPTED or COMPLETED");
    }
    RunRecord run = currentRun(workflowId);
    WorkflowService.UpdateOutcome outcome;
    try {
      outcome = service.update(workflowId, updateName, args, updateId, stage, Duration.ofSeconds(MAX_WAIT_SECONDS));
    } catch (WorkflowNotFoundException e) {
      // The run is there but closed (before the update, or before it was accepted): as a signal to it.
      if (service.runRecord(run.run()).status().isClosed()) {
        throw ApiError.WORKFLOW_CLOSED.exception(e.getMessage());
      }
      throw e;
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("workflowId", outcome.execution().workflowId());
    out.put("runId", outcome.execution().runId());
    out.put("updateId", outcome.updateId());
    if (outcome.rejected()) {
      throw ApiError.UPDATE_REJECTED.exception("update '" + updateName + "' (" + outcome.updateId()
          + ") was rejected: " + outcome.failure().summary());
    }
    out.put("stage", outcome.stage().name());
    if (outcome.stage() == WorkflowUpdateStage.COMPLETED) {
      if (outcome.failure() != null) {
        out.set("failure", failure(outcome.failure()));
      } else {
        out.set("result", parse(outcome.result()));
      }
    }
    return ok(outcome.stage().compareTo(stage) >= 0 ? 200 : 202, out);
  }

  private ApiResponse query(Router.Call call) {
    String workflowId = call.path("workflowId");
    String queryName = call.path("queryName");
    JsonBody body = JsonBody.parse(call.request().body(), false, "a query", "args");
    Payload args = WorkflowArguments.payload(body.optionalArray("args"));
    RunRecord run = currentRun(workflowId);
    Payload result = service.query(workflowId, queryName, args);
    ObjectNode out = execution(run);
    out.set("result", parse(result));
    return ok(200, out);
  }

  private ApiResponse describe(Router.Call call) {
    WorkflowDescription d = service.describe(call.path("workflowId"));
    ObjectNode out = flatten(d.execution(), StartOptionsJson.describe(d));
    return ok(200, out);
  }

  private ApiResponse result(Router.Call call) {
    String workflowId = call.path("workflowId");
    int waitSeconds = intParameter(call, "waitSeconds", 0, 0, MAX_WAIT_SECONDS);
    RunRecord run = currentRun(workflowId);
    Event closing = null;
    if (!run.status().isClosed() && waitSeconds > 0) {
      try {
        closing = service.awaitClose(run.run(), Duration.ofSeconds(waitSeconds));
      } catch (WorkflowException e) {
        if (!(e.getCause() instanceof TimeoutException)) {
          throw e;
        }
      }
      run = service.runRecord(run.run());
    }
    ObjectNode out = execution(run);
    out.put("workflowType", run.workflowType());
    out.put("status", run.status().name());
    if (!run.status().isClosed()) {
      return ok(202, out);
    }
    switch (closing != null ? closing : service.closingEvent(run.run())) {
      case Event.WorkflowExecutionCompleted c -> out.set("result", parse(c.result()));
      case Event.WorkflowExecutionFailed f -> out.set("failure", failure(f.failure()));
      case Event.WorkflowExecutionTerminated t -> out.put("reason", t.reason());
      case Event.WorkflowExecutionContinuedAsNew c -> out.put("newRunId", c.newRunId());
      default -> { } // canceled: the status says it all
    }
    return ok(200, out);
  }

  /**
   * {@code GET /workflows/{workflowId}/history}: a page of the current (or {@code runId}'s) run's
   * events, oldest first, each with a one-line {@code summary}. The page token is the last event
   * id given (opaque to callers); the history is read whole, as the client's fetchHistory reads
   * it, and is bounded by the workflow limits (ADR 9).
   */
  private ApiResponse history(Router.Call call) {
    String workflowId = call.path("workflowId");
    String runId = call.query().get("runId");
    int pageSize = intParameter(call, "pageSize", DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
    long after = 0;
    String token = call.query().get("pageToken");
    if (token != null) {
      try {
        after = Long.parseLong(token);
      } catch (NumberFormatException e) {
        after = -1;
      }
      if (after < 0) {
        throw ApiError.INVALID_PARAMETER.exception("query parameter 'pageToken' is '" + token
            + "', not a token this API gave");
      }
    }
    if (runId != null && runId.isBlank()) {
      throw ApiError.INVALID_PARAMETER.exception("query parameter 'runId' is empty");
    }
    RunRecord run = runId == null ? currentRun(workflowId)
        : service.runRecord(service.runKey(new WorkflowExecution(workflowId, runId)));
    List<HistoryEvent> events = service.history(run.run());
    ObjectNode out = execution(run);
    ArrayNode rows = out.putArray("events");
    long last = after;
    for (HistoryEvent e : events) {
      if (e.eventId() <= after) {
        continue;
      }
      if (rows.size() == pageSize) {
        break;
      }
      ObjectNode row = (ObjectNode) parse(new Payload(HistoryJson.write(e)));
      row.put("summary", e.event().describe());
      rows.add(row);
      last = e.eventId();
    }
    boolean more = !events.isEmpty() && events.getLast().eventId() > last;
    if (more) {
      out.put("nextPageToken", Long.toString(last));
    } else {
      out.putNull("nextPageToken");
    }
    return ok(200, out);
  }

  private ApiResponse cancel(Router.Call call) {
    String workflowId = call.path("workflowId");
    JsonBody.parse(call.request().body(), false, "a cancel request");
    RunRecord run = openRun(workflowId, "cancel");
    service.cancel(workflowId);
    return ok(202, execution(run));
  }

  private ApiResponse terminate(Router.Call call) {
    String workflowId = call.path("workflowId");
    JsonBody body = JsonBody.parse(call.request().body(), false, "a terminate request", "reason");
    String reason = body.optionalString("reason", "terminated through the HTTP API");
    RunRecord run = openRun(workflowId, "terminate");
    service.terminate(workflowId, reason);
    ObjectNode out = execution(run);
    out.put("status", WorkflowExecutionStatus.TERMINATED.name());
    return ok(200, out);
  }

  private ApiResponse list(Router.Call call) {
    Map<String, String> q = call.query();
    if (q.containsKey("query") || q.containsKey("pageToken") || q.containsKey("pageSize") || q.containsKey("allowScan")) {
      return listQuery(call);
    }
    WorkflowExecutionStatus status = q.containsKey("status") ? enumParameter("status", q.get("status"),
        WorkflowExecutionStatus.class) : null;
    String type = q.get("workflowType");
    if (type != null && type.isBlank()) {
      throw ApiError.INVALID_PARAMETER.exception("query parameter 'workflowType' is empty");
    }
    Instant after = instantParameter(q, "startedAfter");
    Instant before = instantParameter(q, "startedBefore");
    int limit = intParameter(call, "limit", DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode rows = out.putArray("executions");
    for (WorkflowExecutionInfo info : service.list(new ListExecutionsRequest(status, type, after, before, limit))) {
      rows.add(flatten(info.execution(), JSON.valueToTree(info)));
    }
    return ok(200, out);
  }

  /** {@code GET /workflows?query=...}: a page of a list query (the other filters do not mix with it). */
  private ApiResponse listQuery(Router.Call call) {
    Map<String, String> q = call.query();
    for (String old : List.of("status", "workflowType", "startedAfter", "startedBefore", "limit")) {
      if (q.containsKey(old)) {
        throw ApiError.INVALID_PARAMETER.exception("query parameter '" + old + "' does not mix with 'query', "
            + "'pageToken', 'pageSize' or 'allowScan'; say it in the query (see docs/http-api.md)");
      }
    }
    int pageSize = intParameter(call, "pageSize", DEFAULT_LIST_LIMIT, 1, WorkflowService.MAX_QUERY_PAGE);
    WorkflowExecutionPage page = service.listPage(q.get("query"), q.get("pageToken"), pageSize, allowScan(q));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode rows = out.putArray("executions");
    for (WorkflowExecutionMetadata m : page.executions()) {
      ObjectNode row = rows.addObject();
      row.put("workflowId", m.execution().workflowId());
      row.put("runId", m.execution().runId());
      row.put("workflowType", m.workflowType());
      row.put("taskQueue", m.taskQueue());
      row.put("status", m.status().name());
      row.put("startTime", m.startTime().toString());
      if (m.closeTime() == null) {
        row.putNull("closeTime");
      } else {
        row.put("closeTime", m.closeTime().toString());
      }
      row.set("searchAttributes", StartOptionsJson.searchAttributes(m.typedSearchAttributes()));
    }
    if (page.nextPageToken() == null) {
      out.putNull("nextPageToken");
    } else {
      out.put("nextPageToken", page.nextPageToken());
    }
    return ok(200, out);
  }

  /** {@code GET /workflow-count?query=...}: how many runs the query matches. */
  private ApiResponse count(Router.Call call) {
    Map<String, String> q = call.query();
    ObjectNode out = JSON.createObjectNode();
    out.put("count", service.count(q.get("query"), allowScan(q)));
    return ok(200, out);
  }

  private static boolean allowScan(Map<String, String> q) {
    String raw = q.get("allowScan");
    if (raw == null || raw.equals("false")) {
      return false;
    }
    if (raw.equals("true")) {
      return true;
    }
    throw ApiError.INVALID_PARAMETER.exception("query parameter 'allowScan' is '" + raw + "'; expected true or false");
  }

  // ---- checks ------------------------------------------------------------------------------

  private static String taskQueue(JsonBody body) {
    return body.optionalString("taskQueue", RequestValidator.DEFAULT_TASK_QUEUE);
  }

  private static WorkflowIdReusePolicy reusePolicy(JsonBody body) {
    return body.optionalEnum("workflowIdReusePolicy", WorkflowIdReusePolicy.class,
        WorkflowIdReusePolicy.ALLOW_DUPLICATE);
  }

  private RunRecord currentRun(String workflowId) {
    return findCurrentRun(workflowId).orElseThrow(() -> ApiError.WORKFLOW_NOT_FOUND.exception(
        "no workflow with id " + workflowId));
  }

  private RunRecord openRun(String workflowId, String operation) {
    return requireOpen(currentRun(workflowId), operation);
  }

  private static RunRecord requireOpen(RunRecord run, String operation) {
    if (run.status().isClosed()) {
      throw ApiError.WORKFLOW_CLOSED.exception("cannot " + operation + " workflow " + run.run().workflowId()
          + ": its run " + run.run().runId() + " is already " + run.status());
    }
    return run;
  }

  private Optional<RunRecord> findCurrentRun(String workflowId) {
    try {
      return Optional.of(service.currentRun(workflowId));
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    }
  }

  private static void requireJsonContent(ApiRequest request) {
    String type = request.contentType();
    if (request.body().length == 0 || type == null) {
      return;
    }
    String mime = type.split(";", 2)[0].trim().toLowerCase();
    if (!mime.equals("application/json") && !mime.endsWith("+json")) {
      throw ApiError.UNSUPPORTED_MEDIA_TYPE.exception("Content-Type is '" + type
          + "'; send the body as application/json");
    }
  }

  private static int intParameter(Router.Call call, String name, int fallback, int min, int max) {
    String raw = call.query().get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw ApiError.INVALID_PARAMETER.exception("query parameter '" + name + "' is '" + raw + "'; expected an integer "
        + min + "-" + max);
  }

  private static <E extends Enum<E>> E enumParameter(String name, String raw, Class<E> type) {
    try {
      return Enum.valueOf(type, raw);
    } catch (IllegalArgumentException e) {
      throw ApiError.INVALID_PARAMETER.exception("query parameter '" + name + "' is '" + raw + "'; expected one of "
          + Arrays.toString(type.getEnumConstants()));
    }
  }

  private static Instant instantParameter(Map<String, String> q, String name) {
    String raw = q.get(name);
    if (raw == null) {
      return null;
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw ApiError.INVALID_PARAMETER.exception("query parameter '" + name + "' is '" + raw
          + "'; expected an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }

  // ---- JSON out ----------------------------------------------------------------------------

  private ApiResponse started(WorkflowService.Started s, String type) {
    ObjectNode out = JSON.createObjectNode();
    out.put("workflowId", s.execution().workflowId());
    out.put("runId", s.execution().runId());
    out.put("workflowType", type);
    out.put("started", s.created());
    // 201 for a new run, 200 for the open run the id already had: a retried start is safe.
    String location = "/workflows/" + URLEncoder.encode(s.execution().workflowId(), StandardCharsets.UTF_8)
        .replace("+", "%20");
    return new ApiResponse(s.created() ? 201 : 200, Map.of("Location", location), out.toString());
  }

  private static ObjectNode execution(RunRecord run) {
    ObjectNode out = JSON.createObjectNode();
    out.put("workflowId", run.run().workflowId());
    out.put("runId", run.run().runId());
    return out;
  }

  /** The record's fields with its nested {@code execution} replaced by workflowId and runId, first. */
  private static ObjectNode flatten(WorkflowExecution execution, ObjectNode fields) {
    ObjectNode out = JSON.createObjectNode();
    out.put("workflowId", execution.workflowId());
    out.put("runId", execution.runId());
    fields.remove("execution");
    out.setAll(fields);
    return out;
  }

  private static ObjectNode failure(FailureInfo f) {
    ObjectNode out = JSON.createObjectNode();
    out.put("kind", f.kind().name());
    out.put("summary", f.summary());
    if (f.type() != null) out.put("type", f.type());
    if (f.message() != null) out.put("message", f.message());
    if (f.activityType() != null) out.put("activityType", f.activityType());
    if (f.detailsJson() != null) out.set("details", parse(new Payload(f.detailsJson())));
    if (f.cause() != null) out.set("cause", failure(f.cause()));
    return out;
  }

  private static JsonNode parse(Payload payload) {
    try {
      return payload == null ? JSON.nullNode() : JSON.readTree(payload.json());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored payload is not JSON: " + payload, e);
    }
  }

  private static ApiResponse ok(int status, ObjectNode body) {
    return new ApiResponse(status, Map.of(), body.toString());
  }

  /** A short random id that ties a 500's body to the log line with its stack trace. */
  private static String newErrorId() {
    byte[] id = new byte[6];
    ERROR_IDS.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /** A schedule's description as the HTTP API shows it (the CLI's --json too). */
  public static ObjectNode scheduleJson(ScheduleDescription d) {
    return ScheduleRoutes.describeJson(d);
  }

  /** An error response of the documented shape, for transports that refuse a request before routing. */
  public static ApiResponse error(ApiError error, String message) {
    return error(error, message, Map.of());
  }

  private static ApiResponse error(ApiError error, String message, Map<String, String> headers) {
    ObjectNode out = JSON.createObjectNode();
    out.put("error", error.code());
    out.put("message", message);
    return new ApiResponse(error.status(), headers, out.toString());
  }
}
