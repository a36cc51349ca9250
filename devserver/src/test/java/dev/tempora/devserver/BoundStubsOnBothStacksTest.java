package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowIdReusePolicy;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Difference 1 of issue 10 on both stacks: calling the workflow method of a typed stub that is
 * bound to a run (made with a workflow id, or started by {@code WorkflowClient.start}) waits for
 * that run's result, open or closed, as Temporal's stubs do; it starts nothing.
 */
class BoundStubsOnBothStacksTest {

  @WorkflowInterface
  public interface Napper {
    @WorkflowMethod
    String nap(String name);
  }

  public static class NapperImpl implements Napper {
    @Override
    public String nap(String name) {
      Workflow.sleep(Duration.ofHours(1));
      return "rested " + name;
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
    env.registerWorkflowImplementationTypes(NapperImpl.class);
    return env;
  }

  private static long runsOf(WorkflowClient client, String workflowId) {
    return client.listExecutions(ListExecutionsRequest.all().withWorkflowType("Napper")).stream()
        .filter(e -> e.execution().workflowId().equals(workflowId)).count();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aStubMadeWithAnIdWaitsForTheOpenAndThenTheClosedRun(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "bound-by-id-" + stack;
      Napper starter = client.newWorkflowStub(Napper.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
      WorkflowClient.start(starter::nap, "ann");

      Napper bound = client.newWorkflowStub(Napper.class, id);
      assertEquals("rested ann", bound.nap("bob"), "waits for the open run; its argument is not used");
      assertEquals("rested ann", client.newWorkflowStub(Napper.class, id).nap("cy"), "and for the closed run");
      assertEquals(1, runsOf(client, id));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aStubStartedByWorkflowClientStartWaitsForItsRunWhenCalledAfterwards(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      for (WorkflowIdReusePolicy policy : new WorkflowIdReusePolicy[] {
          WorkflowIdReusePolicy.ALLOW_DUPLICATE, WorkflowIdReusePolicy.REJECT_DUPLICATE}) {
        String id = "started-then-called-" + policy + "-" + stack;
        Napper stub = client.newWorkflowStub(Napper.class, WorkflowOptions.newBuilder().setWorkflowId(id)
            .setWorkflowIdReusePolicy(policy).build());
        WorkflowClient.start(stub::nap, "ann");
        assertEquals("rested ann", WorkflowStub.fromTyped(stub).getResult(String.class));
        // The run has closed: a start now would make a second run (or be refused by the policy).
        assertEquals("rested ann", stub.nap("bob"), policy.toString());
        assertEquals(1, runsOf(client, id), policy.toString());
      }
    }
  }
}
