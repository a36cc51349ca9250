package dev.tempora.internal.aws;

import static org.junit.jupiter.api.Assertions.*;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.common.IndexedValueType;
import dev.tempora.internal.visibility.ListQueryParser;
import dev.tempora.internal.visibility.PageToken;
import dev.tempora.internal.visibility.QueryPlan;
import dev.tempora.internal.visibility.VisibilityPage;
import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.ParkedTask;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.memory.InMemoryHistoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;


@ExtendWith(DynamoDbLocalServer.Extension.class)
class DynamoDbHistoryStoreTest {
  private static final String NS = "test";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final AtomicInteger IDS = new AtomicInteger();

  private static DynamoDbClient client;
  private static String table;
  private static DynamoDbHistoryStore store;

  @BeforeAll
  static void createTable(DynamoDbLocalServer server) {
    client = server.client();
    table = server.newTable("history");
    store = new DynamoDbHistoryStore(client, table);
  }

  @AfterAll
  static void dropTable() {
    client.deleteTable(b -> b.tableName(table));
  }

  // ------------------------------------------------------------------------------ runs

  @Test
  void createGetAndCurrentRun() {
    String wf = workflowId();
    assertTrue(store.currentRun(NS, wf).isEmpty());
    RunRecord r1 = running(wf, T0, "Order");
    store.createRun(r1, null);
    assertEquals(r1, store.getRun(r1.run()).orElseThrow());
    assertEquals(r1, store.currentRun(NS, wf).orElseThrow());

    RunRecord closed = r1.closed(WorkflowExecutionStatus.COMPLETED, T0.plusSeconds(5));
    store.updateRun(closed);
    RunRecord r2 = running(wf, T0.plusSeconds(10), "Order");
    store.createRun(r2, r1.run().runId());
    assertEquals(r2, store.currentRun(NS, wf).orElseThrow());
    assertEquals(closed, store.getRun(r1.run()).orElseThrow(), "the old run stays readable");
    assertTrue(store.getRun(new RunKey(NS, wf, "nope")).isEmpty());
  }

  @Test
  void secondFirstStartLoses() {
    String wf = workflowId();
    RunRecord r1 = running(wf, T0, "Order");
    store.createRun(r1, null);
    RunRecord r2 = running(wf, T0, "Order");
    assertThrows(ConcurrentUpdateException.class, () -> store.createRun(r2, null));
    assertEquals(r1, store.currentRun(NS, wf).orElseThrow());
    assertTrue(store.getRun(r2.run()).isEmpty(), "the losing transaction wrote nothing");
  }

  @Test
  void startWithStaleExpectedRunLoses() {
    String wf = workflowId();
    RunRecord r1 = running(wf, T0, "Order");
    store.createRun(r1, null);
    RunRecord r2 = running(wf, T0.plusSeconds(1), "Order");
    assertThrows(ConcurrentUpdateException.class, () -> store.createRun(r2, "some-other-run"));
    store.createRun(r2, r1.run().runId());
    RunRecord r3 = running(wf, T0.plusSeconds(2), "Order");
    assertThrows(ConcurrentUpdateException.class, () -> store.createRun(r3, r1.run().runId()));
    assertEquals(r2, store.currentRun(NS, wf).orElseThrow());
  }

  @Test
  void aStartTakesOverThePointerOfAnExpiredRun() {
    String wf = workflowId();
    RunRecord r1 = running(wf, T0, "Order");
    store.createRun(r1, null);
    store.updateRun(r1.closed(WorkflowExecutionStatus.COMPLETED, T0));
    // TTL deleted the run item but not (yet) the pointer: the id looks unused, and is.
    client.deleteItem(b -> b.tableName(table).key(Map.of(
        TemporaTable.PK, AttributeValue.fromS(r1.run().workflowKey()),
        TemporaTable.SK, AttributeValue.fromS(TemporaTable.runSk(r1.run().runId())))));
    assertTrue(store.currentRun(NS, wf).isEmpty());
    RunRecord r2 = running(wf, T0.plusSeconds(1), "Order");
    store.createRun(r2, null);
    assertEquals(r2, store.currentRun(NS, wf).orElseThrow());
    assertThrows(ConcurrentUpdateException.class, () -> store.createRun(running(wf, T0, "Order"), null));
  }

