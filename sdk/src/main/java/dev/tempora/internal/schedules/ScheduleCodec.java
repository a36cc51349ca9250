package dev.tempora.internal.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleActionResult;
import dev.tempora.client.schedules.ScheduleActionStartWorkflow;
import dev.tempora.client.schedules.ScheduleCalendarSpec;
import dev.tempora.client.schedules.ScheduleIntervalSpec;
import dev.tempora.client.schedules.ScheduleOverlapPolicy;
import dev.tempora.client.schedules.SchedulePolicy;
import dev.tempora.client.schedules.ScheduleRange;
import dev.tempora.client.schedules.ScheduleSpec;
import dev.tempora.client.schedules.ScheduleState;
import dev.tempora.history.Payload;
import dev.tempora.internal.client.RequestValidator;
import dev.tempora.internal.converter.DataConverter;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Schedules as JSON: the HTTP API's request and response bodies and the table's schedule item use
 * the same shape. Reading is strict (unknown fields, wrong types and malformed times or durations
 * are refused with a named {@link InvalidRequestException} naming the field), so a typo never
 * becomes a default the caller did not mean.
 *
 * <pre>
 * {"action": {"workflowType": "Report", "taskQueue": "default", "args": [...]},
 *  "spec": {"intervals": [{"every": "PT30S", "offset": "PT0S"}], "cronExpressions": ["0 2 * * *"],
 *           "calendars": [{"second": [{"start": 0}], "minute": ..., "hour": ..., "dayOfMonth": ...,
 *                          "month": ..., "year": ..., "dayOfWeek": ..., "comment": "..."}],
 *           "skip": [...], "startAt": "2026-01-01T00:00:00Z", "endAt": ..., "jitter": "PT10S",
 *           "timeZone": "Europe/Berlin"},
 *  "policy": {"overlap": "SKIP", "catchupWindow": "PT1H", "pauseOnFailure": false},
 *  "state": {"paused": false, "note": "...", "limitedAction": false, "remainingActions": 0}}
 * </pre>
 */
public final class ScheduleCodec {
  public static final String UNKNOWN_FIELD = "UnknownField";
  private static final ObjectMapper JSON = DataConverter.get().mapper();

  private ScheduleCodec() {}

  // ---- writing --------------------------------------------------------------------------

  public static ObjectNode write(Schedule s) {
    ObjectNode out = JSON.createObjectNode();
    ScheduleActionStartWorkflow a = s.getAction();
    ObjectNode action = out.putObject("action");
    action.put("workflowType", a.getWorkflowType());
    action.put("taskQueue", a.getOptions().getTaskQueue());
    action.set("args", parse(a.getInput().json()));
    ScheduleSpec sp = s.getSpec();
    ObjectNode spec = out.putObject("spec");
    ArrayNode intervals = spec.putArray("intervals");
    for (ScheduleIntervalSpec i : sp.getIntervals()) {
      intervals.addObject().put("every", i.every().toString()).put("offset", i.offset().toString());
    }
    ArrayNode crons = spec.putArray("cronExpressions");
    sp.getCronExpressions().forEach(crons::add);
    writeCalendars(spec.putArray("calendars"), sp.getCalendars());
    writeCalendars(spec.putArray("skip"), sp.getSkip());
    putInstant(spec, "startAt", sp.getStartAt());
    putInstant(spec, "endAt", sp.getEndAt());
    if (sp.getJitter() != null) {
      spec.put("jitter", sp.getJitter().toString());
    }
    if (sp.getTimeZoneName() != null) {
      spec.put("timeZone", sp.getTimeZoneName());
    }
    SchedulePolicy p = s.getPolicy();
    out.putObject("policy").put("overlap", p.getOverlap().name()).put("catchupWindow", p.getCatchupWindow().toString())
        .put("pauseOnFailure", p.isPauseOnFailure());
    ScheduleState st = s.getState();
    ObjectNode state = out.putObject("state").put("paused", st.isPaused());
    if (st.getNote() != null) {
      state.put("note", st.getNote());
    }
    state.put("limitedAction", st.isLimitedAction()).put("remainingActions", st.getRemainingActions());
    return out;
  }

