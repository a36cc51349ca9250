package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.ChildWorkflowFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.ChildWorkflowOptions;
import dev.tempora.workflow.ChildWorkflowStub;
import dev.tempora.workflow.ParentClosePolicy;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Child workflows and external stubs (issue 11) on both stacks: a trip booked by three children on
 * two task queues (the stack serves {@code default} and {@code gpu}), one of which fails and is compensated; each parent close policy; a child
 * signalled by its parent through an external stub.
 */
class ChildWorkflowsOnBothStacksTest {

  @WorkflowInterface
  public interface Trip {
    @WorkflowMethod
    String book(String name);
  }

  @WorkflowInterface
  public interface Booking {
    @WorkflowMethod
    String reserve(String what);
  }

  /** Books hotel, car and flight in parallel as children; on a failure, cancels the bookings that succeeded. */
  public static class TripImpl implements Trip {
    @Override
    public String book(String name) {
      String[] items = {"hotel", "car", name.contains("fail") ? "fail-flight" : "flight"};
      List<Promise<String>> bookings = new ArrayList<>();
      for (int i = 0; i < items.length; i++) {
        Booking b = Workflow.newChildWorkflowStub(Booking.class, ChildWorkflowOptions.newBuilder()
            .setWorkflowId(name + "-" + items[i]).setTaskQueue(i == 1 ? "gpu" : "default").build());
        bookings.add(Async.function(b::reserve, items[i]));
      }
      List<String> done = new ArrayList<>();
      String failure = null;
      for (Promise<String> p : bookings) {
        try {
          done.add(p.get());
        } catch (ChildWorkflowFailure e) {
          failure = ((ApplicationFailure) e.getCause()).getOriginalMessage();
        }
      }
      if (failure == null) {
        return String.join(", ", done);
      }
      List<String> undone = new ArrayList<>();
      for (String d : done) {
        ChildWorkflowStub undo = Workflow.newUntypedChildWorkflowStub("Booking",
            ChildWorkflowOptions.newBuilder().setWorkflowId(name + "-undo-" + d.replace(' ', '-')).build());
        undone.add(undo.execute(String.class, "undo " + d));
      }
      return "compensated after " + failure + ": " + String.join(", ", undone);
    }
  }

  public static class BookingImpl implements Booking {
    @Override
    public String reserve(String what) {
      // A short real timer on the embedded stack (an SQS delay): the children overlap in time.
      Workflow.sleep(Duration.ofSeconds(1));
      if (what.startsWith("fail")) {
        throw ApplicationFailure.newFailure("no seats left on " + what, "NoSeats");
      }
      return what.startsWith("undo") ? what.replace("undo booked", "released") : "booked " + what;
    }
  }

  @WorkflowInterface
  public interface Parent {
    @WorkflowMethod
    String run(String policy);
  }

  @WorkflowInterface
  public interface Waiter {
    @WorkflowMethod
    String await();

    @SignalMethod
    void release(String value);
  }

  public static class WaiterImpl implements Waiter {
    private String value;

    @Override
    public String await() {
      Workflow.await(() -> value != null);
      return "released with " + value;
    }

    @Override
    public void release(String v) {
      value = v;
    }
  }

  /** Starts a waiting child with the given close policy and returns once it has started. */
  public static class ParentImpl implements Parent {
    @Override
    public String run(String policy) {
      Waiter child = Workflow.newChildWorkflowStub(Waiter.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(Workflow.getInfo().workflowId() + "-child")
          .setParentClosePolicy(ParentClosePolicy.valueOf(policy)).build());
      Async.function(child::await);
      WorkflowExecution e = Workflow.getWorkflowExecution(child).get();
      return "started " + e.workflowId();
    }
  }

  @WorkflowInterface
  public interface Releaser {
    @WorkflowMethod
    String run(String target);
  }

  /** Signals another workflow through a typed external stub, then cancels a second one untyped. */
  public static class ReleaserImpl implements Releaser {
    @Override
    public String run(String target) {
      Workflow.newExternalWorkflowStub(Waiter.class, target).release("a signal from " + Workflow.getInfo().workflowId());
      Workflow.newUntypedExternalWorkflowStub(target + "-2").cancel();
      return "sent";
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(worker -> { });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    env.registerWorkflowImplementationTypes(TripImpl.class, BookingImpl.class, ParentImpl.class, WaiterImpl.class,
        ReleaserImpl.class);
    return env;
  }

  private static int indexOf(List<HistoryEvent> h, Predicate<Event> p) {
    for (int i = 0; i < h.size(); i++) {
      if (p.test(h.get(i).event())) {
        return i;
      }
    }
    return -1;
  }

