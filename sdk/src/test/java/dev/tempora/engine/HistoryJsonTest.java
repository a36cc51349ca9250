package dev.tempora.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.common.IndexedValueType;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.*;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryJsonTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00.123Z");
  private static final Payload P = new Payload("{\"a\":[1,2]}");
  private static final FailureInfo F = new FailureInfo(FailureInfo.Kind.APPLICATION, "X", "msg", "stack", true, "[1]", null,
      null, null, 0, new FailureInfo(FailureInfo.Kind.TIMEOUT, null, "t", null, false, null, TimeoutType.HEARTBEAT, null,
      null, 0, null));
  private static final ActivityParameters AP = new ActivityParameters(Duration.ofSeconds(1), null, Duration.ofMinutes(5),
      Duration.ofSeconds(3), new ActivityParameters.RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(100), 3, List.of("A")));

  /** One of every event type: a new permitted subtype without an entry here fails the test. */
  static List<Event> oneOfEach() {
    return List.of(
        new Event.WorkflowExecutionStarted("T", "q", P, 42L, null, new WorkflowStartOptions(Duration.ofHours(2),
            Duration.ofHours(1), T.plus(Duration.ofHours(2)), AP.retryPolicy(), Map.of("k", P), 2, Duration.ofSeconds(3))),
        new Event.WorkflowTaskCompleted(),
        new Event.WorkflowExecutionCompleted(P),
        new Event.WorkflowExecutionFailed(F),
        new Event.WorkflowExecutionCanceled(),
        new Event.WorkflowExecutionTerminated("why"),
        new Event.WorkflowExecutionTimedOut(),
        new Event.WorkflowExecutionContinuedAsNew("r2", "T", P),
        new Event.WorkflowSignaled("s", P, "req"),
        new Event.WorkflowCancelRequested("because"),
        new Event.ActivityTaskScheduled(1, "A", "q", P, AP),
        new Event.ActivityTaskCompleted(1, P, 2),
        new Event.ActivityTaskFailed(1, F, 3),
        new Event.ActivityTaskTimedOut(1, TimeoutType.START_TO_CLOSE, F, 1),
        new Event.ActivityTaskCancelRequested(1),
        new Event.ActivityTaskCanceled(1, 1),
        new Event.TimerStarted(2, Duration.ofDays(30), T.plus(Duration.ofDays(30))),
        new Event.TimerFired(2),
        new Event.TimerCanceled(2),
        new Event.MarkerRecorded(3, "SideEffect", P),
        new Event.WorkflowExecutionUpdateAccepted("u-1", "addItem", P),
        new Event.WorkflowExecutionUpdateCompleted("u-1", P, null),
        new Event.WorkflowExecutionUpdateCompleted("u-2", null, F),
        new Event.WorkflowExecutionStarted("T", "q", P, 43L, null, null, new ParentExecution("ns", "p", "pr", 4)),
        new Event.StartChildWorkflowExecutionInitiated(4, "c", "T", "q", P, new WorkflowStartOptions(Duration.ofHours(2),
            null, null, AP.retryPolicy(), Map.of()), "PARENT_CLOSE_POLICY_ABANDON", "ALLOW_DUPLICATE"),
        new Event.ChildWorkflowExecutionStarted(4, "c", "cr"),
        new Event.StartChildWorkflowExecutionFailed(4, "c", "WorkflowExecutionAlreadyStarted: taken"),
        new Event.ChildWorkflowExecutionCompleted(4, P),
        new Event.ChildWorkflowExecutionFailed(4, new FailureInfo(FailureInfo.Kind.CHILD_WORKFLOW, "T", "m", null, false,
            null, null, "cr", "c", 0, F)),
        new Event.ChildWorkflowExecutionCanceled(4),
        new Event.ChildWorkflowExecutionTimedOut(4),
        new Event.ChildWorkflowExecutionTerminated(4, "why"),
        new Event.SignalExternalWorkflowExecutionInitiated(5, "o", null, "s", P),
        new Event.RequestCancelExternalWorkflowExecutionInitiated(6, "o", "or"),
        new Event.UpsertWorkflowSearchAttributes(7, searchAttributeChanges()),
        new Event.WorkflowPropertiesModified(8, memoChanges()));
  }

  private static Map<String, SearchAttributeValue> searchAttributeChanges() {
    Map<String, SearchAttributeValue> m = new java.util.LinkedHashMap<>();
    m.put("K", new SearchAttributeValue(IndexedValueType.KEYWORD, "c-7"));
    m.put("N", new SearchAttributeValue(IndexedValueType.INT, 5L));
    m.put("D", new SearchAttributeValue(IndexedValueType.DOUBLE, 0.75));
    m.put("B", new SearchAttributeValue(IndexedValueType.BOOL, true));
    m.put("T", new SearchAttributeValue(IndexedValueType.DATETIME, "2026-02-01T09:00:00+01:00"));
    m.put("L", new SearchAttributeValue(IndexedValueType.KEYWORD_LIST, List.of("a", "b")));
    m.put("Gone", new SearchAttributeValue(IndexedValueType.TEXT, null));
    return m;
  }

  private static Map<String, Payload> memoChanges() {
    Map<String, Payload> m = new java.util.LinkedHashMap<>();
    m.put("k", P);
    m.put("removed", null);
    return m;
  }

  @Test
  void everyEventTypeRoundTrips() {
    List<Event> all = oneOfEach();
    assertEquals(Event.class.getPermittedSubclasses().length, all.stream().map(Object::getClass).distinct().count());
    List<HistoryEvent> events = new ArrayList<>();
    for (Event e : all) {
      events.add(new HistoryEvent(events.size() + 1, T, e));
    }
    HistoryBatch batch = new HistoryBatch(7, events, List.of("m1", "m2"));
    String json = HistoryJson.write(batch);
    assertTrue(json.contains("\"type\":\"TimerFired\""), json);
    assertEquals(batch, HistoryJson.readBatch(json));
  }

  @Test
  void aCronRunsStartOptionsRoundTrip() {
    Event.WorkflowExecutionStarted cron = new Event.WorkflowExecutionStarted("T", "q", P, 42L, "r1",
        new WorkflowStartOptions(null, null, null, null, Map.of(), 1, Duration.ofSeconds(59), "CRON_TZ=Europe/Berlin @daily",
            P, F));
    HistoryBatch batch = new HistoryBatch(1, List.of(new HistoryEvent(1, T, cron)), List.of());
    assertEquals(batch, HistoryJson.readBatch(HistoryJson.write(batch)));
  }

  @Test
  void messagesAndTasksRoundTrip() {
    RunKey run = new RunKey("ns", "wf", "run");
    WorkflowTaskMessage m = new WorkflowTaskMessage("id", run, new Event.WorkflowSignaled("s", P, "r"));
    assertEquals(m, HistoryJson.readMessage(HistoryJson.write(m)));
    ActivityTask t = new ActivityTask(run, 4, "A", "q", P, AP, T, 2, F, P);
    assertEquals(t, HistoryJson.readActivityTask(HistoryJson.write(t)));
  }

  @Test
  void garbageIsANamedError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HistoryJson.readMessage("{\"x\":"));
    assertTrue(e.getMessage().startsWith("cannot decode WorkflowTaskMessage"), e.getMessage());
  }
}
