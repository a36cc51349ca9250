package dev.tempora.devserver;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Stands in for Lambda's DynamoDB stream event source on the embedded stack: reads the table's
 * stream from DynamoDB Local (every shard, from its start, following new shards), hands each batch
 * of records to the same handler class that runs on Lambda, and, like Lambda with
 * {@code ReportBatchItemFailures}, retries from the first record the handler reports failed, with a
 * backoff. One thread; records of a shard are handed over in order. With a {@link DynamoDbTtlSweeper}
 * (the stack's TTL) every record is shown to it first, and the REMOVE records of its deletes carry
 * the identity AWS gives TTL deletes (type {@value #TTL_IDENTITY_TYPE}, principal {@value
 * #TTL_PRINCIPAL}), which the deployment's stream filter selects.
 */
public final class DynamoDbStreamPoller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DynamoDbStreamPoller.class);
  /**
   * The deployment's batching window (MaximumBatchingWindowInSeconds 1): records gather for a
   * second unless a page fills (100), so the relay is invoked per batch, not per record.
   */
  static final Duration BATCHING_WINDOW = Duration.ofSeconds(1);
  private static final int PAGE = 100;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  static final String TTL_IDENTITY_TYPE = "Service";
  static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

  private final DynamoDbStreamsClient streams;
  private final String streamArn;
  private final RequestHandler<DynamodbEvent, StreamsEventResponse> handler;
  private final String functionName;
  private final DynamoDbTtlSweeper ttl;
  private final Map<String, String> iterators = new LinkedHashMap<>();
  private final Set<String> finishedShards = new HashSet<>();
  private final Thread thread;
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running = true;

  public DynamoDbStreamPoller(DynamoDbStreamsClient streams, String streamArn,
      RequestHandler<DynamodbEvent, StreamsEventResponse> handler, String functionName) {
    this(streams, streamArn, handler, functionName, null);
  }

  /** As above, feeding {@code ttl} (may be null) from the same stream. */
  public DynamoDbStreamPoller(DynamoDbStreamsClient streams, String streamArn,
      RequestHandler<DynamodbEvent, StreamsEventResponse> handler, String functionName, DynamoDbTtlSweeper ttl) {
    this.streams = streams;
    this.streamArn = streamArn;
    this.handler = handler;
    this.functionName = functionName;
    this.ttl = ttl;
    this.thread = Thread.ofPlatform().name("stream-poller").daemon().start(this::loop);
  }

  /** Stream records handed to the handler so far (retries counted again). */
  public long records() {
    return records.get();
  }

  private void loop() {
    long backoffMillis = 0;
    while (running) {
      try {
        boolean fullPage = pollOnce();
        backoffMillis = 0;
        if (!fullPage) {
          sleep(BATCHING_WINDOW.toMillis());
        }
      } catch (SdkException | IllegalStateException e) {
        backoffMillis = Math.min(MAX_BACKOFF.toMillis(), Math.max(100, backoffMillis * 2));
        if (running) {
          log.debug("{}: stream read failed, retrying in {} ms: {}", functionName, backoffMillis, e.toString());
        }
        sleep(backoffMillis);
      }
    }
  }

  /** One pass over the shards; true if a page was full (more may be waiting). */
  private boolean pollOnce() {
    for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
      if (!finishedShards.contains(shard.shardId()) && !iterators.containsKey(shard.shardId())) {
        iterators.put(shard.shardId(), streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
      }
    }
    boolean full = false;
    for (Map.Entry<String, String> e : new ArrayList<>(iterators.entrySet())) {
      String shardId = e.getKey();
      GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(e.getValue()).limit(PAGE));
      String next = page.nextShardIterator();
      full |= page.records().size() >= PAGE;
      if (!page.records().isEmpty()) {
        String failedAt = invoke(page.records());
        if (failedAt != null) {
          // Retry from the failed record, after a pause, as Lambda does.
          failures.incrementAndGet();
          next = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
              .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(failedAt)).shardIterator();
          sleep(Math.min(MAX_BACKOFF.toMillis(), 200L * failures.get()));
        }
      }
      if (next == null) {
        iterators.remove(shardId);
        finishedShards.add(shardId);
      } else {
        iterators.put(shardId, next);
      }
    }
    return full;
  }

  /** Hands the records to the handler; returns the sequence number to retry from, or null. */
  private String invoke(List<Record> page) {
    DynamodbEvent event = new DynamodbEvent();
    List<DynamodbEvent.DynamodbStreamRecord> out = new ArrayList<>(page.size());
    for (Record r : page) {
      if (ttl != null) {
        ttl.observe(r);
      }
      out.add(toLambdaRecord(r));
    }
    event.setRecords(out);
    records.addAndGet(out.size());
    try {
      StreamsEventResponse response = handler.handleRequest(event,
          new LocalLambdaContext(functionName, Duration.ofSeconds(60), 512));
      if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
        return null;
      }
      return response.getBatchItemFailures().getFirst().getItemIdentifier();
    } catch (RuntimeException e) {
      log.warn("{}: handler failed; the batch is retried: {}", functionName, e.toString());
      return page.getFirst().dynamodb().sequenceNumber();
    }
  }

  private DynamodbEvent.DynamodbStreamRecord toLambdaRecord(Record r) {
    DynamodbEvent.DynamodbStreamRecord out = new DynamodbEvent.DynamodbStreamRecord();
    out.setEventID(r.eventID());
    out.setEventName(r.eventNameAsString());
    out.setEventSource("aws:dynamodb");
    StreamRecord sr = new StreamRecord();
    sr.setSequenceNumber(r.dynamodb().sequenceNumber());
    sr.setKeys(convert(r.dynamodb().keys()));
    if (r.dynamodb().hasNewImage()) {
      sr.setNewImage(convert(r.dynamodb().newImage()));
    }
    out.setDynamodb(sr);
    if (r.userIdentity() != null) {
      Identity id = new Identity();
      id.setType(r.userIdentity().type());
      id.setPrincipalId(r.userIdentity().principalId());
      out.setUserIdentity(id);
    } else if (ttl != null && "REMOVE".equals(r.eventNameAsString()) && ttl.deletedByTtl(r.dynamodb().keys())) {
      Identity id = new Identity();
      id.setType(TTL_IDENTITY_TYPE);
      id.setPrincipalId(TTL_PRINCIPAL);
      out.setUserIdentity(id);
    }
    return out;
  }

  private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> convert(
      Map<String, AttributeValue> item) {
    Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out = new HashMap<>();
    item.forEach((k, v) -> out.put(k, convert(v)));
    return out;
  }

  private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue convert(AttributeValue v) {
    var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    switch (v.type()) {
      case S -> out.setS(v.s());
      case N -> out.setN(v.n());
      case B -> out.setB(ByteBuffer.wrap(v.b().asByteArray()));
      case BOOL -> out.setBOOL(v.bool());
      case NUL -> out.setNULL(true);
      case SS -> out.setSS(v.ss());
      case NS -> out.setNS(v.ns());
      case M -> out.setM(convert(v.m()));
      case L -> out.setL(v.l().stream().map(DynamoDbStreamPoller::convert).toList());
      default -> { }  // binary sets: the relay never reads them
    }
    return out;
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      running = false;
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
