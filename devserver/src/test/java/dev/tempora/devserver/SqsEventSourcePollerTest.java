package dev.tempora.devserver;

import static dev.tempora.devserver.TestAws.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

class SqsEventSourcePollerTest {

  private final EmbeddedAws aws = TestAws.get();
  private final SqsClient sqs = aws.sqs();

  /** One delivery as the handler saw it. */
  record Delivery(String body, int receiveCount, String group) {}

  private static Delivery delivery(SQSEvent.SQSMessage m) {
    return new Delivery(m.getBody(), Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount")), m.getAttributes().get("MessageGroupId"));
  }

  private static SQSBatchResponse failing(List<String> messageIds) {
    return new SQSBatchResponse(messageIds.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
  }

  /**
   * Nothing left to receive and nothing in flight. (Not ApproximateNumberOfMessages: ElasticMQ
   * still counted a message it had moved to the DLQ there, while receives returned nothing.)
   */
  private void assertDrained(String url) {
    assertEquals(List.of(), sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(0)).messages());
    assertEquals("0", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private long messagesInQueue(String url) {
    Map<QueueAttributeName, String> a =
        sqs.getQueueAttributes(
                b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  @Test
  void partialBatchFailureIsRedeliveredAfterTheVisibilityTimeout() {
    EmbeddedAws.Queues q = aws.createQueue(TestAws.uniqueName("partial"), false, 5);
    for (int i = 1; i <= 5; i++) {
      String body = "m" + i;
      sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody(body)
          .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("k-" + body).build())));
    }
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    AtomicReference<SQSEvent.SQSMessage> sample = new AtomicReference<>();
    AtomicReference<String> functionName = new AtomicReference<>();
    RequestHandler<SQSEvent, SQSBatchResponse> handler =
        (event, context) -> {
          functionName.set(context.getFunctionName());
          assertTrue(context.getRemainingTimeInMillis() > 0);
          List<String> failed = new ArrayList<>();
          for (SQSEvent.SQSMessage m : event.getRecords()) {
            sample.set(m);
            Delivery d = delivery(m);
            deliveries.add(d);
            if (d.body().equals("m2") && d.receiveCount() == 1) failed.add(m.getMessageId());
          }
          return failing(failed);
        };
    long start = System.nanoTime();
    try (SqsEventSourcePoller poller =
        SqsEventSourcePoller.builder(sqs, q.url(), handler).functionName("tasks-fn").visibilityTimeout(Duration.ofSeconds(1)).start()) {
      await("all five deleted", Duration.ofSeconds(10), () -> poller.deleted() == 5);
      assertEquals(1, poller.failures());
      assertEquals(6, poller.messages());
      assertEquals(0, poller.handlerErrors());
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMs >= 900, "m2 came back only after the 1 s visibility timeout, took " + elapsedMs + " ms");

    assertEquals(List.of(new Delivery("m2", 1, null), new Delivery("m2", 2, null)),
        deliveries.stream().filter(d -> d.body().equals("m2")).toList(), "redelivered once, receive count incremented");
    for (String body : List.of("m1", "m3", "m4", "m5")) {
      assertEquals(1, deliveries.stream().filter(d -> d.body().equals(body)).count(), body + " delivered once");
    }
    assertDrained(q.url());

    // The event looks like Lambda's.
    SQSEvent.SQSMessage m = sample.get();
    assertEquals("aws:sqs", m.getEventSource());
    assertEquals(q.arn(), m.getEventSourceArn());
    assertEquals("us-east-1", m.getAwsRegion());
    assertNotNull(m.getMessageId());
    assertNotNull(m.getReceiptHandle());
    assertNotNull(m.getMd5OfBody());
    assertNotNull(m.getAttributes().get("SentTimestamp"));
    assertEquals("k-" + m.getBody(), m.getMessageAttributes().get("kind").getStringValue());
    assertEquals("String", m.getMessageAttributes().get("kind").getDataType());
    assertEquals("tasks-fn", functionName.get());
  }

  @Test
  void aPoisonMessageEndsInTheDlqAfterMaxReceiveCount() {
    EmbeddedAws.Queues q = aws.createQueue(TestAws.uniqueName("poison"), false, 2);
    sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody("poison"));
    sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody("good"));
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    RequestHandler<SQSEvent, SQSBatchResponse> handler =
        (event, context) -> {
          event.getRecords().forEach(m -> deliveries.add(delivery(m)));
          if (event.getRecords().stream().anyMatch(m -> m.getBody().equals("poison"))) {
            throw new IllegalStateException("cannot digest this");
          }
          return new SQSBatchResponse(); // null failures: all succeeded
        };
    // Batches of one: a throwing handler fails its whole batch, and an innocent message received
    // with the poison one would share its fate (and its receive count) on Lambda too.
    try (SqsEventSourcePoller poller =
        SqsEventSourcePoller.builder(sqs, q.url(), handler).batchSize(1).visibilityTimeout(Duration.ofSeconds(1)).start()) {
      List<Message> inDlq = new ArrayList<>();
      await("poison in the DLQ", Duration.ofSeconds(10), () -> {
        inDlq.addAll(sqs.receiveMessage(b -> b.queueUrl(q.dlqUrl()).waitTimeSeconds(0)).messages());
        return !inDlq.isEmpty();
      });
      assertEquals(List.of("poison"), inDlq.stream().map(Message::body).toList());
      await("good one deleted", Duration.ofSeconds(5), () -> poller.deleted() == 1);
      assertEquals(2, poller.handlerErrors(), "threw for both deliveries of the poison message");
    }
    assertEquals(List.of(1, 2), deliveries.stream().filter(d -> d.body().equals("poison")).map(Delivery::receiveCount).toList(),
        "received maxReceiveCount = 2 times, then moved");
    assertDrained(q.url());
  }

