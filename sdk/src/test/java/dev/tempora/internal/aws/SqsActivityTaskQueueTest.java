package dev.tempora.internal.aws;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.history.ActivityTask;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

class SqsActivityTaskQueueTest {
  private static SqsTestServer server;
  private static String defaultUrl;
  private static String gpuUrl;
  private static SqsActivityTaskQueue queue;

  @BeforeAll
  static void start() {
    server = SqsTestServer.start();
    defaultUrl = server.createQueueWithDlq("activities-default");
    gpuUrl = server.createQueueWithDlq("activities-gpu");
    Map<String, String> urls = Map.of("default", defaultUrl, "gpu", gpuUrl);
    queue = new SqsActivityTaskQueue(server.sqs, urls::get);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void purge() {
    server.purge(defaultUrl, gpuUrl, server.dlqUrl("activities-default"));
  }

  @Test
  void aTaskRoundTripsToItsTaskQueueAndAppearsOnlyAfterItsDelay() {
    ActivityTask task = SqsFixtures.activity(SqsFixtures.run("act"), "default", "{\"amount\":42}");
    long sentAt = System.nanoTime();
    queue.send(task, Duration.ofMillis(1500)); // rounded up: never earlier than asked

    SendMessageRequest request = server.sent(SendMessageRequest.class).get(0);
    assertEquals(2, request.delaySeconds());
    assertTrue(request.messageAttributes().isEmpty());
    assertTrue(server.receive(defaultUrl, 1, 1).isEmpty(), "not visible before its delay");
    List<Message> got = server.drain(defaultUrl, 1, Duration.ofSeconds(5));
    long waitedMillis = (System.nanoTime() - sentAt) / 1_000_000;
    assertEquals(List.of(task), got.stream().map(m -> HistoryJson.readActivityTask(m.body())).toList());
    assertTrue(waitedMillis >= 1900, "arrived after " + waitedMillis + " ms");

    ActivityTask gpuTask = SqsFixtures.activity(SqsFixtures.run("gpu"), "gpu", "1");
    queue.send(gpuTask, Duration.ZERO);
    assertEquals(gpuTask, HistoryJson.readActivityTask(server.receive(gpuUrl, 1, 1).get(0).body()));
  }

  @Test
  void aDelayOverFifteenMinutesSendsNotBeforeWithTheLongestDelay() {
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    SqsActivityTaskQueue fixedClockQueue = new SqsActivityTaskQueue(server.sqs, q -> defaultUrl, InstantSource.fixed(now));
    fixedClockQueue.send(SqsFixtures.activity(SqsFixtures.run("slow"), "default", "1"), Duration.ofHours(1));

    SendMessageRequest request = server.sent(SendMessageRequest.class).get(0);
    assertEquals(900, request.delaySeconds());
    MessageAttributeValue notBefore = request.messageAttributes().get(SqsDelayedDelivery.NOT_BEFORE);
    assertEquals("Number", notBefore.dataType());
    assertEquals(now.plus(Duration.ofHours(1)).toEpochMilli(), Long.parseLong(notBefore.stringValue()));
    assertEquals(1, server.attribute(defaultUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }

  @Test
  void anEarlyMessageIsDeferredAgainUntilItsNotBefore() {
    InstantSource real = InstantSource.system();
    // Stands for a long-delayed task after its first 900 s: 1000 s still to go.
    sendWithNotBefore("far", real.instant().plusSeconds(1000));
    Message far = server.receive(defaultUrl, 1, 1).get(0);
    assertTrue(SqsDelayedDelivery.deferIfEarly(server.sqs, defaultUrl, far, real));
    SendMessageRequest again = last(SendMessageRequest.class);
    assertEquals(900, again.delaySeconds(), "re-sent with at most 900 s");
    assertEquals(far.messageAttributes().get(SqsDelayedDelivery.NOT_BEFORE),
        again.messageAttributes().get(SqsDelayedDelivery.NOT_BEFORE));
    server.sqs.deleteMessage(b -> b.queueUrl(defaultUrl).receiptHandle(far.receiptHandle()));

    // Near the end: 2.5 s to go, re-sent with 3 s, then due when it arrives.
    sendWithNotBefore("near", real.instant().plusMillis(2500));
    Message near = server.receive(defaultUrl, 1, 1).get(0);
    assertTrue(SqsDelayedDelivery.deferIfEarly(server.sqs, defaultUrl, near, real));
    assertEquals(3, last(SendMessageRequest.class).delaySeconds());
    server.sqs.deleteMessage(b -> b.queueUrl(defaultUrl).receiptHandle(near.receiptHandle()));
    List<Message> arrived = server.drain(defaultUrl, 1, Duration.ofSeconds(6));
    assertEquals("near", arrived.get(0).body());
    assertFalse(SqsDelayedDelivery.deferIfEarly(server.sqs, defaultUrl, arrived.get(0), real), "due: process it");

    sendWithNotBefore("plain", null);
    assertFalse(SqsDelayedDelivery.deferIfEarly(server.sqs, defaultUrl, server.receive(defaultUrl, 1, 1).get(0), real));
    assertEquals(1, server.attribute(defaultUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
        "only the far one waits");
  }

  @Test
  void anOversizedTaskIsANamedError() {
    ActivityTask task = SqsFixtures.activity(SqsFixtures.run("big"), "default", "\"" + "x".repeat(1_100_000) + "\"");
    SqsMessageTooLargeException e = assertThrows(SqsMessageTooLargeException.class, () -> queue.send(task, Duration.ZERO));
    assertTrue(e.getMessage().contains(task.taskId()), e.getMessage());
    assertTrue(server.sent(SendMessageRequest.class).isEmpty());
  }

  @Test
  void anUnknownTaskQueueIsAClearError() {
    ActivityTask task = SqsFixtures.activity(SqsFixtures.run("x"), "nope", "1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queue.send(task, Duration.ZERO));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
  }

  @Test
  void aPoisonTaskMovesToTheDeadLetterQueueAfterThreeReceives() {
    ActivityTask task = SqsFixtures.activity(SqsFixtures.run("poison"), "default", "1");
    queue.send(task, Duration.ZERO);
    for (int i = 1; i <= 3; i++) {
      Message m = server.receive(defaultUrl, 1, 1).get(0);
      assertEquals(Integer.toString(i), m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
      server.sqs.changeMessageVisibility(b -> b.queueUrl(defaultUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    }
    assertTrue(server.receive(defaultUrl, 1, 0).isEmpty(), "moved to the DLQ on the 4th receive");
    Message dead = server.drain(server.dlqUrl("activities-default"), 1, Duration.ofSeconds(5)).get(0);
    assertEquals(task, HistoryJson.readActivityTask(dead.body()));
  }

  private static void sendWithNotBefore(String body, Instant notBefore) {
    server.sqs.sendMessage(b -> b.queueUrl(defaultUrl).messageBody(body).messageAttributes(notBefore == null
        ? Map.of()
        : Map.of(SqsDelayedDelivery.NOT_BEFORE, SqsDelayedDelivery.notBefore(notBefore))));
  }

  private static <T extends software.amazon.awssdk.core.SdkRequest> T last(Class<T> type) {
    List<T> all = server.sent(type);
    return all.get(all.size() - 1);
  }
}
