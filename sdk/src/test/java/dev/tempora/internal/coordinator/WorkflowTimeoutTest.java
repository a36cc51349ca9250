package dev.tempora.internal.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.memory.InMemoryRuntime;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's workflow timeout under redelivery and early arrival: a timeout message delivered
 * again after the run closed changes nothing, and one arriving before the deadline is deferred,
 * not applied (the both-stacks behaviour is in the devserver's WorkflowOptionsOnBothStacksTest).
 */
class WorkflowTimeoutTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @WorkflowInterface
  public interface Napper {
    @WorkflowMethod
    String nap();
  }

  public static class NapperImpl implements Napper {
    @Override
    public String nap() {
      Workflow.sleep(Duration.ofDays(1));
      return "rested";
    }
  }

  private static InMemoryRuntime runtime() {
    InMemoryRuntime runtime = new InMemoryRuntime(new InMemoryRuntime.Options("default", 10, 5_000, T0, 7,
        WorkflowTaskHooks.NONE));
    runtime.workflows.register(NapperImpl.class);
    return runtime;
  }

  private static WorkflowStub start(InMemoryRuntime runtime, String id) {
    WorkflowStub stub = runtime.client.newUntypedWorkflowStub("Napper", WorkflowOptions.newBuilder().setWorkflowId(id)
        .setWorkflowRunTimeout(Duration.ofHours(1)).build());
    stub.start();
    runtime.engine.awaitIdle();
    return stub;
  }

  private static long timedOutEvents(List<HistoryEvent> history) {
    return history.stream().filter(e -> e.event() instanceof Event.WorkflowExecutionTimedOut).count();
  }

  private static WorkflowTaskMessage timeoutMessage(WorkflowStub stub, String messageId) {
    RunKey run = new RunKey("default", stub.getExecution().workflowId(), stub.getExecution().runId());
    return new WorkflowTaskMessage(messageId, run, new Event.WorkflowExecutionTimedOut());
  }

  @Test
  void aTimeoutDeliveredAgainAfterTheRunClosedChangesNothing() {
    try (InMemoryRuntime runtime = runtime()) {
      WorkflowStub stub = start(runtime, "redelivered");
      runtime.engine.sleep(Duration.ofHours(2));
      assertEquals(WorkflowExecutionStatus.TIMED_OUT, runtime.client.describe("redelivered").status());
      List<HistoryEvent> closed = runtime.client.fetchHistory("redelivered");
      assertEquals(1, timedOutEvents(closed));

      runtime.engine.send(List.of(timeoutMessage(stub, Outbox.runTimeoutId(runtime.store.currentRun("default",
          "redelivered").orElseThrow().run()))));
      runtime.engine.awaitIdle();
      assertEquals(closed, runtime.client.fetchHistory("redelivered"));
    }
  }

  @Test
  void aTimeoutArrivingBeforeTheDeadlineIsDeferredToIt() {
    try (InMemoryRuntime runtime = runtime()) {
      WorkflowStub stub = start(runtime, "early");
      runtime.engine.sleep(Duration.ofMinutes(10));
      runtime.engine.send(List.of(timeoutMessage(stub, "early-copy")));
      runtime.engine.awaitIdle();
      assertEquals(WorkflowExecutionStatus.RUNNING, runtime.client.describe("early").status(), "not before its deadline");

      runtime.engine.sleep(Duration.ofMinutes(51));
      assertEquals(WorkflowExecutionStatus.TIMED_OUT, runtime.client.describe("early").status());
      List<HistoryEvent> history = runtime.client.fetchHistory("early");
      assertEquals(1, timedOutEvents(history));
      assertFalse(history.getLast().timestamp().isBefore(T0.plus(Duration.ofHours(1))), history.getLast().toString());
    }
  }
}