  @Test
  void aThrowingHandlerLeavesTheWholeBatchForRedelivery() {
    EmbeddedAws.Queues q = aws.createQueue(TestAws.uniqueName("throws"), false, 5);
    sqs.sendMessageBatch(b -> b.queueUrl(q.url()).entries(
        e -> e.id("1").messageBody("x"), e -> e.id("2").messageBody("y")));
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    RequestHandler<SQSEvent, SQSBatchResponse> handler =
        (event, context) -> {
          boolean firstTime = seen.isEmpty();
          event.getRecords().forEach(m -> seen.merge(m.getBody(), 1, Integer::sum));
          if (firstTime) throw new IllegalStateException("first invocation fails");
          return null;
        };
    try (SqsEventSourcePoller poller =
        SqsEventSourcePoller.builder(sqs, q.url(), handler).visibilityTimeout(Duration.ofSeconds(1)).start()) {
      await("both deleted", Duration.ofSeconds(10), () -> poller.deleted() == 2);
      assertEquals(1, poller.handlerErrors());
      assertEquals(2, poller.batches(), "both arrived in one receive, failed, came back in one receive");
      assertEquals(2, poller.failures());
    }
    assertEquals(Map.of("x", 2, "y", 2), seen);
  }

  @Test
  void fifoKeepsOrderPerGroupAndNeverDeletesPastAFailure() {
    EmbeddedAws.Queues q = aws.createQueue(TestAws.uniqueName("order"), true, 5);
    for (int i = 1; i <= 5; i++) {
      for (String g : List.of("A", "B")) {
        String body = g + i;
        sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody(body).messageGroupId(g).messageDeduplicationId(body));
      }
    }
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    // A careless handler: fails A3 once but reports only A3, not the A4, A5 after it.
    RequestHandler<SQSEvent, SQSBatchResponse> handler =
        (event, context) -> {
          batches.add(event.getRecords().stream().map(SQSEvent.SQSMessage::getBody).toList());
          List<String> failed = new ArrayList<>();
          for (SQSEvent.SQSMessage m : event.getRecords()) {
            Delivery d = delivery(m);
            deliveries.add(d);
            if (d.body().equals("A3") && d.receiveCount() == 1) failed.add(m.getMessageId());
          }
          return failing(failed);
        };
    try (SqsEventSourcePoller poller =
        SqsEventSourcePoller.builder(sqs, q.url(), handler).visibilityTimeout(Duration.ofSeconds(1)).start()) {
      await("all ten deleted", Duration.ofSeconds(10), () -> poller.deleted() == 10);
    }
    List<String> a = deliveries.stream().filter(d -> "A".equals(d.group())).map(Delivery::body).toList();
    List<String> b = deliveries.stream().filter(d -> "B".equals(d.group())).map(Delivery::body).toList();
    assertEquals(List.of("B1", "B2", "B3", "B4", "B5"), b, "group B unaffected by A's failure: " + batches);
    // A: in order up to the failure, then A3 again and everything after it again.
    List<String> firstRound = a.subList(0, a.lastIndexOf("A3"));
    assertEquals(List.of("A1", "A2", "A3", "A4", "A5").subList(0, firstRound.size()), firstRound, "first round in order: " + batches);
    assertEquals(List.of("A3", "A4", "A5"), a.subList(a.lastIndexOf("A3"), a.size()), "retried from A3 on, in order: " + batches);
    assertDrained(q.url());
  }

  @Test
  void anInvalidFailureEntryFailsTheWholeBatch() {
    EmbeddedAws.Queues q = aws.createQueue(TestAws.uniqueName("invalid"), false, 5);
    sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody("x"));
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    RequestHandler<SQSEvent, SQSBatchResponse> handler =
        (event, context) -> {
          event.getRecords().forEach(m -> seen.merge(m.getBody(), 1, Integer::sum));
          return seen.get("x") == 1 ? failing(List.of("no-such-message-id")) : null;
        };
    try (SqsEventSourcePoller poller =
        SqsEventSourcePoller.builder(sqs, q.url(), handler).visibilityTimeout(Duration.ofSeconds(1)).start()) {
      await("deleted on the second delivery", Duration.ofSeconds(10), () -> poller.deleted() == 1);
      assertEquals(1, poller.failures());
    }
    assertEquals(2, seen.get("x"));
  }

  @Test
  void stopsPromptlyDuringALongPoll() throws Exception {
    EmbeddedAws.Queues q = aws.createQueue(TestAws.uniqueName("stop"), false, 5);
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    SqsEventSourcePoller poller =
        SqsEventSourcePoller.builder(sqs, q.url(), (event, context) -> {
              event.getRecords().forEach(m -> bodies.add(m.getBody()));
              return null;
            })
            .waitTime(Duration.ofSeconds(20))
            .pollers(3)
            .start();
    Thread.sleep(300); // all three are inside a 20 s long poll now
    long start = System.nanoTime();
    poller.close();
    long closeMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(closeMs < 1000, "close took " + closeMs + " ms");

    sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody("after-close"));
    Thread.sleep(500);
    assertEquals(List.of(), bodies, "nothing handled after close");
    assertEquals(0, poller.batches());
    assertEquals(1, messagesInQueue(q.url()), "the message is still there for the next poller");
  }

  @Test
  void duplicateDeliveriesHandEveryMessageTwiceBackToBackAndDeleteItOnce() {
    EmbeddedAws.Queues q = aws.createQueue(TestAws.uniqueName("dup"), false, 5);
    for (String body : List.of("a", "b", "c")) sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody(body));
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    try (SqsEventSourcePoller poller = SqsEventSourcePoller.builder(sqs, q.url(), (event, context) -> {
          event.getRecords().forEach(m -> deliveries.add(delivery(m)));
          return null;
        })
        .duplicateDeliveries(new SqsEventSourcePoller.DuplicateDeliveries(1.0, 0.0, 7)).start()) {
      await("all three deleted", Duration.ofSeconds(10), () -> poller.deleted() == 3);
      assertEquals(3, poller.duplicated());
      assertEquals(6, poller.messages());
    }
    for (String body : List.of("a", "b", "c")) {
      assertEquals(List.of(new Delivery(body, 1, null), new Delivery(body, 1, null)),
          deliveries.stream().filter(d -> d.body().equals(body)).toList(), body + ": two deliveries of one receive");
    }
    assertDrained(q.url());
  }

  /** The two invocations overlap; the copy that fails keeps the message for redelivery, as a separate receive would. */
  @Test
  void aConcurrentDuplicateRunsAlongsideTheFirstAndAFailedCopyKeepsTheMessage() {
    EmbeddedAws.Queues q = aws.createQueue(TestAws.uniqueName("dup-concurrent"), false, 5);
    sqs.sendMessage(b -> b.queueUrl(q.url()).messageBody("x"));
    CountDownLatch bothInside = new CountDownLatch(2);
    AtomicInteger entered = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    try (SqsEventSourcePoller poller = SqsEventSourcePoller.builder(sqs, q.url(), (event, context) -> {
          SQSEvent.SQSMessage m = event.getRecords().get(0);
          Delivery d = delivery(m);
          deliveries.add(d);
          boolean second = entered.incrementAndGet() == 2;
          bothInside.countDown();
          try {
            if (d.receiveCount() == 1 && bothInside.await(5, TimeUnit.SECONDS)) overlapped.set(true);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return second && d.receiveCount() == 1 ? failing(List.of(m.getMessageId())) : null;
        })
        .visibilityTimeout(Duration.ofSeconds(1))
        .duplicateDeliveries(new SqsEventSourcePoller.DuplicateDeliveries(1.0, 1.0, 7)).start()) {
      await("deleted after the redelivery", Duration.ofSeconds(15), () -> poller.deleted() == 1);
      assertTrue(overlapped.get(), "both invocations were inside the handler at once");
      assertEquals(1, poller.failures(), "the failed copy kept the message once");
    }
    assertEquals(List.of(1, 1, 2, 2), deliveries.stream().map(Delivery::receiveCount).sorted().toList(),
        "two copies of the first receive, two of the redelivery");
    assertDrained(q.url());
  }

  /** On a FIFO queue a duplicate never carries a later message of a group without the earlier ones. */
  @Test
  void fifoDuplicatesRepeatAGroupFromItsHead() {
    EmbeddedAws.Queues q = aws.createQueue(TestAws.uniqueName("dup-fifo"), true, 5);
    List<List<String>> invocations = new CopyOnWriteArrayList<>();
    try (SqsEventSourcePoller poller = SqsEventSourcePoller.builder(sqs, q.url(), (event, context) -> {
          invocations.add(event.getRecords().stream().map(SQSEvent.SQSMessage::getBody).toList());
          return null;
        })
        .duplicateDeliveries(new SqsEventSourcePoller.DuplicateDeliveries(0.3, 0.0, 11)).start()) {
      for (int round = 0; round < 5; round++) {
        int r = round;
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          String group = i < 6 ? "A" : "B";
          entries.add(SendMessageBatchRequestEntry.builder().id("e" + i)
              .messageBody(r + group + i).messageGroupId(group).messageDeduplicationId(r + "-" + i).build());
        }
        sqs.sendMessageBatch(b -> b.queueUrl(q.url()).entries(entries));
        long expected = 10L * (r + 1);
        await("round " + r + " deleted", Duration.ofSeconds(10), () -> poller.deleted() == expected);
      }
      assertTrue(poller.duplicated() > 0);
    }
    // Pair each duplicate invocation with the one before it (back to back) and check group prefixes.
    boolean sawLaterMessage = false;
    for (int i = 1; i < invocations.size(); i++) {
      List<String> first = invocations.get(i - 1);
      List<String> again = invocations.get(i);
      if (!first.containsAll(again) || again.size() >= first.size()) continue; // not a duplicate of the previous one
      for (String group : List.of("A", "B")) {
        List<String> firstOfGroup = first.stream().filter(b -> b.substring(1, 2).equals(group)).toList();
        List<String> againOfGroup = again.stream().filter(b -> b.substring(1, 2).equals(group)).toList();
        assertEquals(firstOfGroup.subList(0, againOfGroup.size()), againOfGroup, "a prefix of group " + group);
        if (againOfGroup.size() > 1) sawLaterMessage = true;
      }
    }
    assertTrue(sawLaterMessage, "some duplicate repeated more than a group's head: " + invocations);
  }
}
