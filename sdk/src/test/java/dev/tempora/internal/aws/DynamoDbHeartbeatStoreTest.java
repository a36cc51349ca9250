package dev.tempora.internal.aws;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.history.Payload;
import dev.tempora.internal.converter.PayloadTooLargeException;
import dev.tempora.internal.history.RunKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(DynamoDbLocalServer.Extension.class)
class DynamoDbHeartbeatStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant WALL = Instant.parse("2030-06-01T00:00:00Z");

  private static DynamoDbClient client;
  private static String table;
  private static DynamoDbHeartbeatStore store;

  @BeforeAll
  static void createTable(DynamoDbLocalServer server) {
    client = server.client();
    table = server.newTable("heartbeats");
    store = new DynamoDbHeartbeatStore(client, table, Duration.ofDays(7), Clock.fixed(WALL, ZoneOffset.UTC));
  }

  @AfterAll
  static void dropTable() {
    client.deleteTable(b -> b.tableName(table));
  }

  @Test
  void heartbeatAndCancelRoundTrip() {
    RunKey run = run();
    assertTrue(store.lastDetails(run, 3).isEmpty());
    assertFalse(store.isCancelRequested(run, 3));

    assertFalse(store.heartbeat(run, 3, new Payload("{\"done\":1}"), T0));
    assertEquals(new Payload("{\"done\":1}"), store.lastDetails(run, 3).orElseThrow());
    assertFalse(store.isCancelRequested(run, 3));

    store.requestCancel(run, 3);
    assertTrue(store.isCancelRequested(run, 3));
    // The next heartbeat learns of the cancel in its own response, and still records its details.
    assertTrue(store.heartbeat(run, 3, new Payload("{\"done\":2}"), T0.plusSeconds(1)));
    assertEquals(new Payload("{\"done\":2}"), store.lastDetails(run, 3).orElseThrow());
    assertTrue(store.heartbeat(run, 3, null, T0.plusSeconds(2)), "cancel requests stick");
    assertTrue(store.lastDetails(run, 3).isEmpty(), "a heartbeat without details clears them");

    // Other activities of the run are separate items.
    assertFalse(store.isCancelRequested(run, 4));
    assertFalse(store.heartbeat(run, 4, Payload.NULL, T0));
  }

  @Test
  void theFirstDeliveryClaimsAnAttemptAndKeepsIt() {
    RunKey run = run();
    assertTrue(store.claimAttempt(run, 4, 1, "msg-a").won());
    assertTrue(store.claimAttempt(run, 4, 1, "msg-a").won(), "a redelivery of the same message runs again");
    assertFalse(store.claimAttempt(run, 4, 1, "msg-b").won(), "a re-sent duplicate does not");
    assertTrue(store.claimAttempt(run, 4, 2, "msg-b").won(), "each attempt has its own claim");
    store.requestCancel(run, 4);
    assertTrue(store.claimAttempt(run, 4, 3, "msg-c").cancelRequested());
  }

  @Test
  void cancelBeforeTheFirstHeartbeat() {
    RunKey run = run();
    store.requestCancel(run, 1);
    assertTrue(store.isCancelRequested(run, 1));
    assertTrue(store.lastDetails(run, 1).isEmpty());
    assertTrue(store.heartbeat(run, 1, new Payload("\"x\""), T0));
  }

  @Test
  void itemLayoutAndExpiry() {
    RunKey run = run();
    store.heartbeat(run, 9, new Payload("[1]"), T0.plusMillis(5));
    Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(Map.of(
        TemporaTable.PK, AttributeValue.fromS(run.workflowKey()),
        TemporaTable.SK, AttributeValue.fromS(run.runId() + "#a#9")))).item();
    assertEquals("[1]", item.get("details").s());
    assertEquals("2026-01-01T00:00:00.005000000Z", item.get("at").s());
    assertEquals(WALL.plus(Duration.ofDays(7)).getEpochSecond(), Long.parseLong(item.get(TemporaTable.TTL).n()),
        "heartbeat items expire by the wall clock, not workflow time");
  }

  @Test
  void oversizedDetailsAreRefusedWithANamedError() {
    RunKey run = run();
    Payload huge = new Payload("\"" + "x".repeat(DynamoDbHeartbeatStore.MAX_DETAILS_BYTES) + "\"");
    assertThrows(PayloadTooLargeException.class, () -> store.heartbeat(run, 1, huge, T0));
    assertTrue(store.lastDetails(run, 1).isEmpty());
  }

  /**
   * Issue 10, difference 5: once the run is closed no attempt starts (the claim reads the run's
   * status, also for an activity that has no item yet) and running ones learn it at their next
   * heartbeat (the closer marks the items of that run, not of the workflow id's other runs).
   */
  @Test
  void aClosedRunStopsItsActivities() {
    RunKey run = run();
    RunKey next = new RunKey(run.namespace(), run.workflowId(), UUID.randomUUID().toString());
    putRun(run, "RUNNING");
    putRun(next, "RUNNING");
    assertFalse(store.claimAttempt(run, 1, 1, "m1").runClosed());
    assertFalse(store.claimAttempt(run, 2, 1, "m2").runClosed());
    assertFalse(store.claimAttempt(next, 1, 1, "n1").runClosed());

    putRun(run, "TERMINATED");
    store.runClosed(run);
    assertTrue(store.heartbeat(run, 1, null, T0), "a running attempt learns it at its next heartbeat");
    assertTrue(store.heartbeat(run, 2, null, T0));
    assertFalse(store.heartbeat(next, 1, null, T0), "another run of the same workflow id runs on");
    assertTrue(store.claimAttempt(run, 1, 2, "m3").runClosed(), "a delayed retry does not start");
    assertTrue(store.claimAttempt(run, 3, 1, "m4").runClosed(), "nor a first attempt that had no item yet");
    assertTrue(store.claimAttempt(run(), 1, 1, "m5").runClosed(), "a run whose record expired is closed");
  }

  @Test
  void aCloseThatKnowsTheOpenActivitiesTellsOnlyThemAndCreatesNothing() {
    RunKey run = run();
    putRun(run, "RUNNING");
    assertFalse(store.claimAttempt(run, 1, 1, "m1").runClosed());
    assertFalse(store.claimAttempt(run, 2, 1, "m2").runClosed());

    putRun(run, "COMPLETED");
    store.runClosed(run, Set.of(2L, 9L));
    assertFalse(store.heartbeat(run, 1, null, T0), "closed in history: not told (its outcome is recorded)");
    assertTrue(store.heartbeat(run, 2, null, T0), "open in history: learns it at its next heartbeat");
    assertFalse(itemExists(run, 9), "an open activity no attempt claimed yet gets no item");
    assertTrue(store.claimAttempt(run, 9, 1, "m9").runClosed(), "its first attempt reads the closed run");
    store.runClosed(run, Set.of());
  }

  private static boolean itemExists(RunKey run, long seq) {
    return client.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
        TemporaTable.PK, AttributeValue.fromS(run.workflowKey()),
        TemporaTable.SK, AttributeValue.fromS(TemporaTable.heartbeatSk(run.runId(), seq))))).hasItem();
  }

  private static void putRun(RunKey run, String status) {
    client.putItem(b -> b.tableName(table).item(Map.of(
        TemporaTable.PK, AttributeValue.fromS(run.workflowKey()),
        TemporaTable.SK, AttributeValue.fromS(TemporaTable.runSk(run.runId())),
        RunItems.STATUS, AttributeValue.fromS(status))));
  }

  private static RunKey run() {
    return new RunKey("hb", "wf-" + UUID.randomUUID(), UUID.randomUUID().toString());
  }
}
