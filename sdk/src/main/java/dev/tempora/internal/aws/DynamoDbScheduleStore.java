package dev.tempora.internal.aws;

import static dev.tempora.internal.aws.TemporaTable.PK;
import static dev.tempora.internal.aws.TemporaTable.SK;

import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import dev.tempora.internal.schedules.ScheduleCodec;
import dev.tempora.internal.schedules.ScheduleItem;
import dev.tempora.internal.schedules.ScheduleStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Schedule items in the Tempora table (ADR 14): {@code pk = schedules#{namespace}}, {@code sk =
 * schedule#{scheduleId}}, a {@code version} number every write is conditional on, and the body
 * ({@link ScheduleCodec#writeItem}). All schedules of a namespace share a partition, so listing is
 * one query; no run-item attribute is set, so neither index nor the stream relay's filter sees them.
 */
public final class DynamoDbScheduleStore implements ScheduleStore {
  static final String VERSION = "version";
  static final String BODY = "body";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbScheduleStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static String pk(String namespace) {
    return "schedules#" + namespace;
  }

  static String sk(String scheduleId) {
    return "schedule#" + scheduleId;
  }

  private static Map<String, AttributeValue> key(String namespace, String scheduleId) {
    return Map.of(PK, AttributeValue.fromS(pk(namespace)), SK, AttributeValue.fromS(sk(scheduleId)));
  }

  private static Map<String, AttributeValue> item(ScheduleItem i) {
    Map<String, AttributeValue> m = new HashMap<>(key(i.namespace(), i.scheduleId()));
    m.put(VERSION, AttributeValue.fromN(Long.toString(i.version())));
    m.put(BODY, AttributeValue.fromS(ScheduleCodec.writeItem(i)));
    return m;
  }

  private static ScheduleItem read(String namespace, Map<String, AttributeValue> m) {
    String scheduleId = m.get(SK).s().substring("schedule#".length());
    return ScheduleCodec.readItem(namespace, scheduleId, Long.parseLong(m.get(VERSION).n()), m.get(BODY).s());
  }

  @Override
  public Optional<ScheduleItem> get(String namespace, String scheduleId) {
    Map<String, AttributeValue> m = dynamo.getItem(b -> b.tableName(table).key(key(namespace, scheduleId))
        .consistentRead(true)).item();
    return m == null || m.isEmpty() ? Optional.empty() : Optional.of(read(namespace, m));
  }

  @Override
  public void create(ScheduleItem item) {
    try {
      dynamo.putItem(b -> b.tableName(table).item(item(item)).conditionExpression("attribute_not_exists(#pk)")
          .expressionAttributeNames(Map.of("#pk", PK)));
    } catch (ConditionalCheckFailedException e) {
      throw new ConcurrentUpdateException("schedule " + item.scheduleId() + " exists");
    }
  }

  @Override
  public void update(ScheduleItem item) {
    try {
      dynamo.putItem(b -> b.tableName(table).item(item(item)).conditionExpression("#v = :v")
          .expressionAttributeNames(Map.of("#v", VERSION))
          .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(item.version() - 1)))));
    } catch (ConditionalCheckFailedException e) {
      throw new ConcurrentUpdateException("schedule " + item.scheduleId() + " changed");
    }
  }

  @Override
  public void delete(String namespace, String scheduleId, long version) {
    try {
      dynamo.deleteItem(b -> b.tableName(table).key(key(namespace, scheduleId)).conditionExpression("#v = :v")
          .expressionAttributeNames(Map.of("#v", VERSION))
          .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version)))));
    } catch (ConditionalCheckFailedException e) {
      throw new ConcurrentUpdateException("schedule " + scheduleId + " changed");
    }
  }

  @Override
  public List<ScheduleItem> list(String namespace) {
    List<ScheduleItem> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page = dynamo.query(b -> b.tableName(table).keyConditionExpression("#pk = :pk")
          .expressionAttributeNames(Map.of("#pk", PK))
          .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk(namespace))))
          .consistentRead(true).exclusiveStartKey(from));
      page.items().forEach(m -> out.add(read(namespace, m)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }
}