  private static void writeCalendars(ArrayNode out, List<ScheduleCalendarSpec> calendars) {
    for (ScheduleCalendarSpec c : calendars) {
      ObjectNode o = out.addObject();
      writeRanges(o, "second", c.getSeconds());
      writeRanges(o, "minute", c.getMinutes());
      writeRanges(o, "hour", c.getHour());
      writeRanges(o, "dayOfMonth", c.getDayOfMonth());
      writeRanges(o, "month", c.getMonth());
      writeRanges(o, "year", c.getYear());
      writeRanges(o, "dayOfWeek", c.getDayOfWeek());
      if (c.getComment() != null) {
        o.put("comment", c.getComment());
      }
    }
  }

  private static void writeRanges(ObjectNode o, String field, List<ScheduleRange> ranges) {
    ArrayNode a = o.putArray(field);
    for (ScheduleRange r : ranges) {
      a.addObject().put("start", r.start()).put("end", r.end()).put("step", r.step());
    }
  }

  private static void putInstant(ObjectNode o, String field, Instant t) {
    if (t != null) {
      o.put(field, t.toString());
    }
  }

  // ---- reading --------------------------------------------------------------------------

  /** Reads a schedule; {@code where} names it in messages (e.g. "the request body"). */
  public static Schedule read(JsonNode node, String where) {
    ObjectNode o = object(node, where, "action", "spec", "policy", "state");
    Schedule.Builder b = Schedule.newBuilder();
    b.setAction(readAction(required(o, "action", where), where + ".action"));
    b.setSpec(readSpec(required(o, "spec", where), where + ".spec"));
    if (o.hasNonNull("policy")) {
      ObjectNode p = object(o.get("policy"), where + ".policy", "overlap", "catchupWindow", "pauseOnFailure");
      SchedulePolicy.Builder pb = SchedulePolicy.newBuilder();
      if (p.hasNonNull("overlap")) {
        pb.setOverlap(enumValue(p.get("overlap"), where + ".policy.overlap"));
      }
      if (p.hasNonNull("catchupWindow")) {
        pb.setCatchupWindow(duration(p.get("catchupWindow"), where + ".policy.catchupWindow"));
      }
      if (p.hasNonNull("pauseOnFailure")) {
        pb.setPauseOnFailure(bool(p.get("pauseOnFailure"), where + ".policy.pauseOnFailure"));
      }
      b.setPolicy(pb.build());
    }
    if (o.hasNonNull("state")) {
      b.setState(readState(o.get("state"), where + ".state"));
    }
    return b.build();
  }

  public static ScheduleState readState(JsonNode node, String where) {
    ObjectNode s = object(node, where, "paused", "note", "limitedAction", "remainingActions");
    ScheduleState.Builder sb = ScheduleState.newBuilder();
    if (s.hasNonNull("paused")) {
      sb.setPaused(bool(s.get("paused"), where + ".paused"));
    }
    if (s.hasNonNull("note")) {
      sb.setNote(string(s.get("note"), where + ".note"));
    }
    if (s.hasNonNull("limitedAction")) {
      sb.setLimitedAction(bool(s.get("limitedAction"), where + ".limitedAction"));
    }
    if (s.hasNonNull("remainingActions")) {
      sb.setRemainingActions(integer(s.get("remainingActions"), where + ".remainingActions"));
    }
    return sb.build();
  }

  private static ScheduleActionStartWorkflow readAction(JsonNode node, String where) {
    ObjectNode a = object(node, where, "workflowType", "taskQueue", "args");
    String type = string(required(a, "workflowType", where), where + ".workflowType");
    String taskQueue = a.hasNonNull("taskQueue") ? string(a.get("taskQueue"), where + ".taskQueue")
        : RequestValidator.DEFAULT_TASK_QUEUE;
    JsonNode args = a.hasNonNull("args") ? a.get("args") : JSON.createArrayNode();
    if (!args.isArray()) {
      throw invalid(where + ".args", "must be a JSON array of the workflow method's arguments");
    }
    return ScheduleActionStartWorkflow.newBuilder().setWorkflowType(type)
        .setOptions(WorkflowOptions.newBuilder().setTaskQueue(taskQueue).build())
        .setInput(new Payload(args.toString())).build();
  }

