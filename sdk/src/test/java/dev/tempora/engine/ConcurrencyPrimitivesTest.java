package dev.tempora.engine;

import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.testing.TestWorkflowExtension;
import dev.tempora.workflow.*;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Promise combinators, Saga modes, Workflow.await, and the JUnit extension that runs them. */
class ConcurrencyPrimitivesTest {

  @ActivityInterface
  public interface Ops {
    String op(String name);
  }

  public static class OpsImpl implements Ops {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public String op(String name) {
      calls.add(name);
      if (name.startsWith("fail")) {
        throw new IllegalStateException(name);
      }
      return name.toUpperCase();
    }
  }

  static final OpsImpl OPS = new OpsImpl();

  @RegisterExtension
  static final TestWorkflowExtension tempora = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(PrimitivesImpl.class)
      .setActivityImplementations(OPS)
      .build();

  @WorkflowInterface
  public interface Primitives {
    @WorkflowMethod
    List<String> run(String mode);

    @SignalMethod
    void release(String value);
  }

  public static class PrimitivesImpl implements Primitives {
    private final Ops ops = Workflow.newActivityStub(Ops.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(5))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
    private final CompletablePromise<String> released = Workflow.newPromise();

    @Override
    public List<String> run(String mode) {
      return switch (mode) {
        case "combinators" -> {
          Promise<String> a = Async.function(ops::op, "a");
          Promise<String> failed = Async.function(ops::op, "fail-b");
          Promise<String> recovered = failed.exceptionally(e -> "recovered " + e.getClass().getSimpleName());
          Promise<Integer> length = a.thenApply(String::length);
          Promise<String> composed = a.thenCompose(v -> Async.function(ops::op, v + "-next"));
          Object first = Promise.anyOf(released, Async.function(() -> {
            Workflow.sleep(Duration.ofMinutes(5));
            return "timer";
          })).get();
          RuntimeException allFailure = Promise.allOf(a, failed).getFailure();
          yield List.of(a.get(), recovered.get(), String.valueOf(length.get()), composed.get(), String.valueOf(first),
              allFailure.getClass().getSimpleName());
        }
        case "saga-sequential", "saga-parallel", "saga-continue" -> {
          Saga saga = new Saga(new Saga.Options(mode.equals("saga-parallel"), mode.equals("saga-continue")));
          saga.addCompensation(ops::op, "undo-1");
          saga.addCompensation(ops::op, mode.equals("saga-continue") ? "fail-undo-2" : "undo-2");
          saga.addCompensation(ops::op, "undo-3");
          try {
            saga.compensate();
            yield List.of("compensated");
          } catch (Saga.CompensationException e) {
            yield List.of("compensation failed: " + ((ActivityFailure) e.getCause()).getActivityType());
          }
        }
        case "await" -> {
          boolean got = Workflow.await(Duration.ofHours(1), () -> released.isCompleted());
          yield List.of(String.valueOf(got), got ? released.get() : "-");
        }
        default -> throw new IllegalArgumentException(mode);
      };
    }

    @Override
    public void release(String value) {
      released.complete(value);
    }
  }

  @Test
  void promiseCombinators(Primitives wf) {
    OPS.calls.clear();
    assertEquals(List.of("A", "recovered ActivityFailure", "1", "A-NEXT", "timer", "ActivityFailure"), wf.run("combinators"));
  }

  @Test
  void sagaRunsCompensationsInReverse(WorkflowClient client) {
    OPS.calls.clear();
    Primitives wf = client.newWorkflowStub(Primitives.class, id("saga"));
    assertEquals(List.of("compensated"), wf.run("saga-sequential"));
    assertEquals(List.of("undo-3", "undo-2", "undo-1"), OPS.calls);
  }

  @Test
  void sagaInParallelStartsAllCompensationsAtOnce(WorkflowClient client) {
    OPS.calls.clear();
    Primitives wf = client.newWorkflowStub(Primitives.class, id("saga-p"));
    assertEquals(List.of("compensated"), wf.run("saga-parallel"));
    assertEquals(List.of("undo-1", "undo-2", "undo-3"), OPS.calls, "all three scheduled in one task, in order");
    long scheduledBeforeFirstResult = client.fetchHistory("saga-p").stream()
        .map(e -> e.event().describe())
        .takeWhile(d -> !d.startsWith("ActivityTaskCompleted"))
        .filter(d -> d.startsWith("ActivityTaskScheduled")).count();
    assertEquals(3, scheduledBeforeFirstResult);
  }

  @Test
  void sagaContinueWithErrorRunsTheRestAndReportsTheFirstFailure(WorkflowClient client) {
    OPS.calls.clear();
    Primitives wf = client.newWorkflowStub(Primitives.class, id("saga-c"));
    assertEquals(List.of("compensation failed: Op"), wf.run("saga-continue"));
    assertEquals(List.of("undo-3", "fail-undo-2", "undo-1"), OPS.calls);
  }

  @Test
  void awaitWithTimeoutReturnsWhetherTheConditionHeld(WorkflowClient client) {
    Primitives signalled = client.newWorkflowStub(Primitives.class, id("await-yes"));
    WorkflowClient.start(signalled::run, "await");
    signalled.release("go");
    assertEquals(List.of("true", "go"), dev.tempora.client.WorkflowStub.fromTyped(signalled).getResult(List.class));
    Primitives timedOut = client.newWorkflowStub(Primitives.class, id("await-no"));
    assertEquals(List.of("false", "-"), timedOut.run("await"));
  }
}
