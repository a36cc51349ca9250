package dev.tempora.devserver.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.devserver.DevServer;
import dev.tempora.devserver.FailureWorkflows;
import dev.tempora.devserver.durability.DurabilityTest.Echo;
import dev.tempora.devserver.durability.DurabilityTest.EchoImpl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Retention on the embedded stack: a closed run's record expires by TTL once the retention has
 * passed (the stack's TTL stand-in, {@link dev.tempora.devserver.DynamoDbTtlSweeper}, counts on the
 * stack's clock, which the test moves), and the stream relay then deletes every other item of the
 * run (history batches, heartbeats, the current-run pointer), so nothing of it is left; a minute
 * before, everything is still there.
 */
class RetentionTest {

  @Test
  void aClosedRunAndAllItsItemsAreDeletedAfterTheConfiguredRetention() {
    DevServer.Options options = DevServer.Options.defaults();
    try (DevServer server = DevServer.start(w -> w.registerWorkflowImplementationTypes(EchoImpl.class)
        .registerActivitiesImplementations(new FailureWorkflows.CountingSteps()),
        options.withConfig(options.config().withRetention(Duration.ofDays(1))))) {
      runAndOutlive(server, "kept-1d", Duration.ofDays(1));
    }
  }

  @Test
  void theDefaultRetentionIsThirtyDays() {
    try (DevServer server = DevServer.start(w -> w.registerWorkflowImplementationTypes(EchoImpl.class)
        .registerActivitiesImplementations(new FailureWorkflows.CountingSteps()))) {
      runAndOutlive(server, "kept-30d", Duration.ofDays(30));
    }
  }

  /** Runs a workflow to its close, then moves the clock to just before and just after its retention. */
  private static void runAndOutlive(DevServer server, String workflowId, Duration retention) {
    WorkflowClient client = server.client();
    Echo echo = client.newWorkflowStub(Echo.class, WorkflowOptions.newBuilder().setWorkflowId(workflowId).build());
    WorkflowClient.start(echo::echo, "x");
    assertEquals("s0x", WorkflowStub.fromTyped(echo).getResult(Duration.ofSeconds(30), String.class));
    String pk = server.config().namespace() + "#" + workflowId;
    List<String> before = items(server, pk);
    assertTrue(before.size() >= 3 && before.contains("current"), "run, pointer and history are there: " + before);
    String runSk = before.stream().filter(sk -> sk.startsWith("run#")).findFirst().orElseThrow();
    Map<String, AttributeValue> runKey = Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(runSk));
    await("the TTL knows the closed run's expiry", () -> server.timeToLive().expiresAt(runKey).isPresent());

    server.advanceClock(retention.minusMinutes(1));
    assertEquals(0, server.timeToLive().sweep(), "nothing expires before the retention ends");
    assertEquals(before, items(server, pk));

    server.advanceClock(Duration.ofMinutes(2));
    try {
      await("no items left after the retention", () -> items(server, pk).isEmpty());
    } catch (AssertionError e) {
      throw new AssertionError("items left after the retention: " + items(server, pk), e);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static List<String> items(DevServer server, String pk) {
    return server.aws().dynamo().queryPaginator(b -> b.tableName(server.config().tableName()).consistentRead(true)
        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))))
        .items().stream().map(i -> i.get("sk").s()).toList();
  }
}
