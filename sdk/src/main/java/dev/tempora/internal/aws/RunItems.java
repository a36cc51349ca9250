package dev.tempora.internal.aws;

import static dev.tempora.internal.aws.TemporaTable.PK;
import static dev.tempora.internal.aws.TemporaTable.SK;
import static dev.tempora.internal.aws.TemporaTable.TTL;
import static dev.tempora.internal.aws.TemporaTable.VIS;
import static dev.tempora.internal.aws.TemporaTable.VSK;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.Event;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A {@link RunRecord} as a run item: one attribute per field (indexed ones are what the visibility
 * index projects), the start event as an {@link ItemBody} (it carries the start input, which may
 * be large), and the GSI keys derived from namespace, status, start time and workflow id.
 */
final class RunItems {
  static final String NAMESPACE = "namespace";
  static final String WORKFLOW_ID = "workflowId";
  static final String RUN_ID = "runId";
  static final String STATUS = "status";
  static final String WORKFLOW_TYPE = "workflowType";
  static final String TASK_QUEUE = "taskQueue";
  static final String START_TIME = "startTime";
  static final String CLOSE_TIME = "closeTime";
  static final String TASK_FAILURE = "taskFailure";
  /** Search attributes: a map of name to the value's JSON ({@link SearchAttributeValue}); always present. */
  static final String SEARCH_ATTRIBUTES = "sa";
  /** The history event id of the last search attribute upsert applied (0: the start's). */
  static final String SEARCH_ATTRIBUTES_VERSION = "saVer";

  private RunItems() {}

  /** The whole item for {@code createRun}; {@code startEvent} is the encoded start event, or null. */
  static Map<String, AttributeValue> toItem(RunRecord r, ItemBody.Encoded startEvent, String writeId,
      Duration retention, Instant now) {
    RunKey k = r.run();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, s(k.workflowKey()));
    item.put(SK, s(TemporaTable.runSk(k.runId())));
    item.put(NAMESPACE, s(k.namespace()));
    item.put(WORKFLOW_ID, s(k.workflowId()));
    item.put(RUN_ID, s(k.runId()));
    item.put(WORKFLOW_TYPE, s(r.workflowType()));
    item.put(TASK_QUEUE, s(r.taskQueue()));
    item.put(START_TIME, s(TemporaTable.sortableTime(r.startTime())));
    item.put(STATUS, s(r.status().name()));
    item.put(VIS, s(visibilityPartition(r)));
    item.put(VSK, s(visibilitySortKey(r)));
    if (r.closeTime() != null) {
      item.put(CLOSE_TIME, s(TemporaTable.sortableTime(r.closeTime())));
    }
    if (r.taskFailure() != null) {
      item.put(TASK_FAILURE, s(r.taskFailure()));
    }
    Map<String, SearchAttributeValue> attributes = r.startEvent() == null ? Map.of()
        : r.startEvent().startOptions().searchAttributes();
    item.put(SEARCH_ATTRIBUTES, AttributeValue.fromM(encodeSearchAttributes(attributes)));
    item.put(SEARCH_ATTRIBUTES_VERSION, AttributeValue.fromN("0"));
    Long ttl = ttl(r, retention, now);
    if (ttl != null) {
      item.put(TTL, AttributeValue.fromN(ttl.toString()));
    }
    if (startEvent != null) {
      item.putAll(startEvent.attributes());
      item.put(ItemBody.WRITE_ID, s(writeId));
    }
    return item;
  }

  /** The record of a run item (or of its visibility projection, which has no start event). */
  static RunRecord fromItem(Map<String, AttributeValue> item, Event.WorkflowExecutionStarted startEvent) {
    return fromItem(item, startEvent, null);
  }

  static RunRecord fromItem(Map<String, AttributeValue> item, Event.WorkflowExecutionStarted startEvent,
      Event.WorkflowSignaled startSignal) {
    return new RunRecord(
        new RunKey(item.get(NAMESPACE).s(), item.get(WORKFLOW_ID).s(), item.get(RUN_ID).s()),
        item.get(WORKFLOW_TYPE).s(),
        item.get(TASK_QUEUE).s(),
        WorkflowExecutionStatus.valueOf(item.get(STATUS).s()),
        instant(item.get(START_TIME)),
        instant(item.get(CLOSE_TIME)),
        startEvent,
        item.containsKey(TASK_FAILURE) ? item.get(TASK_FAILURE).s() : null,
        startSignal);
  }

  /**
   * The run item's body: the start event, and with it a signal-with-start's signal. A body without
   * a signal is the start event's JSON, as before signals were stored with the start.
   */
  record StartBody(Event.WorkflowExecutionStarted start, Event.WorkflowSignaled signal) {}

  static String encodeStartEvent(Event.WorkflowExecutionStarted e) {
    return HistoryJson.write(e);
  }

  static String encodeStart(RunRecord r) {
    return r.startSignal() == null ? encodeStartEvent(r.startEvent())
        : HistoryJson.write(new StartBody(r.startEvent(), r.startSignal()));
  }

  static StartBody decodeStart(String json) {
    if (json.startsWith("{\"start\":")) {
      return HistoryJson.read(json, StartBody.class);
    }
    return new StartBody(decodeStartEvent(json), null);
  }

  static Event.WorkflowExecutionStarted decodeStartEvent(String json) {
    return HistoryJson.read(json, Event.WorkflowExecutionStarted.class);
  }

  /** Each value as its JSON text, by name: the {@code sa} map (set values only). */
  static Map<String, AttributeValue> encodeSearchAttributes(Map<String, SearchAttributeValue> values) {
    Map<String, AttributeValue> m = new HashMap<>();
    values.forEach((k, v) -> {
      if (!v.isUnset()) {
        m.put(k, encodeSearchAttribute(v));
      }
    });
    return m;
  }

  static AttributeValue encodeSearchAttribute(SearchAttributeValue v) {
    return s(HistoryJson.write(v));
  }

  /** The item's search attributes (none on items written before they existed). */
  static Map<String, SearchAttributeValue> searchAttributes(Map<String, AttributeValue> item) {
    AttributeValue sa = item.get(SEARCH_ATTRIBUTES);
    if (sa == null || !sa.hasM()) {
      return Map.of();
    }
    Map<String, SearchAttributeValue> out = new TreeMap<>();
    sa.m().forEach((k, v) -> out.put(k, HistoryJson.read(v.s(), SearchAttributeValue.class)));
    return out;
  }

  static String visibilityPartition(RunRecord r) {
    return TemporaTable.visibilityPartition(r.run().namespace(), r.status(), TemporaTable.shard(r.run().workflowId()));
  }

  static String visibilitySortKey(RunRecord r) {
    return TemporaTable.sortableTime(r.startTime()) + "#" + r.run().workflowId();
  }

  /**
   * Epoch seconds when a closed run's record may expire: close time + retention, counted from no
   * earlier than {@code now}. The close time is workflow time; where that lags the wall clock (a
   * test or dev server started at a fixed past instant) the record would otherwise be expired at
   * once, and TTL really deletes expired items (the dev server's stand-in does too). Null while open.
   */
  static Long ttl(RunRecord r, Duration retention, Instant now) {
    if (!r.status().isClosed()) {
      return null;
    }
    Instant from = r.closeTime() == null || r.closeTime().isBefore(now) ? now : r.closeTime();
    return from.plus(retention).getEpochSecond();
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static Instant instant(AttributeValue v) {
    return v == null ? null : Instant.parse(v.s());
  }
}
