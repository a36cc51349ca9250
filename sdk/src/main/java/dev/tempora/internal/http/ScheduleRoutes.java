package dev.tempora.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleActionResult;
import dev.tempora.client.schedules.ScheduleBackfill;
import dev.tempora.client.schedules.ScheduleDescription;
import dev.tempora.client.schedules.ScheduleInfo;
import dev.tempora.client.schedules.ScheduleListDescription;
import dev.tempora.client.schedules.ScheduleOptions;
import dev.tempora.client.schedules.ScheduleOverlapPolicy;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.schedules.ScheduleCodec;
import dev.tempora.internal.schedules.ScheduleService;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The schedule routes of the HTTP API (docs/http-api.md): {@code POST/GET /schedules}, {@code
 * GET/PUT/DELETE /schedules/{id}}, {@code POST /schedules/{id}/{pause|unpause|trigger|backfill}}.
 * Bodies are read strictly by {@link ScheduleCodec}; what a schedule asks for (a cron expression,
 * a time zone, the workflow type, task queue and arguments) the {@link ScheduleService} checks as
 * it does for the Java client and the CLI, before anything is written.
 */
final class ScheduleRoutes {
  private static final ObjectMapper JSON = DataConverter.get().mapper();
  private final ScheduleService service;

  ScheduleRoutes(ScheduleService service) {
    this.service = service;
  }

  Router register(Router router) {
    return router
        .add("POST", "/schedules", this::create)
        .add("GET", "/schedules", this::list)
        .add("GET", "/schedules/{scheduleId}", this::describe)
        .add("PUT", "/schedules/{scheduleId}", this::update)
        .add("DELETE", "/schedules/{scheduleId}", this::delete)
        .add("POST", "/schedules/{scheduleId}/pause", call -> pause(call, true))
        .add("POST", "/schedules/{scheduleId}/unpause", call -> pause(call, false))
        .add("POST", "/schedules/{scheduleId}/trigger", this::trigger)
        .add("POST", "/schedules/{scheduleId}/backfill", this::backfill);
  }

  private static ObjectNode body(Router.Call call, boolean required, String what) {
    byte[] bytes = call.request().body();
    if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      if (required) {
        throw ApiError.BAD_JSON.exception("the request body is empty: " + what + " needs a JSON object");
      }
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JsonBody.STRICT.readTree(bytes);
      if (node instanceof ObjectNode o) {
        return o;
      }
      throw ApiError.BAD_JSON.exception("the request body must be a JSON object");
    } catch (JsonProcessingException e) {
      throw ApiError.BAD_JSON.exception("the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.BAD_JSON.exception("the request body could not be read: " + e.getMessage());
    }
  }

  private ApiResponse create(Router.Call call) {
    ObjectNode body = ScheduleCodec.object(body(call, true, "POST /schedules"), "the request body", "scheduleId",
        "action", "spec", "policy", "state", "triggerImmediately");
    if (!body.hasNonNull("scheduleId")) {
      throw ApiError.MISSING_FIELD.exception("missing field 'scheduleId' (a non-empty string)");
    }
    String id = ScheduleCodec.string(body.get("scheduleId"), "scheduleId");
    boolean trigger = body.path("triggerImmediately").asBoolean(false);
    ObjectNode definition = body.deepCopy();
    definition.remove(List.of("scheduleId", "triggerImmediately"));
    Schedule schedule = ScheduleCodec.read(definition, "the request body");
    service.create(id, schedule, ScheduleOptions.newBuilder().setTriggerImmediately(trigger).build());
    String location = "/schedules/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    return new ApiResponse(201, Map.of("Location", location), describeJson(service.describe(id)).toString());
  }

