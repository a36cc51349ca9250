package dev.tempora.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.devserver.EmbeddedAws;
import dev.tempora.internal.aws.DynamoDbHistoryStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The cost accounting against DynamoDB Local itself (the Tempora table, its indexes and stream):
 * what it reports where it reports wrongly, and the stream relay's invocations as filtered.
 */
class DynamoDbLocalCostTest {
  private static final String TABLE = "tempora";
  private static final String RELAY = "relay";
  private static final String TTL = CostModel.DYNAMODB_TTL;

  private static final AtomicReference<String> component = new AtomicReference<>("app");
  private static final AwsCallRecorder recorder = new AwsCallRecorder(component::get);
  private static final StreamRelayMeter meter = new StreamRelayMeter(component::get, RELAY, TTL);
  private static EmbeddedAws aws;
  private static DynamoDbClient dynamo;
  private static DynamoDbStreamsClient streams;

  @BeforeAll
  static void start() {
    aws = EmbeddedAws.start(List.of(recorder, meter));
    dynamo = aws.dynamo();
    DynamoDbHistoryStore.createTable(dynamo, TABLE);
    recorder.indexes(AwsCallRecorder.Index.of(dynamo.describeTable(b -> b.tableName(TABLE))));
    streams = DynamoDbStreamsClient.builder().endpointOverride(aws.dynamoEndpoint()).region(EmbeddedAws.REGION)
        .credentialsProvider(aws.credentials()).httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(aws.withInterceptors()).build();
  }

  @AfterAll
  static void stop() {
    streams.close();
    aws.close();
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static Map<String, AttributeValue> item(String pk, String sk, Map<String, AttributeValue> more) {
    Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s(pk), "sk", s(sk)));
    item.putAll(more);
    return item;
  }

  /**
   * A start's transaction: a run item of ~500 bytes in the visibility index and a pointer item.
   * DynamoDB bills 2 (run item, transactional) + 2 (pointer, transactional) + 1 (its visibility
   * entry, a plain write) = 5; DynamoDB Local reports 12.
   */
  @Test
  void transactionalWritesArePricedAsDynamoDbBillsThem() {
    Map<String, AttributeValue> run = item("ns#tx", "run#r1", Map.of("vis", s("ns#RUNNING#3"), "vsk", s("2026-11-30#tx"),
        "status", s("RUNNING"), "body", s("x".repeat(400))));
    Map<String, AttributeValue> pointer = item("ns#tx", "current", Map.of("currentRunId", s("r1")));
    recorder.start();
    dynamo.transactWriteItems(b -> b.transactItems(
        TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(run)).build(),
        TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(pointer)).build()));
    CallCounts counts = recorder.stop();

    assertEquals(5.0, counts.sum(AwsCallRecorder.Row::writeUnits), counts.table());
    assertEquals(1, (long) counts.sum(AwsCallRecorder.Row::computedCapacityCalls), counts.table());
  }

  @Test
  void theRelayIsInvokedOnlyForPagesWithRecordsItsFilterPasses() {
    String streamArn = dynamo.describeTable(b -> b.tableName(TABLE)).table().latestStreamArn();
    component.set(RELAY);
    String iterator = streams.getShardIterator(b -> b.streamArn(streamArn)
        .shardId(streams.describeStream(d -> d.streamArn(streamArn)).streamDescription().shards().getFirst().shardId())
        .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
    component.set("app");
    meter.start();
    dynamo.putItem(b -> b.tableName(TABLE).item(item("ns#wf", "run#r9", Map.of())));                    // passes
    dynamo.putItem(b -> b.tableName(TABLE).item(item("ns#wf", "r9#h#0000000001", Map.of())));           // ignored
    dynamo.putItem(b -> b.tableName(TABLE).item(item("ns#wf", "r9#h#0000000002",
        Map.of("closes", AttributeValue.fromBool(true)))));                                              // passes
    dynamo.updateItem(b -> b.tableName(TABLE).key(item("ns#wf", "run#r9", Map.of()))
        .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "status"))
        .expressionAttributeValues(Map.of(":s", s("COMPLETED"))));                                       // ignored
    dynamo.deleteItem(b -> b.tableName(TABLE).key(item("ns#wf", "r9#h#0000000001", Map.of())));         // ignored
    component.set(TTL);
    dynamo.deleteItem(b -> b.tableName(TABLE).key(item("ns#wf", "r9#h#0000000002", Map.of())));         // passes
    component.set(RELAY);
    String next = streams.getRecords(b -> b.shardIterator(iterator)).nextShardIterator();
    component.set("app");
    dynamo.putItem(b -> b.tableName(TABLE).item(item("ns#wf", "r9#h#0000000003", Map.of())));           // ignored
    component.set(RELAY);
    streams.getRecords(b -> b.shardIterator(next));
    streams.describeStream(b -> b.streamArn(streamArn));  // the poller's next call ends the handler's time
    component.set("app");
    LambdaUsage usage = meter.stop("relay", 512);

    assertEquals(3, meter.records());
    assertEquals(1, usage.invocations(), "the page with only an ignored insert invokes nothing");
    assertTrue(usage.handlerNanos() > 0);
  }
}