  @Test
  void hugeStartInputIsChunkedInTheStartTransaction() {
    String wf = workflowId();
    RunKey run = new RunKey(NS, wf, UUID.randomUUID().toString());
    Payload input = new Payload("\"" + randomHex(800_000) + "\"");
    RunRecord r = new RunRecord(run, "Big", "q", WorkflowExecutionStatus.RUNNING, T0, null,
        new Event.WorkflowExecutionStarted("Big", "q", input, 1, null), null);
    store.createRun(r, null);
    assertEquals(r, store.getRun(run).orElseThrow());
    Map<String, AttributeValue> item = rawItem(run, TemporaTable.runSk(run.runId()));
    assertEquals("2", item.get(ItemBody.CHUNKS).n());
    // Status updates leave the start event and its chunks alone.
    store.updateRun(r.withTaskFailure("boom"));
    assertEquals(r.withTaskFailure("boom"), store.getRun(run).orElseThrow());
  }

  @Test
  void aSignalWithStartsSignalIsStoredWithTheRun() {
    String wf = workflowId();
    RunKey run = new RunKey(NS, wf, UUID.randomUUID().toString());
    RunRecord r = new RunRecord(run, "Greeter", "q", WorkflowExecutionStatus.RUNNING, T0, null,
        new Event.WorkflowExecutionStarted("Greeter", "q", new Payload("[]"), 1, null), null,
        new Event.WorkflowSignaled("setName", new Payload("[\"ada\"]"), "req-1"));
    store.createRun(r, null);
    assertEquals(r, store.getRun(run).orElseThrow());
    store.updateRun(r.withTaskFailure("boom"));
    assertEquals(r.withTaskFailure("boom"), store.getRun(run).orElseThrow(), "status updates keep it");
  }

  @Test
  void updateRunSetsStatusAndTtlOnClose() {
    // Starts now, not at start: TTL really deletes expired items (on AWS and the dev server), and a
    // ttl counted from a start in the past would expire (and vanish) while the test looks at it.
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String wf = workflowId();
    RunRecord r = running(wf, start, "Order");
    store.createRun(r, null);
    RunKey run = r.run();
    String sk = TemporaTable.runSk(run.runId());
    assertFalse(rawItem(run, sk).containsKey(TemporaTable.TTL), "open runs do not expire");

    store.updateRun(r.withTaskFailure("NonDeterministicWorkflowError: x"));
    assertEquals("NonDeterministicWorkflowError: x", store.getRun(run).orElseThrow().taskFailure());
    store.updateRun(r);
    assertNull(store.getRun(run).orElseThrow().taskFailure());

    // The wall clock at the run's start: the ttl is close time + retention (default 30 days).
    DynamoDbHistoryStore atStart = new DynamoDbHistoryStore(client, table, DynamoDbHistoryStore.DEFAULT_RETENTION,
        Clock.fixed(start, ZoneOffset.UTC));
    Instant closedAt = start.plus(Duration.ofHours(3));
    RunRecord closed = r.closed(WorkflowExecutionStatus.FAILED, closedAt);
    atStart.updateRun(closed);
    assertEquals(closed, store.getRun(run).orElseThrow());
    Map<String, AttributeValue> item = rawItem(run, sk);
    assertEquals(closedAt.plus(Duration.ofDays(30)).getEpochSecond(), Long.parseLong(item.get(TemporaTable.TTL).n()));
    assertEquals(NS + "#FAILED#" + TemporaTable.shard(wf), item.get(TemporaTable.VIS).s());

    // A close time behind the wall clock (workflow time of a test) counts from the wall clock, or
    // the record would be born expired (and DynamoDB Local does delete expired items).
    Instant wallNow = start.plus(Duration.ofDays(100));
    new DynamoDbHistoryStore(client, table, Duration.ofDays(1), Clock.fixed(wallNow, ZoneOffset.UTC)).updateRun(closed);
    assertEquals(wallNow.plus(Duration.ofDays(1)).getEpochSecond(),
        Long.parseLong(rawItem(run, sk).get(TemporaTable.TTL).n()));
    store.updateRun(closed);
    assertTrue(Long.parseLong(rawItem(run, sk).get(TemporaTable.TTL).n())
        >= Instant.now().plus(Duration.ofDays(29)).getEpochSecond());

    RunRecord unknown = running(workflowId(), T0, "Order");
    assertThrows(IllegalArgumentException.class, () -> store.updateRun(unknown));
    assertTrue(store.getRun(unknown.run()).isEmpty(), "updateRun does not create runs");
  }

