package dev.tempora.engine;

import static dev.tempora.engine.Envs.env;
import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowStub;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code WorkflowClient.start} takes a workflow method with up to six arguments, as Temporal's does. */
class WorkflowClientStartTest {

  @WorkflowInterface
  public interface Joiner {
    @WorkflowMethod
    String join(String a, int b, String c, int d, String e, int f);
  }

  public static class JoinerImpl implements Joiner {
    @Override
    public String join(String a, int b, String c, int d, String e, int f) {
      Workflow.sleep(Duration.ofMinutes(1));
      return a + b + c + d + e + f;
    }
  }

  @WorkflowInterface
  public interface Recorder {
    @WorkflowMethod
    void record(String a, String b, String c, String d, String e, String f);
  }

  public static class RecorderImpl implements Recorder {
    @Override
    public void record(String a, String b, String c, String d, String e, String f) {
      Workflow.sleep(Duration.ofMinutes(1));
    }
  }

  @WorkflowInterface
  public interface Four {
    @WorkflowMethod
    String four(String a, String b, String c, String d);
  }

  public static class FourImpl implements Four {
    @Override
    public String four(String a, String b, String c, String d) {
      return a + b + c + d;
    }
  }

  @WorkflowInterface
  public interface Five {
    @WorkflowMethod
    String five(String a, String b, String c, String d, String e);
  }

  public static class FiveImpl implements Five {
    @Override
    public String five(String a, String b, String c, String d, String e) {
      return a + b + c + d + e;
    }
  }

  @Test
  void startsAWorkflowMethodWithFourFiveAndSixArguments() {
    try (TestWorkflowEnvironment env = env()) {
      env.registerWorkflowImplementationTypes(JoinerImpl.class, RecorderImpl.class, FourImpl.class, FiveImpl.class);
      WorkflowClient client = env.getWorkflowClient();

      Joiner joiner = client.newWorkflowStub(Joiner.class, id("six-func"));
      WorkflowExecution started = WorkflowClient.start(joiner::join, "a", 1, "b", 2, "c", 3);
      assertEquals("six-func", started.workflowId());
      assertEquals("a1b2c3", WorkflowStub.fromTyped(joiner).getResult(String.class));

      Recorder recorder = client.newWorkflowStub(Recorder.class, id("six-proc"));
      WorkflowClient.start(recorder::record, "a", "b", "c", "d", "e", "f");
      assertNull(WorkflowStub.fromTyped(recorder).getResult(Void.class));
      assertTrue(client.fetchHistory("six-proc").getFirst().event().describe().contains("[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]"),
          client.fetchHistory("six-proc").getFirst().event().describe());

      Four four = client.newWorkflowStub(Four.class, id("four"));
      WorkflowClient.start(four::four, "a", "b", "c", "d");
      assertEquals("abcd", WorkflowStub.fromTyped(four).getResult(String.class));

      Five five = client.newWorkflowStub(Five.class, id("five"));
      WorkflowClient.start(five::five, "a", "b", "c", "d", "e");
      assertEquals("abcde", WorkflowStub.fromTyped(five).getResult(String.class));
    }
  }
}
