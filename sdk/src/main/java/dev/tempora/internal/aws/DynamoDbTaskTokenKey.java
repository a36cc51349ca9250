package dev.tempora.internal.aws;

import static dev.tempora.internal.aws.TemporaTable.PK;
import static dev.tempora.internal.aws.TemporaTable.SK;

import dev.tempora.internal.completion.TaskTokens;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The key task tokens are signed with (ADR 19): {@code TEMPORA_TASK_TOKEN_KEY} (base64) when the
 * deployment sets it, else one item of the Tempora table ({@code pk = keys#tempora, sk =
 * task-token}), made with a random key by the first function that needs it (a conditional put, so
 * racing containers agree) and read once per container. Every function of a deployment (activity
 * workers, coordinator, HTTP API, clients) so signs and checks with the same key.
 */
public final class DynamoDbTaskTokenKey implements Supplier<byte[]> {
  private static final String KEY = "key";
  private final DynamoDbClient client;
  private final String table;

  public DynamoDbTaskTokenKey(DynamoDbClient client, String table) {
    this.client = client;
    this.table = table;
  }

  /** The configured key if set, else the table's. */
  public static TaskTokens tokens(Map<String, String> env, DynamoDbClient client, String table) {
    String configured = env.get(TaskTokens.KEY_VARIABLE);
    return configured != null && !configured.isBlank() ? TaskTokens.fromBase64(configured)
        : new TaskTokens(new DynamoDbTaskTokenKey(client, table));
  }

  @Override
  public byte[] get() {
    Map<String, AttributeValue> key = Map.of(PK, AttributeValue.fromS("keys#tempora"), SK, AttributeValue.fromS("task-token"));
    Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
    if (item != null && item.containsKey(KEY)) {
      return item.get(KEY).b().asByteArray();
    }
    byte[] fresh = TaskTokens.newKey();
    Map<String, AttributeValue> put = new java.util.HashMap<>(key);
    put.put(KEY, AttributeValue.fromB(SdkBytes.fromByteArray(fresh)));
    try {
      client.putItem(b -> b.tableName(table).item(put).conditionExpression("attribute_not_exists(#pk)")
          .expressionAttributeNames(Map.of("#pk", PK)));
      return fresh;
    } catch (ConditionalCheckFailedException another) {
      return client.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item().get(KEY).b().asByteArray();
    }
  }
}
