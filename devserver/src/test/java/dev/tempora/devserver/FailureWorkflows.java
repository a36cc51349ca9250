package dev.tempora.devserver;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Test-only workflow and activity shared by the failure and durability tests on the embedded stack. */
public final class FailureWorkflows {
  private FailureWorkflows() {}

  @ActivityInterface
  public interface Steps {
    String step(String workflowId, int i);
  }

  /** Counts invocations per workflow id and step ("wf/i"); all tests share one instance per stack. */
  public static final class CountingSteps implements Steps {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public String step(String workflowId, int i) {
      calls.computeIfAbsent(workflowId + "/" + i, k -> new AtomicInteger()).incrementAndGet();
      return "s" + i;
    }

    public int calls(String workflowId, int i) {
      AtomicInteger n = calls.get(workflowId + "/" + i);
      return n == null ? 0 : n.get();
    }

    int total(String workflowId) {
      return calls.entrySet().stream().filter(e -> e.getKey().startsWith(workflowId + "/"))
          .mapToInt(e -> e.getValue().get()).sum();
    }
  }

  @WorkflowInterface
  public interface Chain {
    @WorkflowMethod
    String run(int steps);
  }

  /** {@code steps} sequential activities; the result joins their results. */
  public static class ChainImpl implements Chain {
    @Override
    public String run(int steps) {
      Steps a = Workflow.newActivityStub(Steps.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
      StringBuilder out = new StringBuilder();
      String id = Workflow.getInfo().workflowId();
      for (int i = 0; i < steps; i++) {
        out.append(a.step(id, i));
      }
      return out.toString();
    }
  }
}
