package dev.tempora.devserver.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.devserver.EmbeddedAws;
import dev.tempora.devserver.chaos.FaultInjector.Fail;
import dev.tempora.devserver.chaos.FaultInjector.Fault;
import dev.tempora.devserver.chaos.FaultInjector.Kind;
import dev.tempora.devserver.chaos.FaultInjector.Window;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The fault injector against the real emulators: each window does to the service and to the
 * caller what it claims (BEFORE: nothing done, error; AFTER: done, error; RETRIED_*: the SDK's
 * retry hides it, the AFTER one doing the work twice; a partial batch does only the other
 * entries), for every kind, and a thread outside the chaos scope is never touched.
 */
class FaultInjectorTest {
  private static final AtomicReference<Fault> next = new AtomicReference<>();
  private static final ChaosPlan CLIENT = new ChaosPlan(0, SeedKind.FANOUT, "chaos-fanout-0", ChaosWindow.NONE, 3);
  private static FaultInjector injector;
  private static EmbeddedAws aws;
  private static String queue;
  private static int n;

  @BeforeAll
  static void start() {
    injector = new FaultInjector(1, List.of((call, rnd) -> next.getAndSet(null)));
    aws = EmbeddedAws.start(List.of(injector));
    queue = aws.sqs().createQueue(b -> b.queueName("faults")).queueUrl();
    aws.dynamo().createTable(b -> b.tableName("faults").billingMode(BillingMode.PAY_PER_REQUEST)
        .keySchema(KeySchemaElement.builder().attributeName("k").keyType(KeyType.HASH).build())
        .attributeDefinitions(AttributeDefinition.builder().attributeName("k").attributeType(ScalarAttributeType.S).build()));
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  private static SqsClient sqs() {
    return aws.sqs();
  }

  private static DynamoDbClient dynamo() {
    return aws.dynamo();
  }

  /** Runs {@code call} as a chaos client, with {@code fault} decided for its first AWS call. */
  private static void asClient(Fault fault, Runnable call) {
    next.set(fault);
    try {
      ChaosScope.asClient(CLIENT, call);
    } finally {
      next.set(null);
    }
  }

  private static List<Message> drain() {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> m = sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
      if (m.isEmpty()) return all;
      all.addAll(m);
      m.forEach(x -> sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(x.receiptHandle())));
    }
  }

  private static boolean itemExists(String key) {
    return dynamo().getItem(b -> b.tableName("faults").key(Map.of("k", AttributeValue.fromS(key))).consistentRead(true))
        .hasItem();
  }

  private static void put(String key) {
    dynamo().putItem(b -> b.tableName("faults").item(Map.of("k", AttributeValue.fromS(key))));
  }

  @Test
  void callsOutsideTheChaosScopeAreNeverTouched() {
    next.set(new Fail(Window.BEFORE, Kind.SERVER_ERROR, "test"));
    try {
      sqs().sendMessage(b -> b.queueUrl(queue).messageBody("plain"));
    } finally {
      next.set(null);
    }
    assertEquals(List.of("plain"), drain().stream().map(Message::body).toList());
  }

  @Test
  void beforeFailsTheCallAndNothingHappens() {
    for (Kind kind : Kind.values()) {
      String key = "before-" + kind + "-" + n++;
      SdkException e = assertThrows(SdkException.class,
          () -> asClient(new Fail(Window.BEFORE, kind, "test"), () -> put(key)));
      assertKind(kind, e);
      assertTrue(!itemExists(key), kind + ": nothing written");
      assertThrows(SdkException.class, () -> asClient(new Fail(Window.BEFORE, kind, "test"),
          () -> sqs().sendMessage(b -> b.queueUrl(queue).messageBody(key))));
      assertEquals(List.of(), drain(), kind + ": nothing sent");
    }
  }

  @Test
  void afterFailsTheCallButTheWorkIsDone() {
    for (Kind kind : Kind.values()) {
      String key = "after-" + kind + "-" + n++;
      SdkException e = assertThrows(SdkException.class,
          () -> asClient(new Fail(Window.AFTER, kind, "test"), () -> put(key)));
      assertKind(kind, e);
      assertTrue(itemExists(key), kind + ": the write happened");
      assertThrows(SdkException.class, () -> asClient(new Fail(Window.AFTER, kind, "test"),
          () -> sqs().sendMessage(b -> b.queueUrl(queue).messageBody(key))));
      assertEquals(List.of(key), drain().stream().map(Message::body).toList(), kind + ": sent once");
    }
  }

  /** The SDK retries every kind it is given; only a response lost after the work makes it happen twice. */
  @Test
  void retriedFaultsAreAbsorbedByTheSdkAndALostResponseDoublesTheWork() {
    for (Kind kind : Kind.values()) {
      String key = "retried-" + kind + "-" + n++;
      asClient(new Fail(Window.RETRIED_BEFORE, kind, "test"), () -> put(key));
      assertTrue(itemExists(key));
      asClient(new Fail(Window.RETRIED_BEFORE, kind, "test"), () -> sqs().sendMessage(b -> b.queueUrl(queue).messageBody(key)));
      assertEquals(List.of(key), drain().stream().map(Message::body).toList(), kind + ": retried before sending, sent once");
      asClient(new Fail(Window.RETRIED_AFTER, kind, "test"), () -> sqs().sendMessage(b -> b.queueUrl(queue).messageBody(key)));
      assertEquals(List.of(key, key), drain().stream().map(Message::body).toList(), kind + ": the retry sent it again");
    }
  }

  /** A response dropped after transmission must give its pooled connection back (the pool holds 50). */
  @Test
  void lostResponsesDoNotLeakConnections() {
    for (int i = 0; i < 60; i++) {
      String body = "leak-" + i;
      asClient(new Fail(Window.RETRIED_AFTER, Kind.SERVER_ERROR, "test"),
          () -> sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body)));
    }
    assertEquals(120, drain().size());
  }

  @Test
  void aPartialBatchDoesOnlyTheOtherEntriesAndReportsTheFailedOnes() {
    List<SendMessageBatchRequestEntry> entries = List.of("a", "b", "c").stream()
        .map(id -> SendMessageBatchRequestEntry.builder().id(id).messageBody("body-" + id).build()).toList();
    AtomicReference<SendMessageBatchResponse> response = new AtomicReference<>();
    asClient(new FaultInjector.PartialBatch(Set.of("b"), "test"),
        () -> response.set(sqs().sendMessageBatch(b -> b.queueUrl(queue).entries(entries))));
    assertEquals(List.of("b"), response.get().failed().stream().map(f -> f.id()).toList());
    assertEquals(Set.of("a", "c"), Set.copyOf(response.get().successful().stream().map(s -> s.id()).toList()));
    assertEquals(Set.of("body-a", "body-c"), Set.copyOf(drain().stream().map(Message::body).toList()));
  }

  @Test
  void aKillIsAnErrorAndNothingIsSent() {
    assertThrows(FaultInjector.InjectedKill.class, () -> asClient(new FaultInjector.Kill("killed", "test"),
        () -> sqs().sendMessage(b -> b.queueUrl(queue).messageBody("never"))));
    assertEquals(List.of(), drain());
  }

  @Test
  void theRandomRuleInjectsEveryWindowAtItsRate() {
    FaultInjector.Rule rule = FaultInjector.random(new FaultInjector.Rates(0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
        Duration.ofMillis(10)));
    FaultInjector.Call call = new FaultInjector.Call(new FaultInjector.Caller("f", null), "Sqs", "SendMessage",
        SendMessageRequest.builder().build());
    Random rnd = new Random(3);
    Map<String, Integer> seen = new TreeMap<>();
    int none = 0;
    for (int i = 0; i < 10_000; i++) {
      Fault f = rule.decide(call, rnd);
      if (f == null) none++;
      else seen.merge(f instanceof Fail x ? x.window().name() : f.getClass().getSimpleName(), 1, Integer::sum);
    }
    // A SendMessage is no batch: five windows of 10 % each, no partial batch.
    assertEquals(Set.of("BEFORE", "AFTER", "RETRIED_BEFORE", "RETRIED_AFTER", "Delay"), seen.keySet());
    seen.values().forEach(c -> assertTrue(c > 850 && c < 1150, "about 1,000 each: " + seen));
    assertTrue(none > 4_700 && none < 5_300, "about half untouched: " + none);
  }

  private static void assertKind(Kind kind, SdkException e) {
    switch (kind) {
      case THROTTLING -> assertTrue(e instanceof SdkServiceException s && s.isThrottlingException(), e.toString());
      case SERVER_ERROR -> assertTrue(e instanceof SdkServiceException s && s.statusCode() >= 500, e.toString());
      case CONNECTION_RESET -> assertInstanceOf(SocketException.class, e.getCause(), e.toString());
      case TIMEOUT -> assertInstanceOf(ApiCallTimeoutException.class, e);
    }
  }
}
