package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.DevServer;
import dev.tempora.devserver.EmbeddedAwsBackend;
import dev.tempora.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same workflow on the embedded AWS stack: DynamoDB Local and ElasticMQ in this JVM, the real
 * Lambda handlers and AWS SDK clients, the timer through the EventBridge Scheduler stand-in (time
 * still skips). A few seconds to start, then as fast as the in-memory engine's tests to write.
 */
class GreetingWorkflowOnEmbeddedAwsTest {
  private static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(new GreetingSetup());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void greetsThroughTheAwsStack() {
    try (TestWorkflowEnvironment env = EmbeddedAwsBackend.newEnvironment(server)) {
      GreetingWorkflow workflow = env.getWorkflowClient().newWorkflowStub(GreetingWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId("greet-grace").build());

      assertEquals("Hello, Grace! (follow-up sent to Grace)", workflow.greet("Grace"));
    }
  }
}