  @Test
  void createTableIsIdempotentAndEnablesTtl() {
    DynamoDbHistoryStore.createTable(client, table);
    DynamoDbHistoryStore.createTable(client, table);
    assertEquals(TimeToLiveStatus.ENABLED,
        client.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription().timeToLiveStatus());
  }

  // ------------------------------------------------------------------------------ history

  @Test
  void heartbeatDetailsKeepTheirPayloadMetadata() {
    RunKey run = started().run();
    DynamoDbHeartbeatStore heartbeats = new DynamoDbHeartbeatStore(client, table);
    Payload encrypted = Payload.ofBytes(new byte[] {1, 2, 3},
        Map.of(Payload.ENCODING, "binary/encrypted", "encryption-key-id", "k1"));
    heartbeats.heartbeat(run, 1, encrypted, T0);
    assertEquals(encrypted, heartbeats.lastDetails(run, 1).orElseThrow());
    heartbeats.heartbeat(run, 1, new Payload("\"plain\""), T0);
    assertEquals(new Payload("\"plain\""), heartbeats.lastDetails(run, 1).orElseThrow());
    heartbeats.heartbeat(run, 1, null, T0);
    assertTrue(heartbeats.lastDetails(run, 1).isEmpty());
  }

  @Test
  void appendsAndReadsInOrder() {
    RunRecord r = started();
    RunKey run = r.run();
    List<HistoryBatch> batches = new ArrayList<>();
    for (int seq = 1; seq <= 5; seq++) {
      batches.add(batch(seq, 3, 10));
      store.appendBatch(run, batches.getLast());
    }
    // Neighbours in the same partition must not leak into the range: a heartbeat, another run.
    new DynamoDbHeartbeatStore(client, table).heartbeat(run, 1, new Payload("1"), T0);
    RunRecord other = running(run.workflowId(), T0, "Order");
    store.updateRun(r.closed(WorkflowExecutionStatus.COMPLETED, T0));
    store.createRun(other, run.runId());
    store.appendBatch(other.run(), batch(1, 1, 10));

    assertEquals(batches, store.readHistory(run, 0));
    assertEquals(batches.subList(3, 5), store.readHistory(run, 3));
    assertEquals(List.of(), store.readHistory(run, 5));
    assertEquals(batches.get(1), store.readBatch(run, 2).orElseThrow());
    assertTrue(store.readBatch(run, 6).isEmpty());
    assertTrue(store.readBatch(run, 0).isEmpty());
    assertEquals(1, store.readHistory(other.run(), 0).size());
    assertEquals(List.of(), store.readHistory(new RunKey(NS, run.workflowId(), "unknown"), 0));
  }

  @Test
  void readHistoryPaginatesPastOneMegabyte() {
    RunKey run = started().run();
    List<HistoryBatch> batches = new ArrayList<>();
    // 40 batches of ~30 KB plain JSON each (just under the gzip threshold): > 1 MB, several pages.
    for (int seq = 1; seq <= 40; seq++) {
      batches.add(new HistoryBatch(seq, List.of(new HistoryEvent(seq, T0,
          new Event.MarkerRecorded(seq, "m", new Payload("\"" + randomHex(29_000) + "\"")))), List.of("m" + seq)));
      store.appendBatch(run, batches.getLast());
    }
    assertEquals(batches, store.readHistory(run, 0));
  }

  @Test
  void duplicateSeqIsAConcurrentUpdate() {
    RunKey run = started().run();
    HistoryBatch first = batch(1, 2, 10);
    store.appendBatch(run, first);
    assertThrows(ConcurrentUpdateException.class, () -> store.appendBatch(run, batch(1, 4, 20)));
    assertEquals(List.of(first), store.readHistory(run, 0));
    assertThrows(IllegalArgumentException.class, () -> store.appendBatch(run, batch(0, 1, 1)));
  }