  /** Polls (real time) until the workflow's status is the expected one; the close policy is applied after the parent's close. */
  private static WorkflowExecutionStatus statusBecomes(WorkflowClient client, String workflowId,
      WorkflowExecutionStatus expected) throws InterruptedException {
    WorkflowExecutionStatus s = null;
    for (int i = 0; i < 200; i++) {
      s = client.describe(workflowId).status();
      if (s == expected) {
        return s;
      }
      Thread.sleep(50);
    }
    return s;
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void threeChildrenOnTwoTaskQueuesOneFailsAndTheParentCompensates(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String ok = "trip-ok-" + stack;
      assertEquals("booked hotel, booked car, booked flight", client.newWorkflowStub(Trip.class,
          WorkflowOptions.newBuilder().setWorkflowId(ok).build()).book(ok));

      String id = "trip-fail-" + stack;
      String result = client.newWorkflowStub(Trip.class, WorkflowOptions.newBuilder().setWorkflowId(id).build()).book(id);
      assertEquals("compensated after no seats left on fail-flight: released hotel, released car", result);

      List<HistoryEvent> h = client.fetchHistory(id);
      for (String item : List.of("hotel", "car", "fail-flight")) {
        int initiated = indexOf(h, e -> e instanceof Event.StartChildWorkflowExecutionInitiated c
            && c.workflowId().equals(id + "-" + item));
        long seq = ((Event.StartChildWorkflowExecutionInitiated) h.get(initiated).event()).seq();
        int started = indexOf(h, e -> e instanceof Event.ChildWorkflowExecutionStarted s && s.seq() == seq);
        int closed = indexOf(h, e -> (e instanceof Event.ChildWorkflowExecutionCompleted c && c.seq() == seq)
            || (e instanceof Event.ChildWorkflowExecutionFailed f && f.seq() == seq));
        assertTrue(initiated >= 0 && initiated < started && started < closed, item + " in order: " + h);
      }
      Event.StartChildWorkflowExecutionInitiated car = (Event.StartChildWorkflowExecutionInitiated) h.get(indexOf(h,
          e -> e instanceof Event.StartChildWorkflowExecutionInitiated c && c.workflowId().endsWith("-car"))).event();
      assertEquals("gpu", car.taskQueue());
      assertEquals("gpu", client.describe(id + "-car").taskQueue());
      assertEquals("default", client.describe(id + "-hotel").taskQueue());
      Event.ChildWorkflowExecutionFailed failed = (Event.ChildWorkflowExecutionFailed) h.get(indexOf(h,
          e -> e instanceof Event.ChildWorkflowExecutionFailed)).event();
      assertEquals("NoSeats", failed.failure().type(), "the child's failure with its cause chain: " + failed);
      assertEquals(2, h.stream().filter(e -> e.event() instanceof Event.ChildWorkflowExecutionCompleted c
          && c.result().toString().contains("released")).count(), "both compensations ran as children: " + h);
      assertEquals(WorkflowExecutionStatus.FAILED, client.describe(id + "-fail-flight").status());
      assertEquals(5, h.stream().filter(e -> e.event() instanceof Event.StartChildWorkflowExecutionInitiated).count());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void eachParentClosePolicy(String stack) throws InterruptedException {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String[][] cases = {
          {"PARENT_CLOSE_POLICY_TERMINATE", "TERMINATED"},
          {"PARENT_CLOSE_POLICY_REQUEST_CANCEL", "CANCELED"},
          {"PARENT_CLOSE_POLICY_ABANDON", "RUNNING"}};
      for (String[] c : cases) {
        String id = "parent-" + c[0].toLowerCase().replace('_', '-') + "-" + stack;
        assertEquals("started " + id + "-child", client.newWorkflowStub(Parent.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).build()).run(c[0]));
        WorkflowExecutionStatus expected = WorkflowExecutionStatus.valueOf(c[1]);
        assertEquals(expected, statusBecomes(client, id + "-child", expected), c[0]);
      }
      // The abandoned child runs on by itself: a client's signal finishes it.
      String abandoned = "parent-parent-close-policy-abandon-" + stack + "-child";
      client.newWorkflowStub(Waiter.class, abandoned).release("late");
      assertEquals("released with late", client.newWorkflowStub(Waiter.class, abandoned).await());
      List<HistoryEvent> terminated = client.fetchHistory("parent-parent-close-policy-terminate-" + stack + "-child");
      assertTrue(terminated.getLast().event() instanceof Event.WorkflowExecutionTerminated t
          && t.reason().startsWith("ParentClosed"), terminated.toString());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void anExternalStubSignalsAndCancelsOtherWorkflows(String stack) throws InterruptedException {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String target = "waiter-" + stack;
      WorkflowClient.start(client.newWorkflowStub(Waiter.class, WorkflowOptions.newBuilder().setWorkflowId(target)
          .build())::await);
      WorkflowClient.start(client.newWorkflowStub(Waiter.class, WorkflowOptions.newBuilder()
          .setWorkflowId(target + "-2").build())::await);
      String releaser = "releaser-" + stack;
      assertEquals("sent", client.newWorkflowStub(Releaser.class, WorkflowOptions.newBuilder().setWorkflowId(releaser)
          .build()).run(target));
      assertEquals("released with a signal from " + releaser, client.newWorkflowStub(Waiter.class, target).await());
      assertEquals(WorkflowExecutionStatus.CANCELED, statusBecomes(client, target + "-2", WorkflowExecutionStatus.CANCELED));
      List<HistoryEvent> h = client.fetchHistory(releaser);
      assertTrue(indexOf(h, e -> e instanceof Event.SignalExternalWorkflowExecutionInitiated) >= 0, h.toString());
      assertTrue(indexOf(h, e -> e instanceof Event.RequestCancelExternalWorkflowExecutionInitiated) >= 0, h.toString());
    }
  }
}
