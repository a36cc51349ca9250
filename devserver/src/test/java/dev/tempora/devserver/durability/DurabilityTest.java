package dev.tempora.devserver.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.devserver.DevServer;
import dev.tempora.devserver.FailureWorkflows.Chain;
import dev.tempora.devserver.FailureWorkflows.ChainImpl;
import dev.tempora.devserver.FailureWorkflows.CountingSteps;
import dev.tempora.devserver.FailureWorkflows.Steps;
import dev.tempora.examples.CallLog;
import dev.tempora.examples.fanout.FanOutWorkflow;
import dev.tempora.examples.fanout.FanOutWorkflowImpl;
import dev.tempora.examples.fanout.InMemoryMathActivities;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

/**
 * Issue 9's durability findings on the embedded stack (DynamoDB Local, ElasticMQ, the real
 * handlers, the stream relay through its stand-in poller): each test fails on the engine before
 * ADR 8 and passes after it.
 */
class DurabilityTest {

  static Steps steps() {
    return Workflow.newActivityStub(Steps.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
  }

  /** A deployment with a bug: after the first step, workflow code throws (not a TemporaFailure). */
  public static class BuggyChainImpl implements Chain {
    @Override
    public String run(int n) {
      steps().step(Workflow.getInfo().workflowId(), 0);
      throw new IllegalStateException("bug: step results not handled");
    }
  }

  /** A deployment with a timer whose fire time overflows. */
  public static class OverflowingChainImpl implements Chain {
    @Override
    public String run(int n) {
      String first = steps().step(Workflow.getInfo().workflowId(), 0);
      Workflow.sleep(Duration.ofHours(2562047788015215L));
      return first;
    }
  }

  @WorkflowInterface
  public interface Echo {
    @WorkflowMethod
    String echo(String text);
  }

  public static class EchoImpl implements Echo {
    @Override
    public String echo(String text) {
      return steps().step(Workflow.getInfo().workflowId(), 0) + text;
    }
  }

  @WorkflowInterface
  public interface Misrouted {
    @WorkflowMethod
    String run();
  }

  /** Schedules its activity on a task queue the deployment has no queue for. */
  public static class MisroutedImpl implements Misrouted {
    @Override
    public String run() {
      return Workflow.newActivityStub(Steps.class, ActivityOptions.newBuilder().setTaskQueue("nowhere")
          .setStartToCloseTimeout(Duration.ofSeconds(30)).build()).step(Workflow.getInfo().workflowId(), 0);
    }
  }

  static final CountingSteps STEPS = new CountingSteps();
  static final AwsCallFaults FAULTS = new AwsCallFaults();
  /** Redelivery after 2 s and the DLQ after 3 receives: "parked in the DLQ" would happen within ~6 s. */
  static final Duration VISIBILITY = Duration.ofSeconds(2);
  static final int MAX_RECEIVES = 3;
  static DevServer server;
  static WorkflowClient client;

  @BeforeAll
  static void start() {
    server = DevServer.start(w -> w.registerWorkflowImplementationTypes(BuggyChainImpl.class, EchoImpl.class,
            FanOutWorkflowImpl.class, MisroutedImpl.class)
        .registerActivitiesImplementations(STEPS, new InMemoryMathActivities(new CallLog())), DevServer.Options.defaults()
        .withRedelivery(VISIBILITY, MAX_RECEIVES).withInterceptors(List.of(FAULTS)));
    client = server.client();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static WorkflowStub startChain(String id, int n) {
    Chain chain = client.newWorkflowStub(Chain.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
    WorkflowClient.start(chain::run, n);
    return WorkflowStub.fromTyped(chain);
  }

  /** Longer than the old path to the DLQ: maxReceiveCount deliveries, a visibility timeout apart. */
  private static void outliveTheRedrivePolicy() throws InterruptedException {
    Thread.sleep(VISIBILITY.multipliedBy(MAX_RECEIVES + 2).toMillis());
  }

  private static void assertNothingDeadLettered() {
    for (String role : server.queues().keySet()) {
      assertEquals(List.of(), server.deadLetters(role), "dead letters in " + role);
    }
  }

  // Finding 1: one valid request cannot exhaust memory; the run parks with a named limit.
  @Test
  void aTwoBillionActivityFanOutParksWithANamedLimitAndTheEngineCarriesOn() {
    FanOutWorkflow huge = client.newWorkflowStub(FanOutWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("fan-out-huge").build());
    WorkflowClient.start(huge::sumOfSquares, 2_000_000_000);
    WorkflowStub stub = WorkflowStub.fromTyped(huge);
    await("the limit shows in describe", () -> stub.describe().taskFailure() != null);
    assertTrue(stub.describe().taskFailure().startsWith("WorkflowThreadsLimitExceeded: "), stub.describe().taskFailure());
    assertEquals(WorkflowExecutionStatus.RUNNING, stub.describe().status());

    Echo echo = client.newWorkflowStub(Echo.class, WorkflowOptions.newBuilder().setWorkflowId("after-huge").build());
    WorkflowClient.start(echo::echo, "ok");
    assertEquals("s0ok", WorkflowStub.fromTyped(echo).getResult(Duration.ofSeconds(30), String.class));
    stub.terminate("too big");
    assertEquals(WorkflowExecutionStatus.TERMINATED, stub.describe().status());
  }

  // Findings 2 and 3: workflow-code failures park the run visibly, keep its messages in the table,
  // never reach the DLQ, and resume when fixed code is deployed, however long that takes.
  @Test
  void aBugInWorkflowCodeParksTheRunUntilFixedCodeIsDeployedWithoutReachingTheDlq() throws Exception {
    server.deploy(w -> w.registerWorkflowImplementationTypes(BuggyChainImpl.class));
    WorkflowStub stub = startChain("bug-1", 2);
    await("the task failure shows in describe", () -> stub.describe().taskFailure() != null);
    WorkflowDescription parked = stub.describe();
    assertEquals(WorkflowExecutionStatus.RUNNING, parked.status());
    assertTrue(parked.taskFailure().contains("bug: step results not handled"), parked.taskFailure());

    outliveTheRedrivePolicy();
    assertNothingDeadLettered();
    assertNotNull(stub.describe().taskFailure(), "still parked, still saying why");

    server.deploy(w -> w.registerWorkflowImplementationTypes(ChainImpl.class));
    assertEquals("s0s1", stub.getResult(Duration.ofSeconds(30), String.class));
    assertNull(stub.describe().taskFailure());
    assertEquals(1, STEPS.calls("bug-1", 0), "the parked activity result was kept, not recomputed");
    assertNothingDeadLettered();
  }

  @Test
  void anOverflowingTimerParksTheRunAndKeepsTheCompletedActivitysResult() throws Exception {
    server.deploy(w -> w.registerWorkflowImplementationTypes(OverflowingChainImpl.class));
    WorkflowStub stub = startChain("overflow-1", 1);
    await("the task failure shows in describe", () -> stub.describe().taskFailure() != null);
    outliveTheRedrivePolicy();
    assertNothingDeadLettered();
    assertEquals(WorkflowExecutionStatus.RUNNING, stub.describe().status());

    server.deploy(w -> w.registerWorkflowImplementationTypes(ChainImpl.class));
    assertEquals("s0", stub.getResult(Duration.ofSeconds(30), String.class));
    assertEquals(1, STEPS.calls("overflow-1", 0), "the completed activity's result survived in the table");
  }

  // Finding 2: an activity on a task queue that does not exist parks the run with a named reason
  // (the send would fail forever), instead of retrying as transient into the DLQ.
  @Test
  void anActivityOnAnUnservedTaskQueueParksTheRunWithANamedReason() throws Exception {
    Misrouted m = client.newWorkflowStub(Misrouted.class, WorkflowOptions.newBuilder().setWorkflowId("misrouted-1").build());
    WorkflowClient.start(m::run);
    WorkflowStub stub = WorkflowStub.fromTyped(m);
    await("the task failure shows in describe", () -> stub.describe().taskFailure() != null);
    assertTrue(stub.describe().taskFailure().startsWith("UnknownTaskQueue: activity Step is scheduled on task queue "
        + "'nowhere'"), stub.describe().taskFailure());
    outliveTheRedrivePolicy();
    assertNothingDeadLettered();
  }

  // Finding 4: between the closing commit and the run-record update, answers come from history.
  @Test
  void whileTheCloseUpdateFailsTheApiAnswersFromHistoryAndNothingAppendsAfterTheClose() throws Exception {
    String id = "stale-close-1";
    try (AutoCloseable fault = FAULTS.fail((op, request) -> op.equals("UpdateItem")
        && request instanceof UpdateItemRequest u && u.key().get("pk").s().endsWith("#" + id)
        && u.hasExpressionAttributeValues()
        && AttributeValue.fromS("COMPLETED").equals(u.expressionAttributeValues().get(":status")))) {
      Echo echo = client.newWorkflowStub(Echo.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
      WorkflowClient.start(echo::echo, "!");
      await("the history closes", () -> client.fetchHistory(id).stream()
          .anyMatch(e -> HistoryBatch.isClosing(e.event())));
      assertEquals(WorkflowExecutionStatus.RUNNING, server.runtime().store.currentRun("default", id).orElseThrow()
          .status(), "the record is behind (its update keeps failing)");

      WorkflowStub stub = client.newUntypedWorkflowStub(id);
      assertEquals(WorkflowExecutionStatus.COMPLETED, stub.describe().status());
      assertEquals("s0!", stub.getResult(Duration.ofSeconds(5), String.class));
      HttpResponse<String> result = http("GET", "/workflows/" + id + "/result");
      assertEquals(200, result.statusCode(), result.body());
      assertTrue(result.body().contains("\"status\":\"COMPLETED\""), result.body());
      assertTrue(result.body().contains("\"result\":\"s0!\""), result.body());
      assertEquals(409, http("POST", "/workflows/" + id + "/cancel").statusCode());
      assertEquals(409, http("POST", "/workflows/" + id + "/terminate").statusCode());
      assertThrows(WorkflowNotFoundException.class, () -> stub.terminate("too late"));
      assertThrows(WorkflowNotFoundException.class, stub::cancel);

      List<HistoryEvent> history = client.fetchHistory(id);
      assertEquals(1, history.stream().filter(e -> HistoryBatch.isClosing(e.event())).count(), history.toString());
      assertTrue(HistoryBatch.isClosing(history.getLast().event()), "the closing event is last");
    }
    // Once the update works again, the record catches up (the stream relay retries it).
    await("the record is repaired", () -> server.runtime().store.currentRun("default", id).orElseThrow()
        .status() == WorkflowExecutionStatus.COMPLETED);
  }

  // Finding 5: a start whose send fails after the commit still starts the workflow.
  @Test
  void aStartWhoseSendFailsAfterTheCommitStillRuns() throws Exception {
    Thread caller = Thread.currentThread();
    String id = "lost-send-1";
    Echo echo = client.newWorkflowStub(Echo.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
    try (AutoCloseable fault = FAULTS.fail((op, request) -> Thread.currentThread() == caller
        && request instanceof SendMessageBatchRequest)) {
      WorkflowClient.start(echo::echo, "?");
    }
    assertTrue(FAULTS.injected.get() > 0, "the client's send failed");
    assertEquals("s0?", WorkflowStub.fromTyped(echo).getResult(Duration.ofSeconds(30), String.class));
  }

  private static HttpResponse<String> http(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.httpApiEndpoint() + path))
        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
            : HttpRequest.BodyPublishers.noBody())
        .header("Content-Type", "application/json").build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
