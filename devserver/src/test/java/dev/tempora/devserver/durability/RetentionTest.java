package dev.tempora.devserver.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.devserver.DevServer;
import dev.tempora.devserver.durability.DurabilityTest.Echo;
import dev.tempora.devserver.durability.DurabilityTest.EchoImpl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Retention on DynamoDB Local: a closed run's record expires by TTL after the retention, and the
 * stream relay then deletes every other item of the run (history batches, heartbeats, the
 * current-run pointer), so nothing of it is left. Retention is zero here, so the TTL is due at once;
 * DynamoDB Local's background TTL pass takes its own time (seconds to a minute).
 */
class RetentionTest {

  @Test
  void aClosedRunAndAllItsItemsAreDeletedAfterTheRetention() {
    DevServer.Options options = DevServer.Options.defaults();
    try (DevServer server = DevServer.start(w -> w.registerWorkflowImplementationTypes(EchoImpl.class)
        .registerActivitiesImplementations(new DurabilityTest.CountingSteps()),
        options.withConfig(options.config().withRetention(Duration.ZERO)))) {
      WorkflowClient client = server.client();
      Echo echo = client.newWorkflowStub(Echo.class, WorkflowOptions.newBuilder().setWorkflowId("kept-0").build());
      WorkflowClient.start(echo::echo, "x");
      assertEquals("s0x", WorkflowStub.fromTyped(echo).getResult(Duration.ofSeconds(30), String.class));
      String pk = server.config().namespace() + "#kept-0";
      assertTrue(items(server, pk).size() >= 3, "run, pointer and history are there: " + items(server, pk));

      long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
      while (!items(server, pk).isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("items left after retention: " + items(server, pk));
        }
        sleep(500);
      }
    }
  }

  private static List<String> items(DevServer server, String pk) {
    return server.aws().dynamo().queryPaginator(b -> b.tableName(server.config().tableName()).consistentRead(true)
        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))))
        .items().stream().map(i -> i.get("sk").s()).toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
