package dev.tempora.devserver;

import java.math.BigDecimal;
import java.time.InstantSource;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Stands in for DynamoDB's TTL deletion on the embedded stack, because DynamoDB Local 2.6.1's own
 * cannot delete from the Tempora table: its {@code TimeToLiveDeletionJob} builds an expired item's
 * key from every attribute <em>definition</em> of the table, GSI keys included, so an item without
 * one of them (every closed run lacks the sparse {@code parked} key) fails validation ("The supplied
 * Item contains a null AttributeValue"); that exception escapes the job, which then never leaves
 * the emulator's job register, so TTL stays dead for the table until the server stops.
 *
 * <p>What this does instead, as DynamoDB does: an item whose TTL attribute (the table's, from
 * DescribeTimeToLive) is a number of epoch seconds not after now, and not more than five years
 * before it, is deleted, with a condition that re-checks the expiry on the stored item. It learns
 * the items and their expiry from the table's stream ({@link #observe}, fed by {@link
 * DynamoDbStreamPoller}; the stream must carry new images), so it never scans the table. "Now" is
 * the stack's clock, so {@link DevServer#advanceClock} also brings retention forward. The poller
 * asks {@link #deletedByTtl} to mark the REMOVE records of these deletes as AWS does, with {@code
 * userIdentity} type {@code Service} and principal {@code dynamodb.amazonaws.com} (DynamoDB Local's
 * own TTL deletes would carry that identity too).
 */
