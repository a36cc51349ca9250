package dev.tempora.internal.aws;

import static dev.tempora.internal.aws.TemporaTable.PK;
import static dev.tempora.internal.aws.TemporaTable.SK;
import static dev.tempora.internal.aws.TemporaTable.TTL;

import dev.tempora.client.WorkflowExecutionStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.PayloadTooLargeException;
import dev.tempora.internal.coordinator.HeartbeatStore;
import dev.tempora.internal.history.RunKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link HeartbeatStore} in the Tempora table: one item per activity ({@code sk = runId#a#seq})
 * with the last details, their time and the cancel flag. A heartbeat is a single
 * {@code UpdateItem} returning the new item, so the worker learns of a cancel request in the same
 * call. Items expire {@code retention} after their last write (wall clock: TTL is wall-clock time,
 * whatever clock the workflow runs on).
 */
public final class DynamoDbHeartbeatStore implements HeartbeatStore {
  /** Details must fit in one item with the other attributes (no chunking on this path). */
  public static final int MAX_DETAILS_BYTES = ItemBody.MAX_INLINE_BYTES;

  private static final String DETAILS = "details";
  /** M: the details payload's metadata (a codec's or a custom converter's payload); absent for plain JSON. */
  private static final String DETAILS_METADATA = "detailsMetadata";
  private static final String AT = "at";
  private static final String CANCEL_REQUESTED = "cancelRequested";
  private static final String RUN_CLOSED = "runClosed";
  /** Issue 15's describe: the attempt a retry scheduled, the failure before it, and when it is due. */
  private static final String RETRY_ATTEMPT = "retryAttempt";
  private static final String LAST_FAILURE = "lastFailure";
  private static final String NEXT_ATTEMPT_AT = "nextAttemptAt";

  private final DynamoDbClient client;
  private final String table;
  private final Duration retention;
  private final Clock wallClock;

  public DynamoDbHeartbeatStore(DynamoDbClient client, String tableName) {
    this(client, tableName, DynamoDbHistoryStore.DEFAULT_RETENTION, Clock.systemUTC());
  }

  public DynamoDbHeartbeatStore(DynamoDbClient client, String tableName, Duration retention, Clock wallClock) {
    this.client = Objects.requireNonNull(client);
    this.table = Objects.requireNonNull(tableName);
    this.retention = Objects.requireNonNull(retention);
    this.wallClock = Objects.requireNonNull(wallClock);
  }

  @Override
  public boolean heartbeat(RunKey run, long seq, Payload details, Instant at) {
    Map<String, String> names = new HashMap<>(Map.of("#at", AT, "#ttl", TTL, "#details", DETAILS,
        "#dm", DETAILS_METADATA));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(
        ":at", AttributeValue.fromS(TemporaTable.sortableTime(at)),
        ":ttl", ttl()));
    String update;
    if (details == null) {
      update = "SET #at = :at, #ttl = :ttl REMOVE #details, #dm";
    } else {
      int size = details.json().getBytes(StandardCharsets.UTF_8).length;
      if (size > MAX_DETAILS_BYTES) {
        throw new PayloadTooLargeException(size, MAX_DETAILS_BYTES);
      }
      values.put(":details", AttributeValue.fromS(details.json()));
      if (details.metadata() == null) {
        update = "SET #at = :at, #ttl = :ttl, #details = :details REMOVE #dm";
      } else {
        Map<String, AttributeValue> m = new HashMap<>();
        details.metadata().forEach((k, v) -> m.put(k, AttributeValue.fromS(v)));
        values.put(":dm", AttributeValue.fromM(m));
        update = "SET #at = :at, #ttl = :ttl, #details = :details, #dm = :dm";
      }
    }
    Map<String, AttributeValue> item = client.updateItem(b -> b.tableName(table).key(key(run, seq))
        .updateExpression(update).expressionAttributeNames(names).expressionAttributeValues(values)
        .returnValues(ReturnValue.ALL_NEW)).attributes();
    return cancelRequested(item);
  }

  @Override
  public Optional<Payload> lastDetails(RunKey run, long seq) {
    return Optional.ofNullable(lastDetails(get(run, seq)));
  }

  private static Payload lastDetails(Map<String, AttributeValue> item) {
    if (!item.containsKey(DETAILS)) {
      return null;
    }
    Map<String, String> metadata = null;
    if (item.containsKey(DETAILS_METADATA)) {
      metadata = new HashMap<>();
      for (Map.Entry<String, AttributeValue> e : item.get(DETAILS_METADATA).m().entrySet()) {
        metadata.put(e.getKey(), e.getValue().s());
      }
    }
    return new Payload(item.get(DETAILS).s(), metadata);
  }

  @Override
  public void requestCancel(RunKey run, long seq) {
    client.updateItem(b -> b.tableName(table).key(key(run, seq))
        .updateExpression("SET #cancel = :true, #ttl = :ttl")
        .expressionAttributeNames(Map.of("#cancel", CANCEL_REQUESTED, "#ttl", TTL))
        .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":ttl", ttl())));
  }

  /**
   * One UpdateItem: sets the attempt's owner if unset and returns the item, cancel flag included.
   * An attempt this delivery may run then reads the run's status (one consistent, projected
   * GetItem): after the claim, so a close that this read misses comes after the claim, and the
   * closer's {@link #runClosed} finds this item and marks it for the attempt's next heartbeat.
   */
  @Override
  public Claim claimAttempt(RunKey run, long seq, int attempt, String deliveryId) {
    String claim = "claim" + attempt;
    Map<String, AttributeValue> item = client.updateItem(b -> b.tableName(table).key(key(run, seq))
        .updateExpression("SET #claim = if_not_exists(#claim, :delivery), #ttl = :ttl")
        .expressionAttributeNames(Map.of("#claim", claim, "#ttl", TTL))
        .expressionAttributeValues(Map.of(":delivery", AttributeValue.fromS(deliveryId), ":ttl", ttl()))
        .returnValues(ReturnValue.ALL_NEW)).attributes();
    AttributeValue owner = item.get(claim);
    boolean won = owner != null && deliveryId.equals(owner.s());
    boolean cancel = cancelRequested(item);
    boolean closed = item.containsKey(RUN_CLOSED) || (won && !cancel && !isRunOpen(run));
    return new Claim(won, cancel, closed);
  }

  /** Whether the run's record says it is open; a record gone (expired) is a closed run. */
  private boolean isRunOpen(RunKey run) {
    Map<String, AttributeValue> record = client.getItem(b -> b.tableName(table).consistentRead(true)
        .key(Map.of(PK, AttributeValue.fromS(run.workflowKey()), SK, AttributeValue.fromS(TemporaTable.runSk(run.runId()))))
        .projectionExpression("#status").expressionAttributeNames(Map.of("#status", RunItems.STATUS))).item();
    AttributeValue status = record == null ? null : record.get(RunItems.STATUS);
    return status != null && !WorkflowExecutionStatus.valueOf(status.s()).isClosed();
  }

  /**
   * Marks the run's open activity items (one conditional UpdateItem each, so an expired item, or one
   * no attempt has claimed yet, is not created): their running attempts learn of the close at their
   * next heartbeat, as a cancel request. Open activities unknown: a keys-only query of the run's
   * {@code runId#a#} items finds them first.
   */
  @Override
  public void runClosed(RunKey run, Set<Long> openActivities) {
    if (openActivities != null) {
      for (long seq : openActivities) {
        markClosed(key(run, seq));
      }
      return;
    }
    Map<String, AttributeValue> prefix = Map.of(":pk", AttributeValue.fromS(run.workflowKey()),
        ":prefix", AttributeValue.fromS(TemporaTable.heartbeatPrefix(run.runId())));
    for (Map<String, AttributeValue> item : client.queryPaginator(b -> b.tableName(table).consistentRead(true)
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK)).expressionAttributeValues(prefix)
        .projectionExpression("#pk, #sk")).items()) {
      markClosed(Map.of(PK, item.get(PK), SK, item.get(SK)));
    }
  }

  private void markClosed(Map<String, AttributeValue> key) {
    try {
      client.updateItem(b -> b.tableName(table).key(key)
          .updateExpression("SET #cancel = :true, #closed = :true")
          .conditionExpression("attribute_exists(#pk)")
          .expressionAttributeNames(Map.of("#cancel", CANCEL_REQUESTED, "#closed", RUN_CLOSED, "#pk", PK))
          .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))));
    } catch (ConditionalCheckFailedException absent) {
      // Expired, or never claimed: an attempt claimed from now on reads the closed run.
    }
  }


  @Override
  public boolean isCancelRequested(RunKey run, long seq) {
    return cancelRequested(get(run, seq));
  }

  private Map<String, AttributeValue> get(RunKey run, long seq) {
    // Consistent: a worker polling right after requestCancel must see it.
    Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(key(run, seq)).consistentRead(true))
        .item();
    return item == null ? Map.of() : item;
  }

  private static boolean cancelRequested(Map<String, AttributeValue> item) {
    AttributeValue v = item == null ? null : item.get(CANCEL_REQUESTED);
    return v != null && Boolean.TRUE.equals(v.bool());
  }

  private AttributeValue ttl() {
    return AttributeValue.fromN(Long.toString(wallClock.instant().plus(retention).getEpochSecond()));
  }

  private static Map<String, AttributeValue> key(RunKey run, long seq) {
    return Map.of(PK, AttributeValue.fromS(run.workflowKey()), SK, AttributeValue.fromS(TemporaTable.heartbeatSk(run.runId(), seq)));
  }

  /** One consistent GetItem of the activity's item. */
  @Override
  public AttemptState attemptState(RunKey run, long seq, int attempt) {
    Map<String, AttributeValue> item = get(run, seq);
    int latest = 0;
    for (String name : item.keySet()) {
      if (name.startsWith("claim")) {
        latest = Math.max(latest, Integer.parseInt(name.substring("claim".length())));
      }
    }
    AttributeValue async = item.get("async" + attempt);
    AttributeValue at = item.get(AT);
    return new AttemptState(latest, item.containsKey("done" + attempt), async == null ? null : Instant.parse(async.s()),
        at == null ? null : Instant.parse(at.s()), cancelRequested(item), item.containsKey(RUN_CLOSED));
  }

  @Override
  public void markAsync(RunKey run, long seq, int attempt, Instant startedAt) {
    client.updateItem(b -> b.tableName(table).key(key(run, seq))
        .updateExpression("SET #async = if_not_exists(#async, :at), #ttl = :ttl")
        .expressionAttributeNames(Map.of("#async", "async" + attempt, "#ttl", TTL))
        .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(startedAt.toString()), ":ttl", ttl())));
  }

  /** One conditional UpdateItem: {@code doneN} is set by its first writer only. */
  @Override
  public boolean closeAttempt(RunKey run, long seq, int attempt) {
    try {
      client.updateItem(b -> b.tableName(table).key(key(run, seq))
          .updateExpression("SET #done = :true, #ttl = :ttl")
          .conditionExpression("attribute_not_exists(#done)")
          .expressionAttributeNames(Map.of("#done", "done" + attempt, "#ttl", TTL))
          .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":ttl", ttl())));
      return true;
    } catch (ConditionalCheckFailedException taken) {
      return false;
    }
  }

  /** One conditional UpdateItem: a retry recorded late (an older attempt's) does not overwrite a newer one. */
  @Override
  public void recordRetry(RunKey run, long seq, int nextAttempt, FailureInfo failure, Instant nextAttemptTime) {
    String failureJson;
    try {
      failureJson = DataConverter.get().mapper().writeValueAsString(HeartbeatStore.forDescribe(failure));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      client.updateItem(b -> b.tableName(table).key(key(run, seq))
          .updateExpression("SET #ra = :n, #lf = :f, #na = :t, #ttl = :ttl")
          .conditionExpression("attribute_not_exists(#ra) OR #ra < :n")
          .expressionAttributeNames(Map.of("#ra", RETRY_ATTEMPT, "#lf", LAST_FAILURE, "#na", NEXT_ATTEMPT_AT, "#ttl", TTL))
          .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Integer.toString(nextAttempt)),
              ":f", AttributeValue.fromS(failureJson), ":t", AttributeValue.fromS(nextAttemptTime.toString()),
              ":ttl", ttl())));
    } catch (ConditionalCheckFailedException newer) {
      // A later attempt's retry is recorded already.
    }
  }

  /** One consistent GetItem of the activity's item. */
  @Override
  public Optional<ActivityProgress> progress(RunKey run, long seq) {
    Map<String, AttributeValue> item = get(run, seq);
    if (item.isEmpty()) {
      return Optional.empty();
    }
    int claimed = 0;
    for (String name : item.keySet()) {
      if (name.startsWith("claim")) {
        claimed = Math.max(claimed, Integer.parseInt(name.substring("claim".length())));
      }
    }
    int retry = item.containsKey(RETRY_ATTEMPT) ? Integer.parseInt(item.get(RETRY_ATTEMPT).n()) : 0;
    FailureInfo failure = null;
    if (item.containsKey(LAST_FAILURE)) {
      try {
        failure = DataConverter.get().mapper().readValue(item.get(LAST_FAILURE).s(), FailureInfo.class);
      } catch (JsonProcessingException e) {
        failure = null; // unreadable: describe shows the rest
      }
    }
    Instant next = retry > claimed && item.containsKey(NEXT_ATTEMPT_AT) ? Instant.parse(item.get(NEXT_ATTEMPT_AT).s()) : null;
    AttributeValue at = item.get(AT);
    return Optional.of(new ActivityProgress(Math.max(1, Math.max(claimed, retry)), failure, next,
        lastDetails(item), at == null ? null : Instant.parse(at.s())));
  }
}
