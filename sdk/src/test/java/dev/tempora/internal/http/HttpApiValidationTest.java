package dev.tempora.internal.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.client.RequestValidator;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.memory.InMemoryRuntime;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API's side of issue 9's findings 6-8, over the in-memory engine: signal request ids
 * (recorded once), served task queues, and ids that would alias (a JSON escape of a lone
 * surrogate in the body, a percent-encoded one in the path). Over real HTTP on the embedded AWS
 * stack: OneValidationPathTest and SignalRequestIdOnBothStacksTest in the devserver module.
 */
class HttpApiValidationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @WorkflowInterface
  public interface Inbox {
    @WorkflowMethod
    List<String> collect(int count);

    @SignalMethod
    void add(String item);
  }

  public static class InboxImpl implements Inbox {
    private final List<String> items = new ArrayList<>();

    @Override
    public List<String> collect(int count) {
      Workflow.await(() -> items.size() >= count);
      return items;
    }

    @Override
    public void add(String item) {
      items.add(item);
    }
  }

  private final InMemoryRuntime runtime = new InMemoryRuntime(new InMemoryRuntime.Options("default", 10, 5_000,
      Instant.parse("2026-01-01T00:00:00Z"), 7, WorkflowTaskHooks.NONE));
  /** Serves the task queue "default" only, as a deployment with TEMPORA_TASK_QUEUES=default does. */
  private final HttpApi api = new HttpApi(new WorkflowService("default", runtime.store, runtime.engine,
      runtime.processor::query, runtime.engine, runtime.clock, UUID::randomUUID,
      new RequestValidator(runtime.workflows, Set.of("default"))));

  HttpApiValidationTest() {
    runtime.workflows.register(InboxImpl.class);
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  record Answer(int status, JsonNode body) {
    String error() {
      return body.path("error").asText();
    }
  }

  private Answer call(String method, String rawPath, String body) {
    ApiResponse r = api.handle(new ApiRequest(method, rawPath, null, "application/json",
        body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
    try {
      return new Answer(r.status(), JSON.readTree(r.body()));
    } catch (Exception e) {
      throw new AssertionError(r.body(), e);
    }
  }

  private List<String> signalRequestIds(String workflowId) {
    List<HistoryEvent> history = runtime.client.fetchHistory(workflowId);
    return history.stream().map(HistoryEvent::event).filter(e -> e instanceof Event.WorkflowSignaled)
        .map(e -> ((Event.WorkflowSignaled) e).requestId()).toList();
  }

  @Test
  void aSignalSentTwiceWithItsRequestIdIsRecordedOnce() {
    assertEquals(201, call("POST", "/workflows", "{\"workflowType\":\"Inbox\",\"workflowId\":\"h-1\",\"args\":[2]}").status());
    for (int i = 0; i < 2; i++) {
      Answer a = call("POST", "/workflows/h-1/signals/add", "{\"args\":[\"a\"],\"requestId\":\"r-1\"}");
      assertEquals(202, a.status(), a::toString);
    }
    assertEquals(202, call("POST", "/workflows/h-1/signals/add", "{\"args\":[\"b\"],\"requestId\":\"r-2\"}").status());
    Answer result = call("GET", "/workflows/h-1/result", null);
    assertEquals("[\"a\",\"b\"]", result.body().get("result").toString(), result::toString);
    // Repeated after the run closed: done already (202); a new signal is refused (409).
    assertEquals(202, call("POST", "/workflows/h-1/signals/add", "{\"args\":[\"b\"],\"requestId\":\"r-2\"}").status());
    Answer late = call("POST", "/workflows/h-1/signals/add", "{\"args\":[\"c\"],\"requestId\":\"r-3\"}");
    assertEquals("WorkflowClosed", late.error(), late::toString);
    assertEquals(List.of("r-1", "r-2"), signalRequestIds("h-1"));
  }

  @Test
  void signalWithStartSentTwiceWithItsRequestIdSignalsOnce() {
    String body = "{\"workflowType\":\"Inbox\",\"args\":[2],\"signalName\":\"add\",\"signalArgs\":[\"a\"],\"requestId\":\"s-1\"}";
    assertEquals(201, call("POST", "/workflows/h-2/signal-with-start", body).status());
    assertEquals(200, call("POST", "/workflows/h-2/signal-with-start", body).status());
    assertEquals(202, call("POST", "/workflows/h-2/signals/add", "{\"args\":[\"a\"],\"requestId\":\"s-1\"}").status());
    assertEquals(List.of("s-1"), signalRequestIds("h-2"));
  }

  @Test
  void refusalsAreNamedAndWriteNothing() {
    assertEquals(201, call("POST", "/workflows", "{\"workflowType\":\"Inbox\",\"workflowId\":\"h-open\",\"args\":[9]}").status());
    int batches = history("h-open");
    record Bad(String method, String path, String body, String error, String says) {}
    List<Bad> cases = List.of(
        new Bad("POST", "/workflows", "{\"workflowType\":\"Inbox\",\"workflowId\":\"h-3\",\"args\":[1],\"taskQueue\":\"gpu\"}",
            "UnknownTaskQueue", "task queue 'gpu' is not served by this deployment (served: default)"),
        new Bad("POST", "/workflows/h-4/signal-with-start", "{\"workflowType\":\"Inbox\",\"args\":[1],\"taskQueue\":\"gpu\","
            + "\"signalName\":\"add\",\"signalArgs\":[\"a\"]}", "UnknownTaskQueue", "'gpu'"),
        new Bad("POST", "/workflows", "{\"workflowType\":\"Inbox\",\"workflowId\":\"alias-\\ud800\",\"args\":[1]}",
            "InvalidWorkflowId", "lone surrogate (U+D800)"),
        new Bad("POST", "/workflows", "{\"workflowType\":\"Inbox\",\"workflowId\":\"alias-\\udbff\",\"args\":[1]}",
            "InvalidWorkflowId", "lone surrogate (U+DBFF)"),
        new Bad("GET", "/workflows/alias-%ED%A0%80", null, "InvalidPath", "not UTF-8"),
        new Bad("POST", "/workflows/alias-%ED%AF%BF/signal-with-start", "{\"workflowType\":\"Inbox\",\"args\":[1],"
            + "\"signalName\":\"add\",\"signalArgs\":[\"a\"]}", "InvalidPath", "not UTF-8"),
        new Bad("POST", "/workflows/h-open/signals/add", "{\"args\":[\"a\"],\"requestId\":\"\"}", "InvalidRequestId",
            "1-255"),
        new Bad("POST", "/workflows/h-open/signals/add", "{\"args\":[\"a\"],\"requestId\":\"r-\\udc00\"}",
            "InvalidRequestId", "lone surrogate"),
        new Bad("POST", "/workflows/h-open/signals/add", "{\"args\":[\"a\"],\"requestId\":7}", "InvalidField",
            "'requestId' must be a string"),
        new Bad("POST", "/workflows/h-open/signals/remove", "{\"args\":[\"a\"],\"requestId\":\"r-1\"}", "UnknownSignal",
            "its signals: add"));
    for (Bad b : cases) {
      Answer a = call(b.method(), b.path(), b.body());
      assertEquals(400, a.status(), () -> b + " -> " + a);
      assertEquals(b.error(), a.error(), () -> b + " -> " + a);
      assertTrue(a.body().get("message").asText().contains(b.says()), () -> b + " -> " + a);
    }
    assertEquals(List.of("h-open"), runtime.client.listExecutions(ListExecutionsRequest.all()).stream()
        .map(i -> i.execution().workflowId()).toList(), "no run started");
    assertEquals(batches, history("h-open"), "nothing recorded for the open run");
  }

  @Test
  void aPathIdOfAWellFormedSupplementaryCharacterStillWorks() {
    String id = "emoji-\ud83d\ude00";
    assertEquals(201, call("POST", "/workflows", "{\"workflowType\":\"Inbox\",\"workflowId\":\"" + id + "\",\"args\":[0]}")
        .status());
    Answer described = call("GET", "/workflows/emoji-%F0%9F%98%80", null);
    assertEquals(200, described.status(), described::toString);
    assertEquals(id, described.body().get("workflowId").asText());
  }

  private int history(String workflowId) {
    return runtime.client.fetchHistory(workflowId).size();
  }
}