public final class DynamoDbTtlSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DynamoDbTtlSweeper.class);
  private static final long TICK_MILLIS = 250;
  /** DynamoDB leaves items whose expiry is more than five years past (as DynamoDB Local does). */
  private static final Period MAX_AGE = Period.ofYears(5);
  /** Keys of recent TTL deletes, for marking their REMOVE records; the poller reads them within seconds. */
  private static final int REMEMBERED_DELETES = 10_000;

  private final DynamoDbClient dynamo;
  private final String tableName;
  private final String attribute;
  private final InstantSource clock;
  private final Map<Map<String, AttributeValue>, Long> expiries = new HashMap<>();
  private final TreeMap<Long, Set<Map<String, AttributeValue>>> byExpiry = new TreeMap<>();
  private final Set<Map<String, AttributeValue>> deletedByTtl = Collections.newSetFromMap(
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Map<String, AttributeValue>, Boolean> eldest) {
          return size() > REMEMBERED_DELETES;
        }
      });
  private final AtomicLong deleted = new AtomicLong();
  private final Object sweeping = new Object();
  private final Thread thread;
  private volatile boolean running = true;

  /** Reads the table's TTL setting; with TTL disabled, {@link #observe} tracks nothing. Starts sweeping. */
  public DynamoDbTtlSweeper(DynamoDbClient dynamo, String tableName, InstantSource clock) {
    this.dynamo = dynamo;
    this.tableName = tableName;
    this.clock = clock;
    TimeToLiveDescription ttl = dynamo.describeTimeToLive(b -> b.tableName(tableName)).timeToLiveDescription();
    this.attribute = ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED ? ttl.attributeName() : null;
    this.thread = Thread.ofPlatform().name("ttl-sweeper").daemon().start(this::loop);
  }

  /** Items deleted so far. */
  public long deleted() {
    return deleted.get();
  }

  /** Items known to carry an expiry (not deleted yet). */
  public synchronized int tracked() {
    return expiries.size();
  }

  /** When the item with this key expires (epoch seconds), if it is known to carry an expiry. */
  public synchronized OptionalLong expiresAt(Map<String, AttributeValue> key) {
    Long at = expiries.get(key);
    return at == null ? OptionalLong.empty() : OptionalLong.of(at);
  }

  /** Learns an item's expiry (or that it has none, or is gone) from a stream record. Records of one key in order. */
  public synchronized void observe(Record r) {
    if (attribute == null || r.dynamodb() == null || !r.dynamodb().hasKeys()) {
      return;
    }
    Map<String, AttributeValue> key = Map.copyOf(r.dynamodb().keys());
    untrack(key, null);
    if ("REMOVE".equals(r.eventNameAsString())) {
      return;
    }
    deletedByTtl.remove(key);  // the key lives again
    AttributeValue v = r.dynamodb().hasNewImage() ? r.dynamodb().newImage().get(attribute) : null;
    if (v != null && v.n() != null) {
      try {
        long at = new BigDecimal(v.n()).longValue();
        expiries.put(key, at);
        byExpiry.computeIfAbsent(at, k -> new HashSet<>()).add(key);
      } catch (NumberFormatException | ArithmeticException e) {
        // Not a number DynamoDB would read as a time: such items never expire.
      }
    }
  }

  /** Whether the last delete of this key was this TTL's (for a REMOVE record's userIdentity). */
  public synchronized boolean deletedByTtl(Map<String, AttributeValue> keys) {
    return deletedByTtl.contains(keys);
  }

  /** Deletes the items due now; returns how many. Runs every {@value #TICK_MILLIS} ms by itself. */
  public int sweep() {
    synchronized (sweeping) {  // one sweep at a time: a second delete of a deleted key would unmark it
      return sweepOnce();
    }
  }

  private int sweepOnce() {
    long now = clock.instant().getEpochSecond();
    long oldest = clock.instant().atOffset(ZoneOffset.UTC).minus(MAX_AGE).toEpochSecond();
    List<Map.Entry<Map<String, AttributeValue>, Long>> due = new ArrayList<>();
    synchronized (this) {
      for (var e : byExpiry.headMap(now, true).entrySet()) {
        for (var key : e.getValue()) {
          due.add(Map.entry(key, e.getKey()));
        }
      }
    }
    int count = 0;
    for (var e : due) {
      if (e.getValue() < oldest) {
        synchronized (this) {
          untrack(e.getKey(), e.getValue());
        }
        continue;
      }
      if (delete(e.getKey(), e.getValue(), now)) {
        count++;
      }
    }
    return count;
  }

  private boolean delete(Map<String, AttributeValue> key, long expiry, long now) {
    synchronized (this) {
      deletedByTtl.add(key);  // before the delete: the poller may read its REMOVE before we return
    }
    try {
      // The stored item must still be expired: it may have been given a later expiry meanwhile.
      dynamo.deleteItem(b -> b.tableName(tableName).key(key)
          .conditionExpression("#ttl <= :now").expressionAttributeNames(Map.of("#ttl", attribute))
          .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now)))));
      deleted.incrementAndGet();
      synchronized (this) {
        untrack(key, expiry);
      }
      return true;
    } catch (ConditionalCheckFailedException e) {
      synchronized (this) {
        deletedByTtl.remove(key);
        untrack(key, expiry);  // its newer record (a later expiry, or none) is tracked on its own
      }
      return false;
    } catch (SdkException e) {
      synchronized (this) {
        deletedByTtl.remove(key);
      }
      log.debug("TTL delete of {} in {} failed, will be retried: {}", key, tableName, e.toString());
      return false;
    }
  }

  /** Forgets a key's expiry; with {@code onlyIf} set, only if it is still that one. */
  private void untrack(Map<String, AttributeValue> key, Long onlyIf) {
    Long at = expiries.get(key);
    if (at == null || (onlyIf != null && !onlyIf.equals(at))) {
      return;
    }
    expiries.remove(key);
    Set<Map<String, AttributeValue>> keys = byExpiry.get(at);
    if (keys != null && keys.remove(key) && keys.isEmpty()) {
      byExpiry.remove(at);
    }
  }

  private void loop() {
    while (running) {
      try {
        sweep();
      } catch (RuntimeException e) {
        log.warn("TTL sweep of {} failed: {}", tableName, e.toString());
      }
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