  @Test
  void aRetriedAppendWhoseFirstAttemptLandedSucceeds(DynamoDbLocalServer server) {
    // The first conditional put is applied by the server, but its response is turned into a 500,
    // so the SDK retries the identical request, which meets its own item.
    AtomicBoolean armed = new AtomicBoolean(true);
    ExecutionInterceptor loseFirstResponse = new ExecutionInterceptor() {
      @Override
      public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutItemRequest put && put.conditionExpression() != null
            && armed.compareAndSet(true, false)) {
          return context.httpResponse().toBuilder().statusCode(500).build();
        }
        return context.httpResponse();
      }
    };
    try (DynamoDbClient flaky = server.clientBuilder()
        .overrideConfiguration(c -> c.addExecutionInterceptor(loseFirstResponse)).build()) {
      DynamoDbHistoryStore flakyStore = new DynamoDbHistoryStore(flaky, table);
      RunKey run = started().run();
      HistoryBatch b1 = batch(1, 2, 10);
      flakyStore.appendBatch(run, b1);
      assertFalse(armed.get(), "the response was lost and the put retried");
      assertEquals(List.of(b1), store.readHistory(run, 0));
      assertThrows(ConcurrentUpdateException.class, () -> flakyStore.appendBatch(run, batch(1, 2, 10)),
          "a different write of the same seq still loses");
    }
  }

  @Test
  void racingCoordinatorsCommitExactlyOneBatchPerSeq() throws Exception {
    RunKey run = started().run();
    int rounds = 20;
    CyclicBarrier barrier = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<HistoryBatch>>> results = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int thread = t;
        Callable<List<HistoryBatch>> racer = () -> {
          List<HistoryBatch> won = new ArrayList<>();
          for (int seq = 1; seq <= rounds; seq++) {
            // Each racer writes a distinguishable batch (different event counts) for the same seq.
            HistoryBatch mine = batch(seq, 1 + thread, 10);
            barrier.await();
            try {
              store.appendBatch(run, mine);
              won.add(mine);
            } catch (ConcurrentUpdateException lost) {
              // expected for exactly one of the two
            }
          }
          return won;
        };
        results.add(pool.submit(racer));
      }
      List<HistoryBatch> wins = new ArrayList<>(results.get(0).get());
      wins.addAll(results.get(1).get());
      assertEquals(rounds, wins.size(), "exactly one winner per seq");
      wins.sort((a, b) -> Integer.compare(a.seq(), b.seq()));
      assertEquals(wins, store.readHistory(run, 0), "the stored batches are the winners'");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void largeBatchesRoundTripCompressedOrChunked() {
    RunKey run = started().run();
    // ~1 MB of compressible payload JSON: gzip keeps it in one item.
    HistoryBatch compressible = payloadBatch(1, 20, i -> "\"" + ("order line " + i + " ").repeat(5_000) + "\"");
    // ~1 MB of random hex (gzip only halves it): too big for one item even compressed, so chunks.
    HistoryBatch incompressible = payloadBatch(2, 20, i -> "\"" + randomHex(50_000) + "\"");
    HistoryBatch small = batch(3, 2, 10);
    long written = store.itemsWritten();
    store.appendBatch(run, compressible);
    store.appendBatch(run, incompressible);
    store.appendBatch(run, small);

    Map<String, AttributeValue> gz = rawItem(run, TemporaTable.batchSk(run.runId(), 1));
    assertTrue(gz.containsKey(ItemBody.BODY_GZ) && !gz.containsKey(ItemBody.BODY));
    Map<String, AttributeValue> chunked = rawItem(run, TemporaTable.batchSk(run.runId(), 2));
    int chunks = Integer.parseInt(chunked.get(ItemBody.CHUNKS).n());
    assertTrue(chunks >= 2, "chunks: " + chunks);
    assertEquals(3 + chunks, store.itemsWritten() - written);

    assertEquals(List.of(compressible, incompressible, small), store.readHistory(run, 0));
    assertEquals(List.of(incompressible, small), store.readHistory(run, 1));
    assertEquals(List.of(small), store.readHistory(run, 2));
    assertEquals(incompressible, store.readBatch(run, 2).orElseThrow());
    assertEquals(small, store.readLastBatch(run).orElseThrow());
  }

  @Test
  void readsTheLastBatchAloneEvenWhenItIsChunked() {
    RunKey run = started().run();
    assertTrue(store.readLastBatch(run).isEmpty(), "no batch yet");
    for (int seq = 1; seq <= 30; seq++) {
      store.appendBatch(run, batch(seq, 2, 10));
    }
    long before = store.itemsRead();
    assertEquals(batch(30, 2, 10), store.readLastBatch(run).orElseThrow());
    assertEquals(1, store.itemsRead() - before, "one batch item, not the history");
    // A chunked newest batch: its chunk items sort after it and carry its seq.
    HistoryBatch chunked = payloadBatch(31, 10, i -> "\"" + randomHex(80_000) + "\"");
    store.appendBatch(run, chunked);
    assertEquals(chunked, store.readLastBatch(run).orElseThrow());
  }

  @Test
  void aLosingChunkedWriteNeitherCorruptsTheWinnerNorLeavesChunks() {
    RunKey run = started().run();
    HistoryBatch winner = payloadBatch(1, 10, i -> "\"" + randomHex(80_000) + "\"");
    HistoryBatch loser = payloadBatch(1, 10, i -> "\"" + randomHex(80_000) + "\"");
    store.appendBatch(run, winner);
    assertThrows(ConcurrentUpdateException.class, () -> store.appendBatch(run, loser));
    assertEquals(List.of(winner), store.readHistory(run, 0));
    String batchSk = TemporaTable.batchSk(run.runId(), 1);
    int referenced = Integer.parseInt(rawItem(run, batchSk).get(ItemBody.CHUNKS).n());
    long chunkItems = client.queryPaginator(b -> b.tableName(table)
            .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(run.workflowKey()),
                ":p", AttributeValue.fromS(batchSk + "#c#"))))
        .items().stream().count();
    assertEquals(referenced, chunkItems, "the loser deleted its chunks");
  }

  @Test
  void countsHistoryItemsRead() {
    RunKey run = started().run();
    for (int seq = 1; seq <= 4; seq++) {
      store.appendBatch(run, batch(seq, 2, 10));
    }
    long before = store.itemsRead();
    store.readHistory(run, 0);
    assertEquals(4, store.itemsRead() - before);
    store.readHistory(run, 3);
    assertEquals(5, store.itemsRead() - before, "a warm reader pays only for the new batches");
    store.readHistory(run, 4);
    store.readBatch(run, 2);
    store.readBatch(run, 9);
    assertEquals(6, store.itemsRead() - before);
  }

  // ------------------------------------------------------------------------------ retention

  @Test
  void deleteRunItemsLeavesNothingOfAnExpiredRun() {
    String wf = workflowId();
    RunKey run = new RunKey(NS, wf, UUID.randomUUID().toString());
    // Every kind of item a run has: start-event chunks, plain and chunked batches, a parked task in
    // the next slot (chunked too), heartbeats.
    RunRecord r = new RunRecord(run, "Big", "q", WorkflowExecutionStatus.RUNNING, T0, null,
        new Event.WorkflowExecutionStarted("Big", "q", new Payload("\"" + randomHex(800_000) + "\""), 1, null), null);
    store.createRun(r, null);
    store.appendBatch(run, batch(1, 2, 10));
    store.appendBatch(run, payloadBatch(2, 10, i -> "\"" + randomHex(80_000) + "\""));
    Event big = new Event.ActivityTaskCompleted(7, new Payload("\"" + randomHex(1_200_000) + "\""), 1);
    store.park(run, new ParkedTask(null, 3, List.of(new WorkflowTaskMessage("m-3", run, big)), "boom", 1, T0, "d1"),
        null);
    DynamoDbHeartbeatStore heartbeats = new DynamoDbHeartbeatStore(client, table);
    heartbeats.heartbeat(run, 1, new Payload("1"), T0);
    heartbeats.heartbeat(run, 2, new Payload("2"), T0);
    store.updateRun(r.closed(WorkflowExecutionStatus.FAILED, T0.plusSeconds(1)));
    List<String> items = sortKeys(run.workflowKey());
    assertTrue(items.contains(TemporaTable.batchSk(run.runId(), 3)), "the parked slot: " + items);
    assertTrue(items.stream().filter(sk -> sk.contains("#c#")).map(sk -> sk.substring(0, sk.indexOf("#c#")))
        .distinct().count() >= 3, "start event, batch 2 and the parked task are chunked: " + items);

    expire(run);
    int deleted = store.deleteRunItems(run);

    assertEquals(List.of(), sortKeys(run.workflowKey()));
    assertEquals(items.size() - 1, deleted, "all but the run item (TTL's) were deleted here");
    assertEquals(0, store.deleteRunItems(run), "a second delete finds nothing");
    assertTrue(store.currentRun(NS, wf).isEmpty());
  }

  @Test
  void deleteRunItemsKeepsANewerRunAndThePointerToIt() {
    String wf = workflowId();
    RunRecord r1 = running(wf, T0, "Order");
    store.createRun(r1, null);
    store.appendBatch(r1.run(), batch(1, 2, 10));
    store.updateRun(r1.closed(WorkflowExecutionStatus.COMPLETED, T0.plusSeconds(1)));
    RunRecord r2 = running(wf, T0.plusSeconds(2), "Order");
    store.createRun(r2, r1.run().runId());
    store.appendBatch(r2.run(), batch(1, 2, 10));
    new DynamoDbHeartbeatStore(client, table).heartbeat(r2.run(), 1, new Payload("1"), T0);
    List<String> newer = sortKeys(r2.run().workflowKey()).stream()
        .filter(sk -> sk.equals(TemporaTable.CURRENT_SK) || sk.contains(r2.run().runId())).toList();

    expire(r1.run());
    assertEquals(1, store.deleteRunItems(r1.run()), "its one batch; not the pointer, which names the new run");

    assertEquals(newer, sortKeys(r2.run().workflowKey()));
    assertEquals(r2, store.currentRun(NS, wf).orElseThrow());
  }

  /** What TTL does when a closed run's retention ends: deletes its run item (only). */
  private static void expire(RunKey run) {
    client.deleteItem(b -> b.tableName(table).key(Map.of(
        TemporaTable.PK, AttributeValue.fromS(run.workflowKey()),
        TemporaTable.SK, AttributeValue.fromS(TemporaTable.runSk(run.runId())))));
  }

  private static List<String> sortKeys(String pk) {
    return client.queryPaginator(b -> b.tableName(table).consistentRead(true)
            .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))))
        .items().stream().map(i -> i.get(TemporaTable.SK).s()).toList();
  }

  // ------------------------------------------------------------------------------ visibility

  @Test
  void listRunsMatchesTheInMemoryStore() {
    String ns = "list-" + IDS.incrementAndGet();
    InMemoryHistoryStore reference = new InMemoryHistoryStore();
    String[] types = {"Order", "Invoice", "Order", "Ship"};
    WorkflowExecutionStatus[] statuses = {WorkflowExecutionStatus.RUNNING, WorkflowExecutionStatus.COMPLETED,
        WorkflowExecutionStatus.RUNNING, WorkflowExecutionStatus.FAILED, WorkflowExecutionStatus.RUNNING};
    for (int i = 0; i < 30; i++) {
      // Pairs share a start time (ties are ordered by workflow id), with sub-second precision.
      Instant start = T0.plusSeconds(i / 2 * 60L).plusNanos(i % 3 == 0 ? 0 : 123_456_789);
      RunKey run = new RunKey(ns, "wf-" + i, UUID.randomUUID().toString());
      RunRecord r = new RunRecord(run, types[i % types.length], "q", WorkflowExecutionStatus.RUNNING, start, null,
          new Event.WorkflowExecutionStarted(types[i % types.length], "q", Payload.NULL, i, null), null);
      store.createRun(r, null);
      reference.createRun(r, null);
      WorkflowExecutionStatus status = statuses[i % statuses.length];
      if (status.isClosed()) {
        RunRecord closed = r.closed(status, start.plusSeconds(30));
        store.updateRun(closed);
        reference.updateRun(closed);
      }
    }
    Instant t5 = T0.plusSeconds(5 * 60);
    Instant t10 = T0.plusSeconds(10 * 60);
    List<ListExecutionsRequest> requests = List.of(
        ListExecutionsRequest.all(),
        ListExecutionsRequest.all().withStatus(WorkflowExecutionStatus.RUNNING),
        ListExecutionsRequest.all().withStatus(WorkflowExecutionStatus.COMPLETED),
        ListExecutionsRequest.all().withStatus(WorkflowExecutionStatus.CANCELED),
        ListExecutionsRequest.all().withWorkflowType("Order"),
        ListExecutionsRequest.all().withWorkflowType("Order").withStatus(WorkflowExecutionStatus.RUNNING),
        new ListExecutionsRequest(null, null, t5, null, 1000),
        new ListExecutionsRequest(null, null, null, t5, 1000),
        new ListExecutionsRequest(null, null, t5, t10, 1000),
        new ListExecutionsRequest(WorkflowExecutionStatus.RUNNING, "Order", t5, t10, 1000),
        new ListExecutionsRequest(null, null, t10, t5, 1000),
        new ListExecutionsRequest(null, null, null, null, 5),
        new ListExecutionsRequest(null, null, null, null, 1),
        new ListExecutionsRequest(WorkflowExecutionStatus.RUNNING, null, null, null, 3),
        new ListExecutionsRequest(null, "Invoice", null, null, 2),
        new ListExecutionsRequest(null, null, null, null, 0));
    for (ListExecutionsRequest q : requests) {
      List<RunRecord> expected = reference.listRuns(ns, q).stream().map(DynamoDbHistoryStoreTest::listed).toList();
      assertEquals(expected, store.listRuns(ns, q), q.toString());
    }
    assertEquals(30, store.listRuns(ns, ListExecutionsRequest.all()).size());
    assertEquals(List.of(), store.listRuns("empty-namespace", ListExecutionsRequest.all()));
  }

  /**
   * List queries (ADR: search attributes and list queries): the same pages and tokens as the
   * in-memory store, upserts applied once and in order, and the reads each plan costs.
   */
  @Test
  void queryRunsMatchesTheInMemoryStorePageByPageAndReadsOnlyItsKeyRange() {
    String ns = "query-" + IDS.incrementAndGet();
    InMemoryHistoryStore reference = new InMemoryHistoryStore();
    WorkflowExecutionStatus[] statuses = {WorkflowExecutionStatus.RUNNING, WorkflowExecutionStatus.COMPLETED,
        WorkflowExecutionStatus.RUNNING, WorkflowExecutionStatus.FAILED};
    for (int i = 0; i < 24; i++) {
      Instant start = T0.plusSeconds(i / 3 * 60L);  // threes share a start time
      RunKey run = new RunKey(ns, "wf-" + (i % 20), "run-" + i);  // four ids have two runs
      Map<String, SearchAttributeValue> atStart = Map.of(
          "Customer", new SearchAttributeValue(IndexedValueType.KEYWORD, "c-" + (i % 3)),
          "Amount", new SearchAttributeValue(IndexedValueType.INT, i * 10L));
      RunRecord r = new RunRecord(run, i % 2 == 0 ? "Order" : "Invoice", "q", WorkflowExecutionStatus.RUNNING, start,
          null, new Event.WorkflowExecutionStarted("Order", "q", Payload.NULL, i, null,
              WorkflowStartOptions.NONE.withSearchAttributes(atStart)), null);
      for (var s : List.of(store, reference)) {
        s.createRun(r, i >= 20 ? "run-" + (i - 20) : null);
        if (i % 4 == 1) {
          s.upsertSearchAttributes(run, Map.of("Stage", new SearchAttributeValue(IndexedValueType.KEYWORD, "paid"),
              "Amount", new SearchAttributeValue(IndexedValueType.INT, null)), 7);
          // Dispatched again, and an older upsert dispatched late: neither changes anything.
          s.upsertSearchAttributes(run, Map.of("Stage", new SearchAttributeValue(IndexedValueType.KEYWORD, "paid")), 7);
          s.upsertSearchAttributes(run, Map.of("Stage", new SearchAttributeValue(IndexedValueType.KEYWORD, "new")), 5);
        }
        WorkflowExecutionStatus status = statuses[i % statuses.length];
        if (status.isClosed()) {
          s.updateRun(r.closed(status, start.plusSeconds(30)));
        }
      }
    }
    for (String query : List.of("", "ExecutionStatus = 'Running'", "ExecutionStatus = 'Running' ORDER BY StartTime ASC",
        "ExecutionStatus IN ('Completed', 'Failed') AND Customer = 'c-1'", "StartTime >= '2026-01-01T00:03:00Z'",
        "StartTime BETWEEN '2026-01-01T00:01:00Z' AND '2026-01-01T00:04:00Z' AND Stage = 'paid'",
        "ExecutionStatus = 'Running' AND Amount IS NULL", "WorkflowId = 'wf-2'", "WorkflowId = 'wf-2' AND Amount > 100",
        "ExecutionStatus = 'Running' AND (Customer = 'c-0' OR Stage = 'paid') ORDER BY StartTime ASC")) {
      QueryPlan plan = QueryPlan.of(ListQueryParser.parse(query)).requireBounded(false);
      for (int pageSize : List.of(1, 4, 100)) {
        PageToken token = null;
        int pages = 0;
        do {
          VisibilityPage expected = reference.queryRuns(ns, plan, token, pageSize);
          VisibilityPage actual = store.queryRuns(ns, plan, token, pageSize);
          assertEquals(summary(expected), summary(actual), query + " page " + pages + " of " + pageSize);
          assertEquals(expected.nextPageToken(), actual.nextPageToken(), query);
          token = PageToken.decode(actual.nextPageToken());
          pages++;
        } while (token != null);
      }
    }
    // What a plan reads: one id's run items; nothing for an empty status; a page per shard, not the range.
    long before = store.visibilityItemsRead();
    store.queryRuns(ns, QueryPlan.of(ListQueryParser.parse("WorkflowId = 'wf-2' AND Customer = 'c-9'")), null, 10);
    assertEquals(2, store.visibilityItemsRead() - before, "wf-2's two runs, nothing else");
    before = store.visibilityItemsRead();
    store.queryRuns(ns, QueryPlan.of(ListQueryParser.parse("ExecutionStatus = 'Canceled'")), null, 10);
    assertEquals(0, store.visibilityItemsRead() - before);
    before = store.visibilityItemsRead();
    store.queryRuns(ns, QueryPlan.of(ListQueryParser.parse("ExecutionStatus = 'Running'")), null, 1);
    assertTrue(store.visibilityItemsRead() - before <= 4 * 2, "at most page + 1 entries from each of 4 shards");
  }

  /** An item written before search attributes existed (no {@code sa} map) gets one on its first upsert. */
  @Test
  void anUpsertOnARunItemWithoutTheMapCreatesIt() {
    RunRecord r = started();
    client.updateItem(b -> b.tableName(table).key(Map.of(TemporaTable.PK, AttributeValue.fromS(r.run().workflowKey()),
            TemporaTable.SK, AttributeValue.fromS(TemporaTable.runSk(r.run().runId()))))
        .updateExpression("REMOVE sa, saVer"));
    store.upsertSearchAttributes(r.run(), Map.of("Stage", new SearchAttributeValue(IndexedValueType.KEYWORD, "x")), 9);
    store.upsertSearchAttributes(r.run(), Map.of("Stage", new SearchAttributeValue(IndexedValueType.KEYWORD, "y")), 8);
    VisibilityPage page = store.queryRuns(NS, QueryPlan.of(ListQueryParser.parse("WorkflowId = '"
        + r.run().workflowId() + "'")), null, 10);
    assertEquals(Map.of("Stage", new SearchAttributeValue(IndexedValueType.KEYWORD, "x")),
        page.rows().getFirst().searchAttributes());
  }

  private static List<String> summary(VisibilityPage page) {
    return page.rows().stream().map(r -> r.record().run().runId() + " " + r.record().status() + " "
        + r.record().startTime() + " " + new java.util.TreeMap<>(r.searchAttributes())).toList();
  }

  // ------------------------------------------------------------------------------ helpers

  /** Listed records come from the visibility index, which does not carry the start event. */
  private static RunRecord listed(RunRecord r) {
    return new RunRecord(r.run(), r.workflowType(), r.taskQueue(), r.status(), r.startTime(), r.closeTime(), null,
        r.taskFailure());
  }

  private static String workflowId() {
    return "wf-" + IDS.incrementAndGet();
  }

  private static RunRecord running(String workflowId, Instant start, String type) {
    RunKey run = new RunKey(NS, workflowId, UUID.randomUUID().toString());
    return new RunRecord(run, type, "default", WorkflowExecutionStatus.RUNNING, start, null,
        new Event.WorkflowExecutionStarted(type, "default", new Payload("[\"in\"]"), 42, null), null);
  }

  private static RunRecord started() {
    RunRecord r = running(workflowId(), T0, "Order");
    store.createRun(r, null);
    return r;
  }

  /** A batch of {@code events} events, ids continuing from earlier batches of {@code perBatch} events. */
  private static HistoryBatch batch(int seq, int events, int perBatch) {
    List<HistoryEvent> list = new ArrayList<>();
    long first = (long) (seq - 1) * perBatch + 1;
    for (int i = 0; i < events; i++) {
      list.add(new HistoryEvent(first + i, T0.plusMillis(seq * 1000L + i),
          new Event.ActivityTaskCompleted(first + i, new Payload("{\"n\":" + i + "}"), 1)));
    }
    return new HistoryBatch(seq, list, List.of("msg-" + seq));
  }

  private static HistoryBatch payloadBatch(int seq, int events, IntFunction<String> payload) {
    List<HistoryEvent> list = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      list.add(new HistoryEvent(i + 1, T0, new Event.ActivityTaskCompleted(i, new Payload(payload.apply(i)), 1)));
    }
    return new HistoryBatch(seq, list, List.of("msg-" + seq));
  }

  private static String randomHex(int chars) {
    byte[] b = new byte[chars / 2];
    new Random(chars ^ System.nanoTime()).nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static Map<String, AttributeValue> rawItem(RunKey run, String sk) {
    return client.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
        TemporaTable.PK, AttributeValue.fromS(run.workflowKey()), TemporaTable.SK, AttributeValue.fromS(sk)))).item();
  }
}
