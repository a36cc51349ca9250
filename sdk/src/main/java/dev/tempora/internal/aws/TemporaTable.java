package dev.tempora.internal.aws;

import dev.tempora.client.WorkflowExecutionStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The single Tempora table: key layout shared by the DynamoDB adapters, and its creation.
 *
 * <pre>
 * pk = namespace#workflowId
 *   sk = current                      pointer: currentRunId
 *   sk = run#runId                    run metadata (+ vis/vsk for the visibility index, ttl once closed)
 *   sk = run#runId#c#writeId#nnnn     chunk of a run's start event, only when huge
 *   sk = runId#a#seq                  activity heartbeat / cancel request
 *   sk = runId#h#seq(10 digits)       history batch: the optimistic-lock item
 *   sk = runId#h#seq#c#writeId#nnnn   chunk of a huge history batch
 *   sk = runId#h#seq (with inbox)     a parked workflow task in the slot of the batch it will become
 * GSI visibility: vis = namespace#status#shard, vsk = startTime(fixed width)#workflowId
 *   (projects the run attributes and the search attributes map sa, so list queries filter on the index)
 * GSI parked (sparse): parked = namespace, parkedAt = time; only run items of parked runs carry it
 * Stream: NEW_IMAGE, read by the stream relay (TableStreamHandler): new runs, closing batches, TTL deletes
 * </pre>
 *
 * Run ids are UUIDs, so {@code runId#...} keys never collide with {@code run#...} or {@code current}.
 */
final class TemporaTable {
  private static final Logger log = LoggerFactory.getLogger(TemporaTable.class);

  static final String PK = "pk";
  static final String SK = "sk";
  static final String VIS = "vis";
  static final String VSK = "vsk";
  static final String TTL = "ttl";
  static final String VISIBILITY_INDEX = "visibility";
  static final String PARKED_INDEX = "parked";
  /** On a parked run's item: the namespace (the sparse index's partition), since when, under which deployment. */
  static final String PARKED = "parked";
  static final String PARKED_AT = "parkedAt";
  static final String DEPLOYMENT = "deployment";
  /** On a history slot item: it holds a parked task, not a batch. */
  static final String INBOX = "inbox";
  /** On a batch item that closes its run: what the stream relay's filter matches. */
  static final String CLOSES = "closes";
  static final String CURRENT_SK = "current";
  /** Visibility partitions per namespace and status, so a hot status is spread over partitions. */
  static final int VISIBILITY_SHARDS = 4;

  /** Run attributes the visibility index carries: enough to list without reading the base table. */
  static final List<String> VISIBILITY_ATTRIBUTES = List.of(RunItems.NAMESPACE, RunItems.WORKFLOW_ID,
      RunItems.RUN_ID, RunItems.STATUS, RunItems.WORKFLOW_TYPE, RunItems.TASK_QUEUE, RunItems.START_TIME,
      RunItems.CLOSE_TIME, RunItems.TASK_FAILURE, RunItems.SEARCH_ATTRIBUTES);

  /** Fixed width (always 9 fraction digits), so string order is time order; Instant.parse reads it. */
  private static final DateTimeFormatter SORTABLE_INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private TemporaTable() {}

  static String pk(String namespace, String workflowId) {
    return namespace + "#" + workflowId;
  }

  static String runSk(String runId) {
    return "run#" + runId;
  }

  static String historyPrefix(String runId) {
    return runId + "#h#";
  }

  static String batchSk(String runId, int seq) {
    return historyPrefix(runId) + String.format("%010d", seq);
  }

  static String heartbeatSk(String runId, long seq) {
    return heartbeatPrefix(runId) + seq;
  }

  /** An update's rejection (nothing in history records it): {@code <runId>#u#<updateId>}. */
  static String updateRejectionSk(String runId, String updateId) {
    return runId + "#u#" + updateId;
  }

  static String heartbeatPrefix(String runId) {
    return runId + "#a#";
  }

  static String visibilityPartition(String namespace, WorkflowExecutionStatus status, int shard) {
    return namespace + "#" + status.name() + "#" + shard;
  }

  static int shard(String workflowId) {
    // String.hashCode is specified by the JLS, so the shard of an id never changes between JVMs.
    return Math.floorMod(workflowId.hashCode(), VISIBILITY_SHARDS);
  }

  static String sortableTime(Instant t) {
    return SORTABLE_INSTANT.format(t);
  }

  /**
   * Creates the table if it does not exist (idempotent, safe to race): on-demand billing, the
   * visibility index, and TTL on {@code ttl} (tolerated if the endpoint does not support it).
   */
  static void create(DynamoDbClient client, String tableName) {
    if (!exists(client, tableName)) {
      try {
        client.createTable(b -> b.tableName(tableName)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(attr(PK), attr(SK), attr(VIS), attr(VSK), attr(PARKED), attr(PARKED_AT))
            .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
            .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))
            .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                .indexName(VISIBILITY_INDEX)
                .keySchema(key(VIS, KeyType.HASH), key(VSK, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                    .nonKeyAttributes(VISIBILITY_ATTRIBUTES).build())
                .build(), GlobalSecondaryIndex.builder()
                .indexName(PARKED_INDEX)
                .keySchema(key(PARKED, KeyType.HASH), key(PARKED_AT, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                    .nonKeyAttributes(DEPLOYMENT).build())
                .build()));
      } catch (ResourceInUseException e) {
        // Someone else created it meanwhile: fine.
      }
    }
    client.waiter().waitUntilTableExists(b -> b.tableName(tableName));
    enableTtl(client, tableName);
  }

  private static boolean exists(DynamoDbClient client, String tableName) {
    try {
      client.describeTable(b -> b.tableName(tableName));
      return true;
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }

  private static void enableTtl(DynamoDbClient client, String tableName) {
    try {
      TimeToLiveStatus status = client.describeTimeToLive(b -> b.tableName(tableName))
          .timeToLiveDescription().timeToLiveStatus();
      if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
        return;
      }
      client.updateTimeToLive(b -> b.tableName(tableName)
          .timeToLiveSpecification(s -> s.attributeName(TTL).enabled(true)));
    } catch (SdkServiceException e) {
      // Emulators may not implement TTL, and a concurrent enable fails with a validation error.
      log.warn("could not enable TTL on table {}: {}", tableName, e.getMessage());
    }
  }

  private static AttributeDefinition attr(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
