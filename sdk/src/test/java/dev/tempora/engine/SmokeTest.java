package dev.tempora.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.*;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @ActivityInterface
  public interface Greeter {
    String greet(String name);
  }

  @WorkflowInterface
  public interface Hello {
    @WorkflowMethod
    String run(String name);

    @SignalMethod
    void setSuffix(String s);

    @QueryMethod
    String status();
  }

  public static class HelloImpl implements Hello {
    private String suffix;
    private String status = "starting";
    private final Greeter greeter = Workflow.newActivityStub(Greeter.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());

    public String run(String name) {
      String g = greeter.greet(name);
      status = "sleeping";
      Workflow.sleep(Duration.ofDays(30));
      status = "waiting";
      boolean got = Workflow.await(Duration.ofDays(1), () -> suffix != null);
      return g + (got ? suffix : "?");
    }

    public void setSuffix(String s) { suffix = s; }

    public String status() { return status; }
  }

  @Test
  void runsActivitySleepAndSignal() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      env.registerWorkflowImplementationTypes(HelloImpl.class);
      env.registerActivitiesImplementations((Greeter) n -> "hello " + n);
      WorkflowClient client = env.getWorkflowClient();
      Hello h = client.newWorkflowStub(Hello.class, WorkflowOptions.newBuilder().setWorkflowId("w1").build());
      WorkflowClient.start(h::run, "bob");
      assertEquals("sleeping", h.status());
      env.sleep(Duration.ofDays(30));
      assertEquals("waiting", h.status());
      h.setSuffix("!");
      assertEquals("hello bob!", WorkflowStub.fromTyped(h).getResult(String.class));
      client.fetchHistory("w1").forEach(System.out::println);
      System.out.println(env.stats());
    }
  }
}
