package dev.tempora.internal.aws;

import static dev.tempora.internal.aws.TemporaTable.PK;
import static dev.tempora.internal.aws.TemporaTable.SK;

import dev.tempora.internal.client.WorkflowCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The deployment's workflow catalog as one item of the Tempora table ({@code pk = catalog#tempora,
 * sk = workflows#<namespace>}): the coordinator writes it when it starts with code whose
 * fingerprint differs from the item's (a conditional put: the same code writes nothing), and a
 * client without the workflow code reads it on first use, keeps it, and reads it again when asked
 * (on a name it does not list, before refusing). During a rollout the last coordinator with new
 * code to start wins; a client that meets an unknown name reads it again.
 */
public final class DynamoDbWorkflowCatalog implements WorkflowCatalog.Source {
  private static final String DEPLOYMENT = "deployment";
  private static final String BODY = "body";
  private final DynamoDbClient client;
  private final String table;
  private final Map<String, AttributeValue> key;
  private volatile Optional<WorkflowCatalog> cached;

  public DynamoDbWorkflowCatalog(DynamoDbClient client, String table, String namespace) {
    this.client = client;
    this.table = table;
    this.key = Map.of(PK, AttributeValue.fromS("catalog#tempora"), SK, AttributeValue.fromS("workflows#" + namespace));
  }

  /** Writes the catalog unless the item already has its deployment; returns whether it wrote. */
  public boolean publish(WorkflowCatalog catalog) {
    Map<String, AttributeValue> item = new HashMap<>(key);
    item.put(DEPLOYMENT, AttributeValue.fromS(catalog.deployment()));
    item.put(BODY, AttributeValue.fromS(catalog.toJson()));
    try {
      client.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk) OR #d <> :d")
          .expressionAttributeNames(Map.of("#pk", PK, "#d", DEPLOYMENT))
          .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(catalog.deployment()))));
    } catch (ConditionalCheckFailedException same) {
      return false;
    }
    cached = Optional.of(catalog);
    return true;
  }

  @Override
  public Optional<WorkflowCatalog> get(boolean refresh) {
    Optional<WorkflowCatalog> c = cached;
    if (c == null || refresh) {
      Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
      c = item == null || !item.containsKey(BODY) ? Optional.empty()
          : Optional.of(WorkflowCatalog.fromJson(item.get(BODY).s()));
      cached = c;
    }
    return c;
  }
}