  private static ScheduleSpec readSpec(JsonNode node, String where) {
    ObjectNode s = object(node, where, "intervals", "cronExpressions", "calendars", "skip", "startAt", "endAt",
        "jitter", "timeZone");
    ScheduleSpec.Builder b = ScheduleSpec.newBuilder();
    b.setIntervals(list(s, "intervals", where, (n, w) -> {
      ObjectNode i = object(n, w, "every", "offset");
      Duration every = duration(required(i, "every", w), w + ".every");
      return new ScheduleIntervalSpec(every, i.hasNonNull("offset") ? duration(i.get("offset"), w + ".offset") : Duration.ZERO);
    }));
    b.setCronExpressions(list(s, "cronExpressions", where, ScheduleCodec::string));
    b.setCalendars(list(s, "calendars", where, ScheduleCodec::readCalendar));
    b.setSkip(list(s, "skip", where, ScheduleCodec::readCalendar));
    if (s.hasNonNull("startAt")) {
      b.setStartAt(instant(s.get("startAt"), where + ".startAt"));
    }
    if (s.hasNonNull("endAt")) {
      b.setEndAt(instant(s.get("endAt"), where + ".endAt"));
    }
    if (s.hasNonNull("jitter")) {
      b.setJitter(duration(s.get("jitter"), where + ".jitter"));
    }
    if (s.hasNonNull("timeZone")) {
      b.setTimeZoneName(string(s.get("timeZone"), where + ".timeZone"));
    }
    return b.build();
  }

  private static ScheduleCalendarSpec readCalendar(JsonNode node, String where) {
    ObjectNode c = object(node, where, "second", "minute", "hour", "dayOfMonth", "month", "year", "dayOfWeek", "comment");
    ScheduleCalendarSpec.Builder b = ScheduleCalendarSpec.newBuilder();
    if (c.has("second")) {
      b.setSeconds(list(c, "second", where, ScheduleCodec::readRange));
    }
    if (c.has("minute")) {
      b.setMinutes(list(c, "minute", where, ScheduleCodec::readRange));
    }
    if (c.has("hour")) {
      b.setHour(list(c, "hour", where, ScheduleCodec::readRange));
    }
    b.setDayOfMonth(list(c, "dayOfMonth", where, ScheduleCodec::readRange));
    b.setMonth(list(c, "month", where, ScheduleCodec::readRange));
    b.setYear(list(c, "year", where, ScheduleCodec::readRange));
    b.setDayOfWeek(list(c, "dayOfWeek", where, ScheduleCodec::readRange));
    if (c.hasNonNull("comment")) {
      b.setComment(string(c.get("comment"), where + ".comment"));
    }
    return b.build();
  }

  private static ScheduleRange readRange(JsonNode node, String where) {
    ObjectNode r = object(node, where, "start", "end", "step");
    int start = (int) integer(required(r, "start", where), where + ".start");
    int end = r.hasNonNull("end") ? (int) integer(r.get("end"), where + ".end") : start;
    int step = r.hasNonNull("step") ? (int) integer(r.get("step"), where + ".step") : 1;
    return new ScheduleRange(start, end, step);
  }

  // ---- the stored item --------------------------------------------------------------------

  /** The item's body (everything but its key and version). */
  public static String writeItem(ScheduleItem i) {
    ObjectNode o = JSON.createObjectNode();
    o.set("schedule", write(i.schedule()));
    o.put("generation", i.generation()).put("deleted", i.deleted()).put("syncedGeneration", i.syncedGeneration());
    putInstant(o, "createdAt", i.createdAt());
    putInstant(o, "updatedAt", i.updatedAt());
    putInstant(o, "lastFired", i.lastFired());
    putInstant(o, "coveredUntil", i.coveredUntil());
    ArrayNode handled = o.putArray("handled");
    i.handled().forEach(t -> handled.add(t.toString()));
    ArrayNode running = o.putArray("running");
    i.running().forEach(x -> running.addObject().put("workflowId", x.workflowId()).put("runId", x.runId()));
    ArrayNode buffered = o.putArray("buffered");
    i.buffered().forEach(t -> buffered.add(t.toString()));
    ArrayNode recent = o.putArray("recent");
    for (ScheduleActionResult r : i.recent()) {
      ObjectNode a = recent.addObject().put("scheduledAt", r.scheduledAt().toString()).put("startedAt", r.startedAt().toString());
      if (r.action() != null) {
        a.put("workflowId", r.action().workflowId()).put("runId", r.action().runId());
      }
      if (r.error() != null) {
        a.put("error", r.error());
      }
    }
    o.put("numActions", i.numActions()).put("numSkipped", i.numSkipped()).put("numBufferDropped", i.numBufferDropped())
        .put("numMissed", i.numMissed());
    return o.toString();
  }

