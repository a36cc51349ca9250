package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.tempora.internal.aws.DynamoDbHistoryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The stack's TTL stand-in on DynamoDB Local, fed by the stream poller: expired items of a Tempora
 * table go (DynamoDB Local's own TTL job cannot delete them, see {@link DynamoDbTtlSweeper}), their
 * REMOVE records reach the handler marked as TTL deletes, as on AWS; everything else stays.
 */
class DynamoDbTtlSweeperTest {

  @Test
  void deletesExpiredItemsAndMarksTheirRemovesAsTtlDeletes() {
    EmbeddedAws aws = TestAws.get();
    DynamoDbClient dynamo = aws.dynamo();
    String table = TestAws.uniqueName("ttl");
    DynamoDbHistoryStore.createTable(dynamo, table);
    // Years ahead of the real clock, so only the stand-in (on this clock) can find anything expired.
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2040-06-01T00:00:00Z"));
    InstantSource clock = now::get;
    long t = now.get().getEpochSecond();
    List<DynamodbEvent.DynamodbStreamRecord> seen = new CopyOnWriteArrayList<>();
    try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(aws.dynamoEndpoint())
            .region(EmbeddedAws.REGION).credentialsProvider(aws.credentials())
            .httpClientBuilder(ApacheHttpClient.builder()).build();
        DynamoDbTtlSweeper ttl = new DynamoDbTtlSweeper(dynamo, table, clock);
        DynamoDbStreamPoller poller = new DynamoDbStreamPoller(streams,
            dynamo.describeTable(b -> b.tableName(table)).table().latestStreamArn(), (event, context) -> {
              seen.addAll(event.getRecords());
              return new StreamsEventResponse(List.of());
            }, "ttl-test", ttl)) {
      put(dynamo, table, "expired", t - 1);  // lacks the sparse GSI keys, as every closed run does
      put(dynamo, table, "later", t + 3600);
      put(dynamo, table, "ancient", t - Duration.ofDays(6 * 366).toSeconds());  // DynamoDB skips > 5 years
      dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("p"), "sk", s("no-ttl"))));

      TestAws.await("the expired item deleted", Duration.ofSeconds(20), () -> !exists(dynamo, table, "expired"));
      DynamodbEvent.DynamodbStreamRecord remove = awaitRemove(seen, "expired");
      assertNotNull(remove.getUserIdentity(), "a TTL delete carries DynamoDB's identity");
      assertEquals("Service", remove.getUserIdentity().getType());
      assertEquals("dynamodb.amazonaws.com", remove.getUserIdentity().getPrincipalId());
      assertEquals(1, ttl.deleted());
      for (String kept : List.of("later", "ancient", "no-ttl")) {
        assertTrue(exists(dynamo, table, kept), kept + " is kept");
      }

      // A delete by anyone else is not a TTL delete.
      dynamo.deleteItem(b -> b.tableName(table).key(key("no-ttl")));
      assertEquals(null, awaitRemove(seen, "no-ttl").getUserIdentity());

      // Time passes on the stack's clock: the later item expires too.
      now.set(now.get().plusSeconds(3600));
      TestAws.await("the later item deleted", Duration.ofSeconds(20), () -> ttl.deleted() == 2);
      assertTrue(!exists(dynamo, table, "later") && exists(dynamo, table, "ancient"));
    } finally {
      dynamo.deleteTable(b -> b.tableName(table));
    }
  }

  private static DynamodbEvent.DynamodbStreamRecord awaitRemove(List<DynamodbEvent.DynamodbStreamRecord> seen,
      String sk) {
    TestAws.await("the REMOVE of " + sk + " handed over", Duration.ofSeconds(20),
        () -> seen.stream().anyMatch(r -> isRemoveOf(r, sk)));
    return seen.stream().filter(r -> isRemoveOf(r, sk)).findFirst().orElseThrow();
  }

  private static boolean isRemoveOf(DynamodbEvent.DynamodbStreamRecord r, String sk) {
    return "REMOVE".equals(r.getEventName()) && sk.equals(r.getDynamodb().getKeys().get("sk").getS());
  }

  private static void put(DynamoDbClient dynamo, String table, String sk, long ttl) {
    dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("p"), "sk", s(sk),
        "vis", s("v"), "vsk", s(sk), "ttl", AttributeValue.fromN(Long.toString(ttl)))));
  }

  private static boolean exists(DynamoDbClient dynamo, String table, String sk) {
    return dynamo.getItem(b -> b.tableName(table).key(key(sk)).consistentRead(true)).hasItem();
  }

  private static Map<String, AttributeValue> key(String sk) {
    return Map.of("pk", s("p"), "sk", s(sk));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }
}
