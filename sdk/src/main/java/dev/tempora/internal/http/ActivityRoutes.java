package dev.tempora.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.client.ActivityCanceledException;
import dev.tempora.client.ActivityCompletionException;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.Payload;
import dev.tempora.internal.completion.AsyncCompletions;
import dev.tempora.internal.completion.TaskToken;
import dev.tempora.internal.converter.DataConverter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The async activity completion routes of the HTTP API (docs/http-api.md, ADR 19): {@code POST
 * /activities/complete}, {@code /fail}, {@code /heartbeat} and {@code /cancel}, each with the
 * activity's {@code taskToken} in the body. A token is checked (signature, then history and the
 * attempt's state) before anything is recorded; refusals are {@code InvalidTaskToken} (400) and
 * {@code ActivityNotExists} (404).
 */
final class ActivityRoutes {
  private static final ObjectMapper JSON = DataConverter.get().mapper();
  private final AsyncCompletions completions;

  ActivityRoutes(AsyncCompletions completions) {
    this.completions = completions;
  }

  Router register(Router router) {
    return router
        .add("POST", "/activities/complete", this::complete)
        .add("POST", "/activities/fail", this::fail)
        .add("POST", "/activities/heartbeat", this::heartbeat)
        .add("POST", "/activities/cancel", this::cancel);
  }

  private ApiResponse complete(Router.Call call) {
    JsonBody body = JsonBody.parse(call.request().body(), true, "POST /activities/complete", "taskToken", "result");
    TaskToken t = token(body);
    refusing(() -> completions.complete(t, payload(body, "result")));
    return done(t, "COMPLETED");
  }

  private ApiResponse fail(Router.Call call) {
    JsonBody body = JsonBody.parse(call.request().body(), true, "POST /activities/fail", "taskToken", "failure");
    TaskToken t = token(body);
    ObjectNode failure = body.requiredObject("failure");
    JsonBody f = JsonBody.parse(failure.toString().getBytes(StandardCharsets.UTF_8), true, "the failure",
        "message", "type", "nonRetryable");
    String message = f.requiredString("message");
    String type = f.optionalString("type", "ActivityFailed");
    if (failure.has("nonRetryable") && !failure.get("nonRetryable").isBoolean()) {
      throw ApiError.INVALID_FIELD.exception("field 'nonRetryable' must be a boolean");
    }
    boolean nonRetryable = failure.path("nonRetryable").asBoolean(false);
    ApplicationFailure e = nonRetryable ? ApplicationFailure.newNonRetryableFailure(message, type)
        : ApplicationFailure.newFailure(message, type);
    refusing(() -> completions.fail(t, e));
    return done(t, "FAILED");
  }

  private ApiResponse heartbeat(Router.Call call) {
    JsonBody body = JsonBody.parse(call.request().body(), true, "POST /activities/heartbeat", "taskToken", "details");
    TaskToken t = token(body);
    boolean cancel = false;
    try {
      refusing(() -> completions.heartbeat(t, payload(body, "details")));
    } catch (ActivityCanceledException canceled) {
      cancel = true; // recorded; the holder learns it should stop, as Temporal's heartbeat response says
    }
    ObjectNode out = execution(t);
    out.put("cancelRequested", cancel);
    return ok(out);
  }

  private ApiResponse cancel(Router.Call call) {
    JsonBody body = JsonBody.parse(call.request().body(), true, "POST /activities/cancel", "taskToken", "details");
    TaskToken t = token(body);
    refusing(() -> completions.reportCancellation(t, payload(body, "details")));
    return done(t, "CANCELED");
  }

  private TaskToken token(JsonBody body) {
    String token = body.requiredString("taskToken");
    return refusing(() -> completions.verify(token.getBytes(StandardCharsets.US_ASCII)));
  }

  private static Payload payload(JsonBody body, String field) {
    try {
      return DataConverter.checked(new Payload(JSON.writeValueAsString(body.value(field))));
    } catch (JsonProcessingException e) {
      throw ApiError.BAD_JSON.exception("field '" + field + "' cannot be read");
    }
  }

  private static ObjectNode execution(TaskToken t) {
    ObjectNode out = JSON.createObjectNode();
    out.put("workflowId", t.workflowId()).put("runId", t.runId()).put("activityId", Long.toString(t.seq()))
        .put("attempt", t.attempt());
    return out;
  }

  private static ApiResponse done(TaskToken t, String outcome) {
    ObjectNode out = execution(t);
    out.put("outcome", outcome);
    return ok(out);
  }

  private static ApiResponse ok(ObjectNode out) {
    return new ApiResponse(200, Map.of(), out.toString());
  }

  /** A refusal of async completion as the API's error of the same name. */
  private static <T> T refusing(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (ActivityCanceledException canceled) {
      throw canceled;
    } catch (ActivityCompletionException e) {
      ApiError error = e.getReason().equals(ApiError.INVALID_TASK_TOKEN.code()) ? ApiError.INVALID_TASK_TOKEN
          : ApiError.ACTIVITY_NOT_EXISTS;
      throw error.exception(e.getMessage().substring(e.getReason().length() + 2));
    }
  }

  private static void refusing(Runnable call) {
    refusing(() -> {
      call.run();
      return null;
    });
  }
}