  public static ScheduleItem readItem(String namespace, String scheduleId, long version, String body) {
    JsonNode o = parse(body);
    List<WorkflowExecution> running = new ArrayList<>();
    o.path("running").forEach(x -> running.add(new WorkflowExecution(x.get("workflowId").asText(), x.get("runId").asText())));
    List<Instant> handled = new ArrayList<>();
    o.path("handled").forEach(t -> handled.add(Instant.parse(t.asText())));
    List<Instant> buffered = new ArrayList<>();
    o.path("buffered").forEach(t -> buffered.add(Instant.parse(t.asText())));
    List<ScheduleActionResult> recent = new ArrayList<>();
    for (JsonNode a : o.path("recent")) {
      WorkflowExecution x = a.hasNonNull("workflowId")
          ? new WorkflowExecution(a.get("workflowId").asText(), a.get("runId").asText()) : null;
      recent.add(new ScheduleActionResult(Instant.parse(a.get("scheduledAt").asText()),
          Instant.parse(a.get("startedAt").asText()), x, a.hasNonNull("error") ? a.get("error").asText() : null));
    }
    return new ScheduleItem(namespace, scheduleId, read(o.get("schedule"), "the stored schedule"), version,
        o.get("generation").asLong(), o.get("deleted").asBoolean(), o.get("syncedGeneration").asLong(),
        optInstant(o, "createdAt"), optInstant(o, "updatedAt"), optInstant(o, "lastFired"), optInstant(o, "coveredUntil"),
        handled, running, buffered, recent, o.get("numActions").asLong(), o.get("numSkipped").asLong(),
        o.get("numBufferDropped").asLong(), o.get("numMissed").asLong());
  }

  private static Instant optInstant(JsonNode o, String field) {
    return o.hasNonNull(field) ? Instant.parse(o.get(field).asText()) : null;
  }

  // ---- strict field helpers ---------------------------------------------------------------

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_FIELD, "not JSON: " + e.getOriginalMessage());
    }
  }

  public static ObjectNode object(JsonNode node, String where, String... allowed) {
    if (!(node instanceof ObjectNode o)) {
      throw invalid(where, "must be a JSON object");
    }
    Set<String> known = Set.of(allowed);
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        unknown.add(f);
      }
    }
    if (!unknown.isEmpty()) {
      throw new InvalidRequestException(UNKNOWN_FIELD, "unknown field" + (unknown.size() > 1 ? "s " : " ")
          + String.join(", ", unknown) + " in " + where + " (allowed: " + String.join(", ", new TreeSet<>(Arrays.asList(allowed))) + ")");
    }
    return o;
  }

  private static JsonNode required(ObjectNode o, String field, String where) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      throw new InvalidRequestException("MissingField", "missing field '" + field + "' in " + where);
    }
    return n;
  }

  private static <T> List<T> list(ObjectNode o, String field, String where, BiFunction<JsonNode, String, T> each) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw invalid(where + "." + field, "must be a JSON array");
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      out.add(each.apply(n.get(i), where + "." + field + "[" + i + "]"));
    }
    return out;
  }

  public static String string(JsonNode n, String where) {
    if (!n.isTextual()) {
      throw invalid(where, "must be a string");
    }
    return n.asText();
  }

  private static boolean bool(JsonNode n, String where) {
    if (!n.isBoolean()) {
      throw invalid(where, "must be true or false");
    }
    return n.asBoolean();
  }

  private static long integer(JsonNode n, String where) {
    if (!n.canConvertToLong() || !n.isIntegralNumber()) {
      throw invalid(where, "must be an integer");
    }
    return n.asLong();
  }

  public static Duration duration(JsonNode n, String where) {
    try {
      return Duration.parse(string(n, where));
    } catch (DateTimeException e) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_DURATION,
          where + " must be an ISO-8601 duration such as PT30S or PT1H, got " + n);
    }
  }

  public static Instant instant(JsonNode n, String where) {
    try {
      return Instant.parse(string(n, where));
    } catch (DateTimeException e) {
      throw invalid(where, "must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, got " + n);
    }
  }

  public static ScheduleOverlapPolicy enumValue(JsonNode n, String where) {
    String s = string(n, where);
    try {
      return ScheduleOverlapPolicy.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw invalid(where, "must be one of " + Arrays.toString(ScheduleOverlapPolicy.values()) + ", got " + s);
    }
  }

  private static InvalidRequestException invalid(String where, String what) {
    return new InvalidRequestException(InvalidRequestException.INVALID_FIELD, where + " " + what);
  }

}
