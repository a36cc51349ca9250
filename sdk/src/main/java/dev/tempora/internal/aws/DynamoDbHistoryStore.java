package dev.tempora.internal.aws;

import static dev.tempora.internal.aws.TemporaTable.PK;
import static dev.tempora.internal.aws.TemporaTable.SK;
import static dev.tempora.internal.aws.TemporaTable.TTL;
import static dev.tempora.internal.aws.TemporaTable.VIS;
import static dev.tempora.internal.aws.TemporaTable.VSK;

import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.internal.visibility.PageToken;
import dev.tempora.internal.visibility.QueryPlan;
import dev.tempora.internal.visibility.RowFilter;
import dev.tempora.internal.visibility.VisibilityPage;
import dev.tempora.internal.visibility.VisibilityRow;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import dev.tempora.internal.coordinator.HistoryStore;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.ParkedTask;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.StoredHistory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link HistoryStore} on one DynamoDB table (layout in {@link TemporaTable}).
 *
 * <ul>
 *   <li>Starting a run is a transaction (run item + "current run" pointer, both conditional): it
 *       happens once per run, so the doubled cost does not matter. A pointer left naming a run
 *       whose item has expired is taken over as if absent.
 *   <li>Appending a batch, the hot path, is one conditional {@code PutItem}
 *       ({@code attribute_not_exists}): the optimistic lock between coordinators. Bodies are gzipped
 *       when large and chunked into side items written first when huge, so the batch item stays
 *       the single commit point. Each write carries a random write id, so an SDK retry whose first
 *       attempt did land recognises its own item instead of reporting a lost race.
 *   <li>The predecessor rule of {@link HistoryStore#appendBatch} (batch N-1 must exist) is not
 *       checked here: a condition can only look at the item being written, and a read would add a
 *       round trip per step. It holds because the only writers (the coordinator and terminate)
 *       append {@code last read seq + 1} after a strongly consistent read of the history; a stale
 *       reader loses on the {@code attribute_not_exists} check of an existing seq instead. For the
 *       same reason an append to an unknown run is not rejected.
 *   <li>History reads are strongly consistent; listing uses the sharded visibility index and is
 *       eventually consistent. Listed records carry no start event (the index does not project it:
 *       it holds the start input, which may be large); {@link #getRun} has it.
 *   <li>Closing a run sets {@code ttl} on its run item (close time + retention). Its history and
 *       pointer items do not expire with it yet (heartbeat items carry their own ttl): deleting a
 *       run's remaining items when its run item expires is left to a stream consumer.
 * </ul>
 *
 * Thread-safe; the counters count history items (batch and chunk items) read and written.
 */
public final class DynamoDbHistoryStore implements HistoryStore {
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  private static final String SEQ = "seq";
  private static final String LAST_EVENT_ID = "lastEventId";
  private static final String CURRENT_RUN_ID = "currentRunId";
  /** Largest page asked of a visibility query; the response is capped at 1 MB anyway. */
  private static final int MAX_PAGE = 1000;
  private static final int LAST_BATCH_PROBE = 16;

  private final DynamoDbClient client;
  private final String table;
  private final Duration retention;
  private final Clock wallClock;
  private final AtomicLong itemsRead = new AtomicLong();
  private final AtomicLong itemsWritten = new AtomicLong();
  private final AtomicLong batchesRead = new AtomicLong();
  private final AtomicLong batchesWritten = new AtomicLong();
  private final AtomicLong visibilityItemsRead = new AtomicLong();

  public DynamoDbHistoryStore(DynamoDbClient client, String tableName) {
    this(client, tableName, DEFAULT_RETENTION);
  }

  /** {@code retention}: how long a closed run's record is kept (its {@code ttl} is close time + retention). */
  public DynamoDbHistoryStore(DynamoDbClient client, String tableName, Duration retention) {
    this(client, tableName, retention, Clock.systemUTC());
  }

  /** {@code wallClock}: the clock TTL is measured against (DynamoDB's: real time, not workflow time). */
  public DynamoDbHistoryStore(DynamoDbClient client, String tableName, Duration retention, Clock wallClock) {
    this.client = Objects.requireNonNull(client);
    this.table = Objects.requireNonNull(tableName);
    this.retention = Objects.requireNonNull(retention);
    this.wallClock = Objects.requireNonNull(wallClock);
  }

  /** Creates the table, its visibility index and TTL if missing; idempotent. */
  public static void createTable(DynamoDbClient client, String tableName) {
    TemporaTable.create(client, tableName);
  }

  // ------------------------------------------------------------------------------ runs

  @Override
  public Optional<RunRecord> currentRun(String namespace, String workflowId) {
    Map<String, AttributeValue> pointer = client.getItem(b -> b.tableName(table).consistentRead(true)
        .key(key(TemporaTable.pk(namespace, workflowId), TemporaTable.CURRENT_SK))).item();
    if (pointer == null || !pointer.containsKey(CURRENT_RUN_ID)) {
      return Optional.empty();
    }
    return getRun(new RunKey(namespace, workflowId, pointer.get(CURRENT_RUN_ID).s()));
  }

  @Override
  public Optional<RunRecord> getRun(RunKey run) {
    return getRun(run, true);
  }

  /**
   * The run, read with or without strong consistency: an eventually consistent read costs half,
   * for readers that only need a hint (the stream relay's "already closed?").
   */
  public Optional<RunRecord> getRun(RunKey run, boolean consistent) {
    String sk = TemporaTable.runSk(run.runId());
    Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).consistentRead(consistent)
        .key(key(run.workflowKey(), sk))).item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    RunItems.StartBody start = new RunItems.StartBody(null, null);
    if (ItemBody.hasBody(item)) {
      List<Map<String, AttributeValue>> chunks = ItemBody.isChunked(item)
          ? queryPrefix(run.workflowKey(), ItemBody.chunkPrefixOf(sk, item)) : List.of();
      start = RunItems.decodeStart(ItemBody.decode(sk, item, chunks));
    }
    return Optional.of(RunItems.fromItem(item, start.start(), start.signal()));
  }

  @Override
  public void createRun(RunRecord record, String expectedCurrentRunId) {
    RunKey run = record.run();
    String pk = run.workflowKey();
    String sk = TemporaTable.runSk(run.runId());
    String writeId = newWriteId();
    ItemBody.Encoded start = record.startEvent() == null ? null
        : ItemBody.encode(RunItems.encodeStart(record));

    List<TransactWriteItem> writes = new ArrayList<>();
    if (start != null) {
      // A huge start input: its chunks go in the same transaction, so a lost race leaves no orphans.
      for (int n = 0; n < start.chunks().size(); n++) {
        writes.add(put(Put.builder().item(chunkItem(pk, ItemBody.chunkSk(sk, writeId, n), start.chunks().get(n)))));
      }
    }
    writes.add(put(Put.builder().item(RunItems.toItem(record, start, writeId, retention, wallClock.instant()))
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))));
    try {
      startTransaction(writes, run, expectedCurrentRunId);
    } catch (ConcurrentUpdateException e) {
      // The pointer may outlive the run it names: TTL deletes the two items independently (on AWS,
      // up to days apart). currentRun() then reports no run, so the caller expects none; take the
      // dangling pointer over, still conditionally, so a racing start can win only once.
      String dangling = expectedCurrentRunId == null ? danglingCurrentRunId(run) : null;
      if (dangling == null) {
        throw e;
      }
      startTransaction(writes, run, dangling);
    }
  }

  private void startTransaction(List<TransactWriteItem> runWrites, RunKey run, String expectedCurrentRunId) {
    Map<String, AttributeValue> pointer = new HashMap<>(key(run.workflowKey(), TemporaTable.CURRENT_SK));
    pointer.put(CURRENT_RUN_ID, AttributeValue.fromS(run.runId()));
    Put.Builder pointerPut = Put.builder().item(pointer);
    if (expectedCurrentRunId == null) {
      pointerPut.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
    } else {
      pointerPut.conditionExpression("#cur = :expected")
          .expressionAttributeNames(Map.of("#cur", CURRENT_RUN_ID))
          .expressionAttributeValues(Map.of(":expected", AttributeValue.fromS(expectedCurrentRunId)));
    }
    List<TransactWriteItem> writes = new ArrayList<>(runWrites);
    writes.add(put(pointerPut));
    try {
      client.transactWriteItems(b -> b.transactItems(writes));
    } catch (TransactionCanceledException e) {
      if (lostRace(e)) {
        throw new ConcurrentUpdateException("current run of " + run.workflowKey() + " is no longer "
            + expectedCurrentRunId + " (or run " + run.runId() + " exists): " + reasons(e));
      }
      throw e;
    }
  }

  /** The run id the pointer names if that run's item is gone (expired), else null. */
  private String danglingCurrentRunId(RunKey run) {
    Map<String, AttributeValue> pointer = client.getItem(b -> b.tableName(table).consistentRead(true)
        .key(key(run.workflowKey(), TemporaTable.CURRENT_SK))).item();
    if (pointer == null || !pointer.containsKey(CURRENT_RUN_ID)) {
      return null;
    }
    String current = pointer.get(CURRENT_RUN_ID).s();
    Map<String, AttributeValue> runItem = client.getItem(b -> b.tableName(table).consistentRead(true)
        .key(key(run.workflowKey(), TemporaTable.runSk(current))).projectionExpression("#pk")
        .expressionAttributeNames(Map.of("#pk", PK))).item();
    return runItem == null || runItem.isEmpty() ? current : null;
  }

  @Override
  public void updateRun(RunRecord r) {
    update(r, false);
  }

  @Override
  public void closeRun(RunRecord closed) {
    update(closed, true);
  }

  /** One UpdateItem of the run item's attributes; {@code onlyIfOpen}: nothing if it is closed already. */
  private void update(RunRecord r, boolean onlyIfOpen) {
    // An update, not a put: the start event (and its chunks) is fixed at createRun and not rewritten.
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    List<String> set = new ArrayList<>();
    List<String> remove = new ArrayList<>();
    setOrRemove(set, remove, names, values, RunItems.STATUS, r.status().name());
    setOrRemove(set, remove, names, values, RunItems.WORKFLOW_TYPE, r.workflowType());
    setOrRemove(set, remove, names, values, RunItems.TASK_QUEUE, r.taskQueue());
    setOrRemove(set, remove, names, values, RunItems.START_TIME, TemporaTable.sortableTime(r.startTime()));
    setOrRemove(set, remove, names, values, RunItems.CLOSE_TIME,
        r.closeTime() == null ? null : TemporaTable.sortableTime(r.closeTime()));
    setOrRemove(set, remove, names, values, RunItems.TASK_FAILURE, r.taskFailure());
    if (r.taskFailure() == null) {
      // No task failure: no longer in the sparse index of parked runs either.
      for (String attr : List.of(TemporaTable.PARKED, TemporaTable.PARKED_AT, TemporaTable.DEPLOYMENT)) {
        names.put("#" + attr, attr);
        remove.add("#" + attr);
      }
    }
    setOrRemove(set, remove, names, values, VIS, RunItems.visibilityPartition(r));
    setOrRemove(set, remove, names, values, VSK, RunItems.visibilitySortKey(r));
    Long ttl = RunItems.ttl(r, retention, wallClock.instant());
    names.put("#" + TTL, TTL);
    if (ttl == null) {
      remove.add("#" + TTL);
    } else {
      set.add("#" + TTL + " = :" + TTL);
      values.put(":" + TTL, AttributeValue.fromN(ttl.toString()));
    }
    names.put("#pk", PK);
    String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
    String condition = "attribute_exists(#pk)";
    if (onlyIfOpen) {
      condition += " AND #openStatus = :running";
      names.put("#openStatus", RunItems.STATUS);
      values.put(":running", AttributeValue.fromS(WorkflowExecutionStatus.RUNNING.name()));
    }
    String finalCondition = condition;
    try {
      client.updateItem(b -> b.tableName(table).key(key(r.run().workflowKey(), TemporaTable.runSk(r.run().runId())))
          .updateExpression(update).conditionExpression(finalCondition)
          .expressionAttributeNames(names).expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException e) {
      if (!onlyIfOpen) {
        throw new IllegalArgumentException("no run " + r.run());
      }
      // Closed already (the stream relay or a terminate got there first), or gone: nothing to do.
    }
  }

  // ------------------------------------------------------------------------------ history

  @Override
  public StoredHistory read(RunKey run, int afterSeq) {
    String prefix = TemporaTable.historyPrefix(run.runId());
    QueryRequest q = historyFrom(run, Math.max(0, afterSeq) + 1).build();
    // Keys sort each batch item just before its chunk items; collect both, then decode.
    List<Map<String, AttributeValue>> batchItems = new ArrayList<>();
    Map<String, List<Map<String, AttributeValue>>> chunksByPrefix = new HashMap<>();
    for (Map<String, AttributeValue> item : client.queryPaginator(q).items()) {
      itemsRead.incrementAndGet();
      String sk = item.get(SK).s();
      int c = sk.indexOf("#c#", prefix.length());
      if (c < 0) {
        batchItems.add(item);
      } else {
        chunksByPrefix.computeIfAbsent(sk.substring(0, sk.lastIndexOf('#') + 1), k -> new ArrayList<>()).add(item);
      }
    }
    List<HistoryBatch> out = new ArrayList<>(batchItems.size());
    ParkedTask parked = null;
    for (Map<String, AttributeValue> item : batchItems) {
      String sk = item.get(SK).s();
      List<Map<String, AttributeValue>> chunks = ItemBody.isChunked(item)
          ? chunksByPrefix.getOrDefault(ItemBody.chunkPrefixOf(sk, item), List.of()) : List.of();
      String body = ItemBody.decode(sk, item, chunks);
      if (item.containsKey(TemporaTable.INBOX)) {
        // A parked task holds the slot after the last batch (a batch replaces it when it commits).
        parked = parkedTask(item, body);
      } else {
        out.add(HistoryJson.readBatch(body));
      }
    }
    batchesRead.addAndGet(out.size());
    return new StoredHistory(out, parked);
  }

  /**
   * Whether batch {@code seq} is stored, from a keys-only eventually consistent read (half a read
   * unit): a "yes" is certain, a "no" may be stale.
   */
  public boolean batchExists(RunKey run, int seq) {
    Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).consistentRead(false)
        .key(key(run.workflowKey(), TemporaTable.batchSk(run.runId(), seq)))
        .projectionExpression("#sk, #inbox").expressionAttributeNames(Map.of("#sk", SK, "#inbox", TemporaTable.INBOX)))
        .item();
    return item != null && !item.isEmpty() && !item.containsKey(TemporaTable.INBOX);
  }

  @Override
  public Optional<HistoryBatch> readBatch(RunKey run, int seq) {
    if (seq < 1) {
      return Optional.empty();
    }
    String sk = TemporaTable.batchSk(run.runId(), seq);
    Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).consistentRead(true)
        .key(key(run.workflowKey(), sk))).item();
    if (item == null || item.isEmpty() || item.containsKey(TemporaTable.INBOX)) {
      return Optional.empty();
    }
    itemsRead.incrementAndGet();
    List<Map<String, AttributeValue>> chunks = List.of();
    if (ItemBody.isChunked(item)) {
      chunks = queryPrefix(run.workflowKey(), ItemBody.chunkPrefixOf(sk, item));
      itemsRead.addAndGet(chunks.size());
    }
    batchesRead.incrementAndGet();
    return Optional.of(HistoryJson.readBatch(ItemBody.decode(sk, item, chunks)));
  }

  /** A strongly consistent query of the run's batch and chunk items from batch {@code fromSeq} on. */
  private QueryRequest.Builder historyFrom(RunKey run, int fromSeq) {
    return QueryRequest.builder().tableName(table).consistentRead(true)
        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
        .expressionAttributeValues(Map.of(
            ":pk", AttributeValue.fromS(run.workflowKey()),
            ":from", AttributeValue.fromS(TemporaTable.batchSk(run.runId(), fromSeq)),
            // '~' sorts after digits and '#', so this bounds every batch and chunk of the run.
            ":to", AttributeValue.fromS(TemporaTable.historyPrefix(run.runId()) + "~")));
  }

  @Override
  public Optional<HistoryBatch> readLastBatch(RunKey run) {
    String prefix = TemporaTable.historyPrefix(run.runId());
    // Newest first, keys only. Chunk items sort right after their batch item and carry its seq in
    // their key, so the first keys name the newest batch; a few are read in case the newest are
    // orphan chunks of a write that never landed.
    QueryRequest q = historyFrom(run, 1).projectionExpression("#sk").scanIndexForward(false).limit(LAST_BATCH_PROBE)
        .build();
    int tried = -1;
    for (Map<String, AttributeValue> item : client.query(q).items()) {
      String sk = item.get(SK).s();
      int seq = Integer.parseInt(sk.substring(prefix.length(), prefix.length() + 10));
      if (seq != tried) {
        tried = seq;
        Optional<HistoryBatch> batch = readBatch(run, seq);
        if (batch.isPresent()) {
          return batch;
        }
      }
    }
    // Only a long run of orphan chunks gets here: fall back to the full read.
    List<HistoryBatch> all = readHistory(run, 0);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
  }

  @Override
  public void appendBatch(RunKey run, HistoryBatch batch, String replacingParkId) {
    if (batch.seq() < 1) {
      throw new IllegalArgumentException("batch seq must be >= 1, was " + batch.seq());
    }
    Map<String, AttributeValue> extra = new HashMap<>();
    extra.put(SEQ, AttributeValue.fromN(Integer.toString(batch.seq())));
    extra.put(LAST_EVENT_ID, AttributeValue.fromN(Long.toString(batch.lastEventId())));
    if (batch.closingEvent() != null) {
      extra.put(TemporaTable.CLOSES, AttributeValue.fromBool(true));
    }
    putSlot(run, batch.seq(), HistoryJson.write(batch), extra, replacingParkId);
    batchesWritten.incrementAndGet();
  }

  /**
   * One transaction: the batch item (its chunks, if huge, written first, as for any batch), the
   * next run's item and the current-run pointer, both conditional as in {@link #createRun}. It
   * happens once per run, like a start, so the transaction's doubled cost does not matter.
   */
  @Override
  public void appendBatchStartingRun(RunKey run, HistoryBatch batch, String replacingParkId, RunRecord next) {
    Map<String, AttributeValue> extra = new HashMap<>();
    extra.put(SEQ, AttributeValue.fromN(Integer.toString(batch.seq())));
    extra.put(LAST_EVENT_ID, AttributeValue.fromN(Long.toString(batch.lastEventId())));
    extra.put(TemporaTable.CLOSES, AttributeValue.fromBool(true));
    String writeId = newWriteId();
    SlotWrite slot = slotWrite(run, batch.seq(), HistoryJson.write(batch), extra, replacingParkId, writeId);
    RunKey nextRun = next.run();
    String nextSk = TemporaTable.runSk(nextRun.runId());
    String startWriteId = newWriteId();
    ItemBody.Encoded start = ItemBody.encode(RunItems.encodeStart(next));
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(slot.put()).build());
    for (int n = 0; n < start.chunks().size(); n++) {
      writes.add(put(Put.builder().item(chunkItem(nextRun.workflowKey(), ItemBody.chunkSk(nextSk, startWriteId, n),
          start.chunks().get(n)))));
    }
    writes.add(put(Put.builder().item(RunItems.toItem(next, start, startWriteId, retention, wallClock.instant()))
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))));
    try {
      startTransaction(writes, nextRun, run.runId());
    } catch (ConcurrentUpdateException e) {
      deleteChunks(run.workflowKey(), slot.sk(), writeId, slot.chunks());
      throw e;
    }
    itemsWritten.incrementAndGet();
    batchesWritten.incrementAndGet();
  }

  @Override
  public ParkedTask park(RunKey run, ParkedTask task, String replacingParkId) {
    String writeId = putSlot(run, task.seq(), HistoryJson.write(task.withId(null)),
        Map.of(TemporaTable.INBOX, AttributeValue.fromBool(true)), replacingParkId);
    return task.withId(writeId);
  }

  @Override
  public Optional<ParkedTask> readParked(RunKey run, int seq) {
    String sk = TemporaTable.batchSk(run.runId(), seq);
    Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).consistentRead(true)
        .key(key(run.workflowKey(), sk))).item();
    if (item == null || !item.containsKey(TemporaTable.INBOX)) {
      return Optional.empty();
    }
    List<Map<String, AttributeValue>> chunks = ItemBody.isChunked(item)
        ? queryPrefix(run.workflowKey(), ItemBody.chunkPrefixOf(sk, item)) : List.of();
    return Optional.of(parkedTask(item, ItemBody.decode(sk, item, chunks)));
  }

  private static ParkedTask parkedTask(Map<String, AttributeValue> item, String body) {
    return HistoryJson.read(body, ParkedTask.class).withId(item.get(ItemBody.WRITE_ID).s());
  }

  /**
   * Writes history slot {@code seq} with one conditional {@code PutItem} (chunks of a huge body
   * first): the slot must be free, or hold exactly the parked task {@code replacingParkId}.
   * Returns the write id.
   */
  private String putSlot(RunKey run, int seq, String json, Map<String, AttributeValue> extra, String replacingParkId) {
    String writeId = newWriteId();
    SlotWrite slot = slotWrite(run, seq, json, extra, replacingParkId, writeId);
    try {
      client.putItem(b -> b.tableName(table).item(slot.put().item()).conditionExpression(slot.put().conditionExpression())
          .expressionAttributeNames(slot.put().expressionAttributeNames())
          .expressionAttributeValues(slot.put().hasExpressionAttributeValues() ? slot.put().expressionAttributeValues() : null)
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    } catch (ConditionalCheckFailedException e) {
      // The SDK retries a put whose response was lost; if the stored item is ours, that retry only
      // met our own earlier success.
      Map<String, AttributeValue> old = e.hasItem() ? e.item() : Map.of();
      if (old.containsKey(ItemBody.WRITE_ID) && writeId.equals(old.get(ItemBody.WRITE_ID).s())) {
        itemsWritten.incrementAndGet();
        return writeId;
      }
      deleteChunks(run.workflowKey(), slot.sk(), writeId, slot.chunks());
      throw new ConcurrentUpdateException("slot " + seq + " of " + run + " already holds "
          + (old.containsKey(TemporaTable.INBOX) ? "a parked task" : "a batch"));
    }
    itemsWritten.incrementAndGet();
    return writeId;
  }

  /** A history slot's conditional put, ready to send; its chunks (of a huge body) are written already. */
  private record SlotWrite(Put put, String sk, int chunks) {}

  /**
   * Writes the chunks of a huge body and returns the slot item's put: the slot must be free, or
   * hold exactly the parked task {@code replacingParkId}.
   */
  private SlotWrite slotWrite(RunKey run, int seq, String json, Map<String, AttributeValue> extra,
      String replacingParkId, String writeId) {
    String pk = run.workflowKey();
    String sk = TemporaTable.batchSk(run.runId(), seq);
    ItemBody.Encoded body = ItemBody.encode(json);
    for (int n = 0; n < body.chunks().size(); n++) {
      byte[] chunk = body.chunks().get(n);
      String chunkSk = ItemBody.chunkSk(sk, writeId, n);
      client.putItem(b -> b.tableName(table).item(chunkItem(pk, chunkSk, chunk)));
      itemsWritten.incrementAndGet();
    }
    Map<String, AttributeValue> item = new HashMap<>(body.attributes());
    item.putAll(extra);
    item.putAll(key(pk, sk));
    item.put(ItemBody.WRITE_ID, AttributeValue.fromS(writeId));
    String condition = "attribute_not_exists(#pk)";
    Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
    Map<String, AttributeValue> values = new HashMap<>();
    if (replacingParkId != null) {
      condition += " OR (attribute_exists(#inbox) AND #wid = :park)";
      names.put("#inbox", TemporaTable.INBOX);
      names.put("#wid", ItemBody.WRITE_ID);
      values.put(":park", AttributeValue.fromS(replacingParkId));
    }
    Put put = Put.builder().tableName(table).item(item).conditionExpression(condition).expressionAttributeNames(names)
        .expressionAttributeValues(values.isEmpty() ? null : values).build();
    return new SlotWrite(put, sk, body.chunks().size());
  }

  @Override
  public void setTaskFailure(RunKey run, ParkedTask parked) {
    Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#status", RunItems.STATUS,
        "#tf", RunItems.TASK_FAILURE, "#parked", TemporaTable.PARKED, "#at", TemporaTable.PARKED_AT,
        "#dep", TemporaTable.DEPLOYMENT));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":running",
        AttributeValue.fromS(WorkflowExecutionStatus.RUNNING.name())));
    String update;
    if (parked == null) {
      update = "REMOVE #tf, #parked, #at, #dep";
    } else {
      update = "SET #tf = :tf, #parked = :ns, #at = :at, #dep = :dep";
      values.put(":tf", AttributeValue.fromS(parked.reason()));
      values.put(":ns", AttributeValue.fromS(run.namespace()));
      values.put(":at", AttributeValue.fromS(TemporaTable.sortableTime(parked.since())));
      values.put(":dep", AttributeValue.fromS(parked.deployment() == null ? "" : parked.deployment()));
    }
    try {
      client.updateItem(b -> b.tableName(table).key(key(run.workflowKey(), TemporaTable.runSk(run.runId())))
          .updateExpression(update).conditionExpression("attribute_exists(#pk) AND #status = :running")
          .expressionAttributeNames(names).expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException e) {
      // Closed (or gone): a closed run shows no task failure.
    }
  }

  @Override
  public List<RunKey> parkedRuns(String namespace, String exceptDeployment) {
    QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(TemporaTable.PARKED_INDEX)
        .keyConditionExpression("#parked = :ns");
    Map<String, String> names = new HashMap<>(Map.of("#parked", TemporaTable.PARKED));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":ns", AttributeValue.fromS(namespace)));
    if (exceptDeployment != null) {
      q.filterExpression("#dep <> :dep");
      names.put("#dep", TemporaTable.DEPLOYMENT);
      values.put(":dep", AttributeValue.fromS(exceptDeployment));
    }
    q.expressionAttributeNames(names).expressionAttributeValues(values);
    List<RunKey> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : client.queryPaginator(q.build()).items()) {
      String pk = item.get(PK).s();
      String workflowId = pk.substring(namespace.length() + 1);
      out.add(new RunKey(namespace, workflowId, item.get(SK).s().substring("run#".length())));
    }
    return out;
  }

  /**
   * Deletes what is left of a run whose run item expired (retention): its history batches and
   * chunks, parked task, heartbeat items, start-event chunks, and the current-run pointer if it
   * still names the run. Returns how many items were deleted. Idempotent.
   */
  public int deleteRunItems(RunKey run) {
    String pk = run.workflowKey();
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (String prefix : List.of(run.runId() + "#", TemporaTable.runSk(run.runId()))) {
      QueryRequest q = QueryRequest.builder().tableName(table)
          .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
          .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
          .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":prefix", AttributeValue.fromS(prefix)))
          .projectionExpression("#pk, #sk").build();
      client.queryPaginator(q).items().forEach(keys::add);
    }
    for (int from = 0; from < keys.size(); from += 25) {
      List<WriteRequest> deletes = keys.subList(from, Math.min(keys.size(), from + 25)).stream()
          .map(k -> WriteRequest.builder().deleteRequest(d -> d.key(k)).build()).toList();
      Map<String, List<WriteRequest>> pending = Map.of(table, deletes);
      for (int attempt = 0; !pending.isEmpty(); attempt++) {
        if (attempt > 0) {
          sleepQuietly(Math.min(1000, 50L << attempt));
        }
        Map<String, List<WriteRequest>> request = pending;
        BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(request));
        pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
        if (attempt > 10 && !pending.isEmpty()) {
          throw new IllegalStateException("could not delete the items of expired run " + run + ": still throttled");
        }
      }
    }
    try {
      client.deleteItem(b -> b.tableName(table).key(key(pk, TemporaTable.CURRENT_SK))
          .conditionExpression("#cur = :run").expressionAttributeNames(Map.of("#cur", CURRENT_RUN_ID))
          .expressionAttributeValues(Map.of(":run", AttributeValue.fromS(run.runId()))));
      return keys.size() + 1;
    } catch (ConditionalCheckFailedException e) {
      return keys.size();  // the id has a newer run (or the pointer is gone)
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------------------ visibility

  /**
   * Queries every shard of the requested status (of all statuses when null), newest first, and
   * merges. Each shard is read only until it has {@code limit} matches plus those tied on start
   * time with the last, which is enough for an exact top-{@code limit} after the merge.
   */
  @Override
  public List<RunRecord> listRuns(String namespace, ListExecutionsRequest q) {
    if (q.limit() < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + q.limit());
    }
    if (q.limit() == 0 || (q.startedAfter() != null && q.startedBefore() != null
        && !q.startedAfter().isBefore(q.startedBefore()))) {
      return List.of();
    }
    List<WorkflowExecutionStatus> statuses = q.status() == null
        ? List.of(WorkflowExecutionStatus.values()) : List.of(q.status());
    List<String> partitions = new ArrayList<>();
    for (WorkflowExecutionStatus status : statuses) {
      for (int shard = 0; shard < TemporaTable.VISIBILITY_SHARDS; shard++) {
        partitions.add(TemporaTable.visibilityPartition(namespace, status, shard));
      }
    }
    List<RunRecord> all = new ArrayList<>();
    // Up to 28 partitions: query them concurrently so a listing costs about one round trip, not 28.
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<RunRecord>>> shards = new ArrayList<>();
      for (String p : partitions) {
        shards.add(pool.submit(() -> queryShard(p, q)));
      }
      for (Future<List<RunRecord>> f : shards) {
        all.addAll(join(f));
      }
    }
    // The same order as the in-memory store: newest first, then by workflow id.
    return all.stream()
        .sorted(Comparator.comparing(RunRecord::startTime).reversed().thenComparing(r -> r.run().workflowId()))
        .limit(q.limit())
        .toList();
  }

  private List<RunRecord> queryShard(String partition, ListExecutionsRequest q) {
    Map<String, String> names = new HashMap<>(Map.of("#vis", VIS));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":vis", AttributeValue.fromS(partition)));
    // Sort keys are "<fixed-width start time>#<workflowId>": ">= after" includes runs started exactly
    // at startedAfter, and "< before" (or BETWEEN's inclusive bound, never equal to a full key)
    // excludes those started exactly at startedBefore, as the in-memory store does.
    String keyCondition = "#vis = :vis";
    if (q.startedAfter() != null && q.startedBefore() != null) {
      keyCondition += " AND #vsk BETWEEN :after AND :before";
    } else if (q.startedAfter() != null) {
      keyCondition += " AND #vsk >= :after";
    } else if (q.startedBefore() != null) {
      keyCondition += " AND #vsk < :before";
    }
    if (q.startedAfter() != null || q.startedBefore() != null) {
      names.put("#vsk", VSK);  // DynamoDB rejects unused names
    }
    if (q.startedAfter() != null) {
      values.put(":after", AttributeValue.fromS(TemporaTable.sortableTime(q.startedAfter())));
    }
    if (q.startedBefore() != null) {
      values.put(":before", AttributeValue.fromS(TemporaTable.sortableTime(q.startedBefore())));
    }
    QueryRequest.Builder b = QueryRequest.builder().tableName(table).indexName(TemporaTable.VISIBILITY_INDEX)
        .keyConditionExpression(keyCondition).scanIndexForward(false)
        .limit(Math.min(MAX_PAGE, q.limit() + 1));
    if (q.workflowType() != null) {
      names.put("#type", RunItems.WORKFLOW_TYPE);
      values.put(":type", AttributeValue.fromS(q.workflowType()));
      b.filterExpression("#type = :type");
    }
    b.expressionAttributeNames(names).expressionAttributeValues(values);

    List<RunRecord> out = new ArrayList<>();
    Iterator<Map<String, AttributeValue>> items = client.queryPaginator(b.build()).items().iterator();
    while (items.hasNext()) {
      RunRecord r = RunItems.fromItem(items.next(), null);
      if (out.size() >= q.limit() && r.startTime().isBefore(out.get(q.limit() - 1).startTime())) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  // ------------------------------------------------------------------------------ list queries

  /**
   * One UpdateItem on the run item: each set value at {@code sa.<name>}, each unset one removed,
   * {@code saVer} raised to the event id, on condition that it is below it (a re-dispatched batch
   * changes nothing). A run item written before search attributes existed has no {@code sa} map:
   * it gets one.
   */
  @Override
  public void upsertSearchAttributes(RunKey run, Map<String, SearchAttributeValue> changes, long eventId) {
    Map<String, String> names = new HashMap<>(Map.of("#sa", RunItems.SEARCH_ATTRIBUTES,
        "#ver", RunItems.SEARCH_ATTRIBUTES_VERSION, "#pk", PK));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":ver", AttributeValue.fromN(Long.toString(eventId))));
    List<String> sets = new ArrayList<>(List.of("#ver = :ver"));
    List<String> removes = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, SearchAttributeValue> e : changes.entrySet()) {
      String n = "#n" + i;
      names.put(n, e.getKey());
      if (e.getValue().isUnset()) {
        removes.add("#sa." + n);
      } else {
        values.put(":v" + i, RunItems.encodeSearchAttribute(e.getValue()));
        sets.add("#sa." + n + " = :v" + i);
      }
      i++;
    }
    String update = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
    try {
      client.updateItem(b -> b.tableName(table).key(key(run.workflowKey(), TemporaTable.runSk(run.runId())))
          .updateExpression(update)
          .conditionExpression("attribute_exists(#pk) AND attribute_exists(#sa) AND (attribute_not_exists(#ver) OR #ver < :ver)")
          .expressionAttributeNames(names).expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException e) {
      Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).consistentRead(true)
          .key(key(run.workflowKey(), TemporaTable.runSk(run.runId())))
          .projectionExpression("#pk, #sa").expressionAttributeNames(Map.of("#pk", PK, "#sa", RunItems.SEARCH_ATTRIBUTES)))
          .item();
      if (item != null && item.containsKey(PK) && !item.containsKey(RunItems.SEARCH_ATTRIBUTES)) {
        Map<String, SearchAttributeValue> set = new HashMap<>(changes);
        set.values().removeIf(SearchAttributeValue::isUnset);
        try {
          client.updateItem(b -> b.tableName(table).key(key(run.workflowKey(), TemporaTable.runSk(run.runId())))
              .updateExpression("SET #sa = :sa, #ver = :ver")
              .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#sa)")
              .expressionAttributeNames(Map.of("#sa", RunItems.SEARCH_ATTRIBUTES, "#ver", RunItems.SEARCH_ATTRIBUTES_VERSION,
                  "#pk", PK))
              .expressionAttributeValues(Map.of(":sa", AttributeValue.fromM(RunItems.encodeSearchAttributes(set)),
                  ":ver", AttributeValue.fromN(Long.toString(eventId)))));
        } catch (ConditionalCheckFailedException raced) {
          upsertSearchAttributes(run, changes, eventId);  // someone made the map meanwhile: apply to it
        }
      }
      // Otherwise applied already (a batch dispatched again), or the run expired: nothing to do.
    }
  }

  /**
   * A list query's page (docs/adr/0022-search-attributes-and-list-queries.md): one workflow id's
   * runs from its own partition of the base table; otherwise the visibility index's partitions of
   * the plan's statuses, each read in order from the page token (or the StartTime bound) until it
   * has a page and one of matching rows, in parallel, then merged.
   */
  @Override
  public VisibilityPage queryRuns(String namespace, QueryPlan plan, PageToken after, int pageSize) {
    if (plan.empty()) {
      return new VisibilityPage(List.of(), null);
    }
    if (plan.workflowId() != null) {
      return VisibilityPage.of(queryWorkflowIdRuns(namespace, plan), plan.ascending(), after, pageSize);
    }
    String lo = plan.startFrom() == null ? null : TemporaTable.sortableTime(plan.startFrom());
    String hi = plan.startUntil() == null ? null : TemporaTable.sortableTime(plan.startUntil());
    if (after != null && plan.ascending()) {
      lo = lo == null || after.sortKey().compareTo(lo) > 0 ? after.sortKey() : lo;
    } else if (after != null) {
      hi = hi == null || after.sortKey().compareTo(hi) < 0 ? after.sortKey() : hi;
    }
    if (lo != null && hi != null && lo.compareTo(hi) > 0) {
      return new VisibilityPage(List.of(), null);
    }
    List<String> partitions = new ArrayList<>();
    for (WorkflowExecutionStatus status : plan.statuses()) {
      for (int shard = 0; shard < TemporaTable.VISIBILITY_SHARDS; shard++) {
        partitions.add(TemporaTable.visibilityPartition(namespace, status, shard));
      }
    }
    String from = lo;
    String to = hi;
    List<VisibilityRow> rows = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<VisibilityRow>>> shards = new ArrayList<>();
      for (String p : partitions) {
        shards.add(pool.submit(() -> queryVisibilityPartition(p, from, to, plan, after, pageSize + 1)));
      }
      for (Future<List<VisibilityRow>> f : shards) {
        rows.addAll(join(f));
      }
    }
    return VisibilityPage.of(rows, plan.ascending(), after, pageSize);
  }

  private List<VisibilityRow> queryVisibilityPartition(String partition, String lo, String hi, QueryPlan plan,
      PageToken after, int wanted) {
    Map<String, String> names = new HashMap<>(Map.of("#vis", VIS));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":vis", AttributeValue.fromS(partition)));
    String keyCondition = "#vis = :vis";
    if (lo != null && hi != null) {
      keyCondition += " AND #vsk BETWEEN :lo AND :hi";
    } else if (lo != null) {
      keyCondition += " AND #vsk >= :lo";
    } else if (hi != null) {
      keyCondition += " AND #vsk <= :hi";
    }
    if (lo != null || hi != null) {
      names.put("#vsk", VSK);
    }
    if (lo != null) {
      values.put(":lo", AttributeValue.fromS(lo));
    }
    if (hi != null) {
      values.put(":hi", AttributeValue.fromS(hi));
    }
    QueryRequest q = QueryRequest.builder().tableName(table).indexName(TemporaTable.VISIBILITY_INDEX)
        .keyConditionExpression(keyCondition).scanIndexForward(plan.ascending())
        .limit(Math.min(MAX_PAGE, plan.filtered() ? MAX_PAGE : wanted + (after == null ? 0 : after.runIdsAtKey().size())))
        .expressionAttributeNames(names).expressionAttributeValues(values).build();
    List<VisibilityRow> out = new ArrayList<>();
    Iterator<Map<String, AttributeValue>> items = client.queryPaginator(q).items().iterator();
    while (items.hasNext() && out.size() < wanted) {
      Map<String, AttributeValue> item = items.next();
      visibilityItemsRead.incrementAndGet();
      VisibilityRow row = new VisibilityRow(RunItems.fromItem(item, null), RunItems.searchAttributes(item));
      if (VisibilityPage.follows(row, after, plan.ascending()) && RowFilter.matches(plan.query().filter(), row)) {
        out.add(row);
      }
    }
    return out;
  }

  /** The run items of one workflow id (its partition of the base table, without start bodies or history). */
  private List<VisibilityRow> queryWorkflowIdRuns(String namespace, QueryPlan plan) {
    Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#sk", SK, "#status", RunItems.STATUS));
    List<String> projected = new ArrayList<>();
    for (String a : TemporaTable.VISIBILITY_ATTRIBUTES) {
      names.put("#p" + projected.size(), a);
      projected.add("#p" + projected.size());
    }
    QueryRequest q = QueryRequest.builder().tableName(table)
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :run)")
        .filterExpression("attribute_exists(#status)")
        .projectionExpression(String.join(", ", projected))
        .expressionAttributeNames(names)
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(TemporaTable.pk(namespace, plan.workflowId())),
            ":run", AttributeValue.fromS(TemporaTable.runSk(""))))
        .build();
    List<VisibilityRow> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : client.queryPaginator(q).items()) {
      visibilityItemsRead.incrementAndGet();
      VisibilityRow row = new VisibilityRow(RunItems.fromItem(item, null), RunItems.searchAttributes(item));
      if (plan.statuses().contains(row.record().status()) && RowFilter.matches(plan.query().filter(), row)) {
        out.add(row);
      }
    }
    return out;
  }

  /** Run items list queries have read (index entries and a workflow id's run items), for cost checks. */
  public long visibilityItemsRead() {
    return visibilityItemsRead.get();
  }

  // ------------------------------------------------------------------------------ counters

  /** History items (batch and chunk items) read so far. */
  public long itemsRead() {
    return itemsRead.get();
  }

  /** History items (batch and chunk items) written so far. */
  public long itemsWritten() {
    return itemsWritten.get();
  }

  public long batchesRead() {
    return batchesRead.get();
  }

  public long batchesWritten() {
    return batchesWritten.get();
  }

  // ------------------------------------------------------------------------------ helpers

  private List<Map<String, AttributeValue>> queryPrefix(String pk, String skPrefix) {
    QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(true)
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":prefix", AttributeValue.fromS(skPrefix)))
        .build();
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    client.queryPaginator(q).items().forEach(out::add);
    return out;
  }

  private void deleteChunks(String pk, String ownerSk, String writeId, int count) {
    for (int n = 0; n < count; n++) {
      String chunkSk = ItemBody.chunkSk(ownerSk, writeId, n);
      try {
        client.deleteItem(b -> b.tableName(table).key(key(pk, chunkSk)));
      } catch (SdkException e) {
        // Best effort: an orphan chunk is never referenced, it only costs storage.
        return;
      }
    }
  }

  private static Map<String, AttributeValue> chunkItem(String pk, String sk, byte[] data) {
    Map<String, AttributeValue> item = new HashMap<>(key(pk, sk));
    item.put(ItemBody.DATA, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(data)));
    return item;
  }

  // ------------------------------------------------------------------------------ updates

  /** How long an update's rejection is kept for its caller (and a retry of it) to read. */
  static final Duration UPDATE_REJECTION_RETENTION = Duration.ofDays(1);
  private static final String FAILURE = "failure";

  @Override
  public void putUpdateRejection(RunKey run, String updateId, FailureInfo failure) {
    Map<String, AttributeValue> item = new HashMap<>(key(run.workflowKey(), TemporaTable.updateRejectionSk(run.runId(),
        updateId)));
    item.put(FAILURE, AttributeValue.fromS(HistoryJson.write(failure)));
    item.put(TTL, AttributeValue.fromN(Long.toString(wallClock.instant().plus(UPDATE_REJECTION_RETENTION)
        .getEpochSecond())));
    client.putItem(b -> b.tableName(table).item(item));
    itemsWritten.incrementAndGet();
  }

  @Override
  public Optional<FailureInfo> readUpdateRejection(RunKey run, String updateId) {
    Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).consistentRead(true)
        .key(key(run.workflowKey(), TemporaTable.updateRejectionSk(run.runId(), updateId)))).item();
    itemsRead.incrementAndGet();
    if (item == null || !item.containsKey(FAILURE)) {
      return Optional.empty();
    }
    return Optional.of(HistoryJson.read(item.get(FAILURE).s(), FailureInfo.class));
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
  }

  private TransactWriteItem put(Put.Builder p) {
    return TransactWriteItem.builder().put(p.tableName(table).build()).build();
  }

  private static void setOrRemove(List<String> set, List<String> remove, Map<String, String> names,
      Map<String, AttributeValue> values, String attr, String value) {
    names.put("#" + attr, attr);
    if (value == null) {
      remove.add("#" + attr);
    } else {
      set.add("#" + attr + " = :" + attr);
      values.put(":" + attr, AttributeValue.fromS(value));
    }
  }

  /** A condition failed (or another transaction held an item): another start won. */
  private static boolean lostRace(TransactionCanceledException e) {
    return e.hasCancellationReasons() && e.cancellationReasons().stream().map(CancellationReason::code)
        .anyMatch(c -> "ConditionalCheckFailed".equals(c) || "TransactionConflict".equals(c));
  }

  private static String reasons(TransactionCanceledException e) {
    return e.hasCancellationReasons()
        ? e.cancellationReasons().stream().map(CancellationReason::code).toList().toString() : "no reasons";
  }

  private static <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing runs", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static String newWriteId() {
    UUID u = UUID.randomUUID();
    return Long.toHexString(u.getMostSignificantBits()) + Long.toHexString(u.getLeastSignificantBits());
  }
}
