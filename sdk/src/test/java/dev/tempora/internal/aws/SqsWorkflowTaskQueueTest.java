package dev.tempora.internal.aws;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

class SqsWorkflowTaskQueueTest {
  private static SqsTestServer server;
  private static String queueUrl;
  private static SqsWorkflowTaskQueue queue;

  @BeforeAll
  static void start() {
    server = SqsTestServer.start();
    queueUrl = server.createQueueWithDlq("workflow-tasks.fifo");
    queue = new SqsWorkflowTaskQueue(server.sqs, queueUrl);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void purge() {
    server.purge(queueUrl);
  }

  private static List<Integer> batchSizes() {
    return server.sent(SendMessageBatchRequest.class).stream().map(r -> r.entries().size()).toList();
  }

  private static List<WorkflowTaskMessage> decode(List<Message> messages) {
    return messages.stream().map(m -> HistoryJson.readMessage(m.body())).toList();
  }

  @Test
  void ordersPerWorkflowAndDropsAResentMessageId() {
    RunKey a = SqsFixtures.run("order-a");
    RunKey b = SqsFixtures.run("order-b");
    WorkflowTaskMessage a1 = SqsFixtures.signal(a, "1", "1");
    WorkflowTaskMessage b1 = SqsFixtures.signal(b, "1", "1");
    WorkflowTaskMessage a2 = SqsFixtures.signal(a, "2", "2");
    WorkflowTaskMessage b2 = SqsFixtures.signal(b, "2", "2");
    WorkflowTaskMessage a3 = SqsFixtures.signal(a, "3", "3");
    queue.send(List.of(a1, b1, a2, b2, a3));
    queue.send(a2); // an outbox re-send: same message id, dropped by FIFO deduplication
    WorkflowTaskMessage a4 = SqsFixtures.signal(a, "4", "4");
    queue.send(a4);

    List<Message> received = server.drain(queueUrl, 6, Duration.ofSeconds(5));
    Map<String, List<WorkflowTaskMessage>> byGroup = new HashMap<>();
    for (Message m : received) {
      byGroup.computeIfAbsent(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID), k -> new ArrayList<>())
          .add(HistoryJson.readMessage(m.body()));
    }
    assertEquals(List.of(a1, a2, a3, a4), byGroup.get("ns#order-a"));
    assertEquals(List.of(b1, b2), byGroup.get("ns#order-b"));
    assertTrue(server.receive(queueUrl, 10, 0).isEmpty(), "the re-sent a2 must not arrive");

    Message any = received.get(0);
    assertEquals(64, any.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID).length());
  }

  @Test
  void twentyFiveMessagesGoInBatchesOfTenAndArriveCompleteInOrder() {
    RunKey run = SqsFixtures.run("batch");
    List<WorkflowTaskMessage> sent = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      sent.add(SqsFixtures.signal(run, "s" + i, Integer.toString(i)));
    }
    queue.send(sent);

    assertEquals(List.of(10, 10, 5), batchSizes());
    assertEquals(sent, decode(server.drain(queueUrl, 25, Duration.ofSeconds(10))));
  }

  @Test
  void batchesStayUnderOneMebibyte() {
    RunKey run = SqsFixtures.run("big");
    String big = "\"" + "x".repeat(400_000) + "\"";
    List<WorkflowTaskMessage> sent = List.of(SqsFixtures.signal(run, "1", big), SqsFixtures.signal(run, "2", big),
        SqsFixtures.signal(run, "3", big));
    queue.send(sent);

    // 2 x ~400 KB fit in one 1 MiB batch, the third does not.
    assertEquals(List.of(2, 1), batchSizes());
    assertEquals(sent, decode(server.drain(queueUrl, 3, Duration.ofSeconds(10))));
  }

  @Test
  void aMessageOverOneMebibyteIsANamedErrorAndNothingIsSent() {
    RunKey run = SqsFixtures.run("huge");
    WorkflowTaskMessage ok = SqsFixtures.signal(run, "ok", "1");
    WorkflowTaskMessage huge = SqsFixtures.signal(run, "huge", "\"" + "x".repeat(1_048_576) + "\"");
    SqsMessageTooLargeException e = assertThrows(SqsMessageTooLargeException.class, () -> queue.send(List.of(ok, huge)));
    assertTrue(e.getMessage().contains(huge.messageId()), e.getMessage());
    assertTrue(e.getMessage().contains("SQS message size limit of 1048576 bytes"), e.getMessage());
    assertTrue(server.sent(SendMessageBatchRequest.class).isEmpty(), "checked before anything is sent");
  }

  @Test
  void aWorkflowKeySqsWouldRefuseUsesItsHashAsTheGroup() {
    RunKey run = SqsFixtures.run("wörkflow with spaces " + "y".repeat(200));
    WorkflowTaskMessage m = SqsFixtures.signal(run, "1", "1");
    queue.send(m);
    Message received = server.drain(queueUrl, 1, Duration.ofSeconds(5)).get(0);
    String group = received.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
    assertEquals("h-" + SqsLimits.sha256Hex(run.workflowKey()), group);
    assertEquals(m, HistoryJson.readMessage(received.body()));
  }

  @Test
  void charactersSqsRefusesAreEscapedAndRoundTrip() {
    RunKey run = SqsFixtures.run("chars");
    // U+FFFE, U+FFFF and a lone surrogate: legal in a Java string, refused by SQS as raw characters.
    WorkflowTaskMessage m = SqsFixtures.signal(run, "1", "\"a\uFFFEb\uFFFFc\uD800d \uD83D\uDE00 \u00e9\"");
    queue.send(m);
    assertEquals(List.of(m), decode(server.drain(queueUrl, 1, Duration.ofSeconds(5))));
  }

  @Test
  void aRejectedBatchEntryIsRaisedNamingItsMessage() {
    // ElasticMQ does fail single entries (for characters SQS refuses), but the adapter escapes
    // those now, so a stub client plays a partial failure: entry 1 rejected, entry 2 unanswered.
    SqsClient partial = new SqsClient() {
      @Override
      public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        List<SendMessageBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (SendMessageBatchRequestEntry e : request.entries()) {
          if (e.id().equals("1")) {
            failed.add(BatchResultErrorEntry.builder().id(e.id()).code("InternalError").message("try again")
                .senderFault(false).build());
          } else if (!e.id().equals("2")) {
            ok.add(SendMessageBatchResultEntry.builder().id(e.id()).messageId("m" + e.id()).build());
          } // entry 2: in neither list
        }
        return SendMessageBatchResponse.builder().successful(ok).failed(failed).build();
      }

      @Override
      public String serviceName() {
        return "sqs";
      }

      @Override
      public void close() {}
    };
    RunKey run = SqsFixtures.run("partial");
    List<WorkflowTaskMessage> sent = List.of(SqsFixtures.signal(run, "0", "0"), SqsFixtures.signal(run, "1", "1"),
        SqsFixtures.signal(run, "2", "2"), SqsFixtures.signal(run, "3", "3"));
    SqsBatchSendException e = assertThrows(SqsBatchSendException.class,
        () -> new SqsWorkflowTaskQueue(partial, "https://sqs/q.fifo").send(sent));
    assertEquals(List.of(sent.get(1).messageId(), sent.get(2).messageId()),
        e.failures().stream().map(SqsBatchSendException.Failure::messageId).toList());
    assertEquals("InternalError", e.failures().get(0).code());
    assertTrue(e.getMessage().contains(sent.get(1).messageId()), e.getMessage());
  }

  @Test
  void aPoisonMessageMovesToTheDeadLetterQueueAfterThreeReceives() {
    RunKey run = SqsFixtures.run("poison");
    WorkflowTaskMessage m = SqsFixtures.signal(run, "1", "1");
    queue.send(m);
    for (int i = 1; i <= 3; i++) {
      List<Message> got = server.receive(queueUrl, 1, 1);
      assertEquals(1, got.size(), "receive " + i);
      assertEquals(Integer.toString(i), got.get(0).attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
      // A failing coordinator: the message becomes visible again at once.
      server.sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(got.get(0).receiptHandle())
          .visibilityTimeout(0));
    }
    assertTrue(server.receive(queueUrl, 1, 0).isEmpty(), "moved to the DLQ on the 4th receive");
    List<Message> dead = server.drain(server.dlqUrl("workflow-tasks.fifo"), 1, Duration.ofSeconds(5));
    assertEquals(List.of(m), decode(dead));
  }
}