  private ApiResponse list(Router.Call call) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode rows = out.putArray("schedules");
    for (ScheduleListDescription s : service.list()) {
      ObjectNode row = rows.addObject().put("scheduleId", s.scheduleId()).put("workflowType", s.workflowType())
          .put("paused", s.paused());
      if (s.note() != null) {
        row.put("note", s.note());
      }
      times(row.putArray("nextActionTimes"), s.nextActionTimes());
    }
    return ok(200, out);
  }

  private ApiResponse describe(Router.Call call) {
    return ok(200, describeJson(service.describe(call.path("scheduleId"))));
  }

  private ApiResponse update(Router.Call call) {
    String id = call.path("scheduleId");
    Schedule schedule = ScheduleCodec.read(body(call, true, "PUT /schedules/{scheduleId}"), "the request body");
    service.update(id, current -> schedule);
    return ok(200, describeJson(service.describe(id)));
  }

  private ApiResponse delete(Router.Call call) {
    String id = call.path("scheduleId");
    ScheduleCodec.object(body(call, false, "a delete"), "the request body");
    service.delete(id);
    return ok(200, JSON.createObjectNode().put("scheduleId", id).put("deleted", true));
  }

  private ApiResponse pause(Router.Call call, boolean pause) {
    String id = call.path("scheduleId");
    ObjectNode body = ScheduleCodec.object(body(call, false, "a pause"), "the request body", "note");
    String note = body.hasNonNull("note") ? ScheduleCodec.string(body.get("note"), "note") : pause ? "paused" : "unpaused";
    if (pause) {
      service.pause(id, note);
    } else {
      service.unpause(id, note);
    }
    return ok(200, describeJson(service.describe(id)));
  }

  private ApiResponse trigger(Router.Call call) {
    String id = call.path("scheduleId");
    ObjectNode body = ScheduleCodec.object(body(call, false, "a trigger"), "the request body", "overlapPolicy");
    ScheduleOverlapPolicy overlap = body.hasNonNull("overlapPolicy")
        ? ScheduleCodec.enumValue(body.get("overlapPolicy"), "overlapPolicy") : null;
    service.trigger(id, overlap);
    return ok(202, describeJson(service.describe(id)));
  }

  private ApiResponse backfill(Router.Call call) {
    String id = call.path("scheduleId");
    ObjectNode body = ScheduleCodec.object(body(call, true, "a backfill"), "the request body", "startAt", "endAt",
        "overlapPolicy");
    if (!body.hasNonNull("startAt") || !body.hasNonNull("endAt")) {
      throw ApiError.MISSING_FIELD.exception("a backfill needs 'startAt' and 'endAt' (ISO-8601 instants)");
    }
    Instant start = ScheduleCodec.instant(body.get("startAt"), "startAt");
    Instant end = ScheduleCodec.instant(body.get("endAt"), "endAt");
    ScheduleOverlapPolicy overlap = body.hasNonNull("overlapPolicy")
        ? ScheduleCodec.enumValue(body.get("overlapPolicy"), "overlapPolicy") : null;
    service.backfill(id, List.of(new ScheduleBackfill(start, end, overlap)));
    return ok(202, describeJson(service.describe(id)));
  }

  static ObjectNode describeJson(ScheduleDescription d) {
    ObjectNode out = JSON.createObjectNode();
    out.put("scheduleId", d.id());
    out.setAll(ScheduleCodec.write(d.schedule()));
    ScheduleInfo i = d.info();
    ObjectNode info = out.putObject("info");
    info.put("numActions", i.numActions()).put("numActionsSkippedOverlap", i.numActionsSkippedOverlap())
        .put("numBufferDropped", i.numBufferDropped()).put("numActionsMissedCatchupWindow", i.numActionsMissedCatchupWindow())
        .put("bufferedActions", i.bufferedActions());
    ArrayNode running = info.putArray("runningActions");
    for (WorkflowExecution x : i.runningActions()) {
      running.addObject().put("workflowId", x.workflowId()).put("runId", x.runId());
    }
    ArrayNode recent = info.putArray("recentActions");
    for (ScheduleActionResult r : i.recentActions()) {
      ObjectNode a = recent.addObject().put("scheduledAt", r.scheduledAt().toString()).put("startedAt", r.startedAt().toString());
      if (r.action() != null) {
        a.put("workflowId", r.action().workflowId()).put("runId", r.action().runId());
      }
      if (r.error() != null) {
        a.put("error", r.error());
      }
    }
    times(info.putArray("nextActionTimes"), i.nextActionTimes());
    if (i.createdAt() != null) {
      info.put("createdAt", i.createdAt().toString());
    }
    return out;
  }

  private static void times(ArrayNode out, List<Instant> times) {
    times.forEach(t -> out.add(t.toString()));
  }

  private static ApiResponse ok(int status, ObjectNode body) {
    return new ApiResponse(status, Map.of(), body.toString());
  }
}
