package dev.tempora.engine;

import static dev.tempora.engine.Envs.env;
import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.*;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.TerminatedFailure;
import dev.tempora.internal.converter.PayloadTooLargeException;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientApiTest {

  @ActivityInterface
  public interface Echo {
    String echo(String s);
  }

  @WorkflowInterface
  public interface Mailbox {
    @WorkflowMethod
    List<String> collect(int expected);

    @SignalMethod
    void add(String item);

    @QueryMethod
    List<String> items();
  }

  public static class MailboxImpl implements Mailbox {
    private final List<String> items = new ArrayList<>();
    private final Echo echo = Workflow.newActivityStub(Echo.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());

    @Override
    public List<String> collect(int expected) {
      if (expected < 0) {
        throw ApplicationFailure.newNonRetryableFailure("expected must be >= 0", "InvalidArgument");
      }
      Workflow.await(() -> items.size() >= expected);
      List<String> out = new ArrayList<>();
      for (String i : items) {
        out.add(echo.echo(i));
      }
      Workflow.sleep(Duration.ofHours(1));
      return out;
    }

    @Override
    public void add(String item) {
      items.add(item);
    }

    @Override
    public List<String> items() {
      return List.copyOf(items);
    }
  }

  private static TestWorkflowEnvironment mailboxEnv() {
    TestWorkflowEnvironment env = env();
    env.registerWorkflowImplementationTypes(MailboxImpl.class);
    env.registerActivitiesImplementations((Echo) s -> s.toUpperCase());
    return env;
  }

  @Test
  void startIsIdempotentByWorkflowIdWhileRunning() {
    try (TestWorkflowEnvironment env = mailboxEnv()) {
      WorkflowClient c = env.getWorkflowClient();
      WorkflowExecution first = c.newUntypedWorkflowStub("Mailbox", id("m1")).start(1);
      WorkflowExecution second = c.newUntypedWorkflowStub("Mailbox", id("m1")).start(1);
      assertEquals(first, second);
      assertEquals(1, c.listExecutions(ListExecutionsRequest.all()).size());
    }
  }

  @Test
  void signalsQueriesDescribeAndResults() throws Exception {
    try (TestWorkflowEnvironment env = mailboxEnv()) {
      WorkflowClient c = env.getWorkflowClient();
      Mailbox m = c.newWorkflowStub(Mailbox.class, id("m2"));
      WorkflowClient.start(m::collect, 2);
      m.add("a");
      assertEquals(List.of("a"), m.items());
      WorkflowDescription d = c.describe("m2");
      assertEquals(WorkflowExecutionStatus.RUNNING, d.status());
      assertEquals("Mailbox", d.workflowType());
      assertNull(d.taskFailure());
      Mailbox byId = c.newWorkflowStub(Mailbox.class, "m2");
      byId.add("b");
      // the echo activities ran; the 1-hour timer is pending until someone waits
      WorkflowDescription waiting = c.describe("m2");
      assertEquals(1, waiting.pendingTimers().size());
      assertEquals(Envs.T0.plus(Duration.ofHours(1)), waiting.pendingTimers().getFirst().fireTime());
      List<?> result = WorkflowStub.fromTyped(byId).getResultAsync(List.class).get(10, TimeUnit.SECONDS);
      assertEquals(List.of("A", "B"), result);
      assertEquals(WorkflowExecutionStatus.COMPLETED, c.describe("m2").status());
      assertEquals(1, c.listExecutions(ListExecutionsRequest.all().withStatus(WorkflowExecutionStatus.COMPLETED)).size());
      assertEquals(0, c.listExecutions(ListExecutionsRequest.all().withWorkflowType("Other")).size());
      assertThrows(WorkflowNotFoundException.class, () -> byId.add("late"));
    }
  }

  @Test
  void reusePolicies() {
    try (TestWorkflowEnvironment env = mailboxEnv()) {
      WorkflowClient c = env.getWorkflowClient();
      WorkflowExecution done = c.newUntypedWorkflowStub("Mailbox", id("r1")).start(0);
      c.newUntypedWorkflowStub("r1").getResult(List.class);

      WorkflowOptions reject = WorkflowOptions.newBuilder().setWorkflowId("r1")
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.REJECT_DUPLICATE).build();
      assertThrows(WorkflowAlreadyStartedException.class, () -> c.newUntypedWorkflowStub("Mailbox", reject).start(0));
      WorkflowOptions failedOnly = WorkflowOptions.newBuilder().setWorkflowId("r1")
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY).build();
      assertThrows(WorkflowAlreadyStartedException.class, () -> c.newUntypedWorkflowStub("Mailbox", failedOnly).start(0));

      WorkflowExecution again = c.newUntypedWorkflowStub("Mailbox", id("r1")).start(-1);
      assertNotEquals(done.runId(), again.runId());
      WorkflowFailedException f = assertThrows(WorkflowFailedException.class,
          () -> c.newUntypedWorkflowStub("r1").getResult(List.class));
      assertEquals("InvalidArgument", ((ApplicationFailure) f.getCause()).getType());
      // the last run failed: FAILED_ONLY now allows a new run
      WorkflowExecution third = c.newUntypedWorkflowStub("Mailbox", failedOnly).start(5);
      assertNotEquals(again.runId(), third.runId());

      WorkflowOptions terminate = WorkflowOptions.newBuilder().setWorkflowId("r1")
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.TERMINATE_IF_RUNNING).build();
      WorkflowExecution fourth = c.newUntypedWorkflowStub("Mailbox", terminate).start(0);
      assertNotEquals(third.runId(), fourth.runId());
      assertEquals(3, c.listExecutions(ListExecutionsRequest.all().withStatus(WorkflowExecutionStatus.COMPLETED)).size()
          + c.listExecutions(ListExecutionsRequest.all().withStatus(WorkflowExecutionStatus.FAILED)).size()
          + c.listExecutions(ListExecutionsRequest.all().withStatus(WorkflowExecutionStatus.TERMINATED)).size());
    }
  }

  @Test
  void signalWithStartStartsOrSignals() {
    try (TestWorkflowEnvironment env = mailboxEnv()) {
      WorkflowClient c = env.getWorkflowClient();
      WorkflowStub s = c.newUntypedWorkflowStub("Mailbox", id("sws"));
      WorkflowExecution e1 = s.signalWithStart("add", new Object[] {"x"}, new Object[] {2});
      WorkflowExecution e2 = c.newUntypedWorkflowStub("Mailbox", id("sws")).signalWithStart("add", new Object[] {"y"}, new Object[] {2});
      assertEquals(e1, e2);
      assertEquals(List.of("X", "Y"), s.getResult(List.class));
      List<String> first = c.fetchHistory("sws").stream().limit(3).map(e -> e.event().describe()).toList();
      assertEquals(List.of("WorkflowExecutionStarted Mailbox [2]", "WorkflowSignaled add [\"x\"]", "WorkflowTaskCompleted"), first);
    }
  }

  @Test
  void terminateEndsTheRunAtOnce() {
    try (TestWorkflowEnvironment env = mailboxEnv()) {
      WorkflowClient c = env.getWorkflowClient();
      WorkflowStub s = c.newUntypedWorkflowStub("Mailbox", id("t1"));
      s.start(3);
      s.terminate("operator said so");
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> s.getResult(List.class));
      assertEquals(WorkflowExecutionStatus.TERMINATED, e.getStatus());
      assertInstanceOf(TerminatedFailure.class, e.getCause());
      assertEquals("WorkflowExecutionTerminated operator said so", c.fetchHistory("t1").getLast().event().describe());
      // messages after termination are ignored: signalling a closed run is an error
      assertThrows(WorkflowNotFoundException.class, () -> s.signal("add", "z"));
    }
  }

  @Test
  void aStartOfAnUnregisteredTypeIsRefusedAndWritesNothing() {
    // (A run whose type a later deployment dropped parks with a task failure: WorkflowTaskHandlerTest.)
    try (TestWorkflowEnvironment env = env()) {
      env.registerActivitiesImplementations((Echo) s -> s);
      WorkflowClient c = env.getWorkflowClient();
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> c.newUntypedWorkflowStub("Mailbox", id("u1")).start(0));
      assertEquals("UnknownWorkflowType", e.getError());
      assertTrue(e.getMessage().startsWith("UnknownWorkflowType: workflow type 'Mailbox' is not registered"), e.getMessage());
      assertTrue(c.listExecutions(ListExecutionsRequest.all()).isEmpty(), "nothing written");
      env.registerWorkflowImplementationTypes(MailboxImpl.class);
      c.newUntypedWorkflowStub("Mailbox", id("u1")).start(0);
      assertEquals(List.of(), c.newUntypedWorkflowStub("u1").getResult(List.class));
    }
  }

  @Test
  void oversizePayloadIsRejectedBeforeAnythingIsRecorded() {
    try (TestWorkflowEnvironment env = mailboxEnv()) {
      WorkflowClient c = env.getWorkflowClient();
      String big = "x".repeat(3 * 1024 * 1024);
      WorkflowStub s = c.newUntypedWorkflowStub("Mailbox", id("big"));
      PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class, () -> s.start(big));
      assertTrue(e.getMessage().contains("payload limit"), e.getMessage());
      assertTrue(c.listExecutions(ListExecutionsRequest.all()).isEmpty());
      s.start(1);
      assertThrows(PayloadTooLargeException.class, () -> s.signal("add", big));
      assertEquals(List.of(), s.query("items", List.class));
    }
  }

  @Test
  void unknownQueryAndUnknownWorkflowAreNamedErrors() {
    try (TestWorkflowEnvironment env = mailboxEnv()) {
      WorkflowClient c = env.getWorkflowClient();
      WorkflowStub s = c.newUntypedWorkflowStub("Mailbox", id("q1"));
      s.start(1);
      InvalidRequestException q = assertThrows(InvalidRequestException.class, () -> s.query("nope", String.class));
      assertEquals("UnknownQuery", q.getError());
      assertTrue(q.getMessage().contains("has no query 'nope'"), q.getMessage());
      assertThrows(WorkflowNotFoundException.class, () -> c.describe("missing"));
      assertThrows(WorkflowNotFoundException.class, () -> c.newUntypedWorkflowStub("missing").signal("add", "a"));
    }
  }
}
