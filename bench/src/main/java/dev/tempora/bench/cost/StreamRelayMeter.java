package dev.tempora.bench.cost;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The stream relay's Lambda use as AWS would bill it, measured on the embedded stack, where a
 * poller thread reads the table's stream and hands every page of records to the relay's handler
 * (ADR 8). On AWS the deployment's event filter (infra-cdk {@code TableStreamRelay}) drops the
 * records the relay ignores before Lambda is invoked, at no charge, so a page counts as one
 * invocation only if one of its records passes that filter ({@link #invokes}), and its duration
 * runs from the end of the page's GetRecords call to the poller's next stream call (the handler's
 * work, mostly its GetItem and SendMessage calls). Every page the poller reads is counted, so the
 * invocation count is an upper bound: Lambda gathers records for up to a second (batches of up
 * to 100) where the poller hands each page over as soon as it has it.
 */
public final class StreamRelayMeter implements ExecutionInterceptor {
  private static final int REMEMBERED_TTL_DELETES = 10_000;

  private final Supplier<String> currentComponent;
  private final String relay;
  private final String ttl;
  private final ThreadLocal<Long> handing = new ThreadLocal<>();
  private final LongAdder invocations = new LongAdder();
  private final LongAdder records = new LongAdder();
  private final LongAdder handlerNanos = new LongAdder();
  private final Set<Map<String, AttributeValue>> ttlDeletes = Collections.synchronizedSet(Collections.newSetFromMap(
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Map<String, AttributeValue>, Boolean> eldest) {
          return size() > REMEMBERED_TTL_DELETES;
        }
      }));
  private volatile boolean recording;

  /**
   * @param currentComponent names the component of the calling thread (as for {@link AwsCallRecorder})
   * @param relay the component of the stream poller's thread, which runs the relay's handler
   * @param ttl the component of DynamoDB's TTL deletes (their REMOVE records invoke the relay)
   */
  public StreamRelayMeter(Supplier<String> currentComponent, String relay, String ttl) {
    this.currentComponent = currentComponent;
    this.relay = relay;
    this.ttl = ttl;
  }

  /** Clears the counts and starts counting. */
  public void start() {
    invocations.reset();
    records.reset();
    handlerNanos.reset();
    recording = true;
  }

  /** Stops counting; returns the relay's use since {@link #start()} (its function at {@code memoryMb}). */
  public LambdaUsage stop(String function, int memoryMb) {
    recording = false;
    return new LambdaUsage(function, memoryMb, invocations.sum(), handlerNanos.sum(), 0);
  }

  /** Records passed to the relay since {@link #start()} that its filter lets through. */
  public long records() {
    return records.sum();
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (!isStreams(attributes) || !relay.equals(currentComponent.get())) return;
    Long since = handing.get();
    if (since != null) {
      handing.remove();
      if (recording) handlerNanos.add(System.nanoTime() - since);
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    String component = currentComponent.get();
    if (context.request() instanceof DeleteItemRequest d && ttl.equals(component)) {
      ttlDeletes.add(Map.copyOf(d.key()));
      return;
    }
    if (!recording || !relay.equals(component) || !(context.response() instanceof GetRecordsResponse page)) return;
    long passed = page.records().stream().filter(r -> invokes(r, ttlDeletes::contains)).count();
    if (passed > 0) {
      invocations.increment();
      records.add(passed);
      handing.set(System.nanoTime());
    }
  }

  private static boolean isStreams(ExecutionAttributes attributes) {
    return "DynamoDbStreams".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
  }

  /**
   * Whether the deployment's stream filter passes this record: a run item inserted ({@code sk}
   * starting {@code run#}), an item inserted with {@code closes = true} (a closing batch), or an
   * item removed by TTL (DynamoDB's identity on the record, or a delete the TTL stand-in made:
   * DynamoDB Local's records carry no identity; the stand-in's poller adds it when it hands them on).
   */
  static boolean invokes(Record r, Predicate<Map<String, AttributeValue>> deletedByTtl) {
    if (r.dynamodb() == null || !r.dynamodb().hasKeys()) return false;
    return switch (r.eventNameAsString()) {
      case "INSERT" -> {
        AttributeValue sk = r.dynamodb().keys().get("sk");
        AttributeValue closes = r.dynamodb().hasNewImage() ? r.dynamodb().newImage().get("closes") : null;
        yield (sk != null && sk.s() != null && sk.s().startsWith("run#"))
            || (closes != null && Boolean.TRUE.equals(closes.bool()));
      }
      case "REMOVE" -> ttlIdentity(r.userIdentity()) || deletedByTtl.test(r.dynamodb().keys());
      default -> false;
    };
  }

  private static boolean ttlIdentity(Identity id) {
    return id != null && "Service".equals(id.type()) && "dynamodb.amazonaws.com".equals(id.principalId());
  }
}
