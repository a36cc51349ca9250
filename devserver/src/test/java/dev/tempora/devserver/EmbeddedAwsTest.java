package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class EmbeddedAwsTest {

  @Test
  void startsBothEmulatorsAndCreatesQueuesWithDlqs() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    URI dynamoEndpoint;
    URI sqsEndpoint;
    try (EmbeddedAws aws = EmbeddedAws.start()) {
      dynamoEndpoint = aws.dynamoEndpoint();
      sqsEndpoint = aws.sqsEndpoint();
      assertEquals("127.0.0.1", sqsEndpoint.getHost());

      // DynamoDB Local answers through the real SDK client.
      aws.dynamo()
          .createTable(
              b ->
                  b.tableName("items")
                      .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                      .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                      .billingMode("PAY_PER_REQUEST"));
      aws.dynamo().putItem(b -> b.tableName("items").item(Map.of("pk", AttributeValue.fromS("a"))));
      assertEquals(
          "a", aws.dynamo().getItem(b -> b.tableName("items").key(Map.of("pk", AttributeValue.fromS("a")))).item().get("pk").s());

      // Standard queue and its DLQ.
      EmbeddedAws.Queues std = aws.createQueue("tasks", false, 3);
      assertEquals("tasks", std.name());
      assertEquals("tasks-dlq", std.dlqName());
      assertEquals("arn:aws:sqs:us-east-1:000000000000:tasks", std.arn());
      assertEquals("arn:aws:sqs:us-east-1:000000000000:tasks-dlq", std.dlqArn());
      String redrive =
          aws.sqs()
              .getQueueAttributes(b -> b.queueUrl(std.url()).attributeNames(QueueAttributeName.REDRIVE_POLICY))
              .attributes()
              .get(QueueAttributeName.REDRIVE_POLICY);
      assertTrue(redrive.contains(std.dlqArn()), redrive);
      assertTrue(redrive.contains("3"), redrive);

      // FIFO: the .fifo suffix goes after -dlq, and both queues are FIFO.
      EmbeddedAws.Queues fifo = aws.createQueue("workflow.fifo", true, 5);
      assertEquals("workflow.fifo", fifo.name());
      assertEquals("workflow-dlq.fifo", fifo.dlqName());
      assertEquals(fifo, aws.createQueue("workflow", true, 5), "with or without the suffix, same queues");
      for (String url : new String[] {fifo.url(), fifo.dlqUrl()}) {
        assertEquals(
            "true",
            aws.sqs()
                .getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.FIFO_QUEUE))
                .attributes()
                .get(QueueAttributeName.FIFO_QUEUE));
      }
      assertThrows(IllegalArgumentException.class, () -> aws.createQueue("x.fifo", false, 3));
    }

    // Both servers are gone: nothing listens on their ports any more.
    assertTrue(refused(dynamoEndpoint), "DynamoDB Local still listening");
    assertTrue(refused(sqsEndpoint), "ElasticMQ still listening");

    // DynamoDB Local's background job threads (non-daemon) end too, so a plain main can exit.
    long deadline = System.nanoTime() + 3_000_000_000L;
    Set<String> leftover;
    do {
      leftover =
          Thread.getAllStackTraces().entrySet().stream()
              .filter(e -> !before.contains(e.getKey()) && e.getKey().isAlive() && !e.getKey().isDaemon())
              .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("com.amazonaws.services.dynamodbv2.local")))
              .map(e -> e.getKey().getName())
              .collect(Collectors.toCollection(java.util.TreeSet::new));
    } while (!leftover.isEmpty() && System.nanoTime() < deadline && sleep(50));
    assertEquals(Set.of(), leftover, "DynamoDB Local threads still alive");
  }

  private static boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean refused(URI endpoint) {
    try (Socket s = new Socket(endpoint.getHost(), endpoint.getPort())) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
