package dev.tempora.bench.cost;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Counts every AWS API call made through the SDK v2 clients it is installed on, by component
 * (which function or the client made it), service, operation and resource (the SQS queue), with
 * the units AWS bills: SQS requests in 64 KB payload chunks, DynamoDB read and write request units.
 *
 * <p>DynamoDB units come from the service where it reports them: the interceptor asks every
 * request for {@code ReturnConsumedCapacity=TOTAL} (the application ignores the extra field) and
 * sums {@code CapacityUnits}. Where a response carries none, the units are computed from the
 * item sizes in the request or response ({@link BillingUnits}); {@link Row#computedCapacityCalls}
 * says how often that happened. A conditional write that fails its condition is billed by
 * DynamoDB as well; it is counted as one write unit (its item size is not known here).
 * Transactional writes are always computed: DynamoDB Local 2.6.1 reports about four times a
 * plain write's units for them (12 for a start's two small items and one index entry, which
 * DynamoDB bills 2 + 2 + 1 = 5), so the table's writes are priced at twice their size, as
 * DynamoDB bills them, and each index entry they create at a plain write of its projection
 * ({@link #indexes}).
 *
 * <p>Calls are counted only between {@link #start()} and {@link #stop()}; a call is attributed to
 * the component current on its thread when it begins ({@link #as} for client calls,
 * otherwise the supplier given to the constructor, e.g. the Lambda function a poller thread serves).
 */
public final class AwsCallRecorder implements ExecutionInterceptor {

  private static final ExecutionAttribute<String> COMPONENT = new ExecutionAttribute<>("tempora.bench.component");
  private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("tempora.bench.started");

  private final Supplier<String> currentComponent;
  private final ThreadLocal<String> component = new ThreadLocal<>();
  private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();
  private volatile List<Index> indexes = List.of();
  private volatile boolean recording;

  /** @param currentComponent names the component of the calling thread when it is not a client call */
  public AwsCallRecorder(Supplier<String> currentComponent) {
    this.currentComponent = currentComponent;
  }

  /**
   * The global secondary indexes of the tables written in transactions, for pricing the index
   * entries a transactional put creates (DynamoDB propagates them after the transaction, as
   * plain writes).
   */
  public void indexes(List<Index> list) {
    indexes = List.copyOf(list);
  }

  /** Clears the counts and starts counting. */
  public void start() {
    tallies.clear();
    recording = true;
  }

  /** Stops counting and returns what was counted since {@link #start()}. */
  public CallCounts stop() {
    recording = false;
    return snapshot();
  }

  public CallCounts snapshot() {
    return new CallCounts(tallies.entrySet().stream().map(e -> e.getValue().row(e.getKey())).toList());
  }

  /** Runs {@code action} on this thread with its AWS calls attributed to {@code name} (e.g. "client: start"). */
  public <T> T as(String name, Supplier<T> action) {
    String before = component.get();
    component.set(name);
    try {
      return action.get();
    } finally {
      component.set(before);
    }
  }

  // --- the interceptor ---

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (!recording) return;
    String named = component.get();
    attributes.putAttribute(COMPONENT, named != null ? named : currentComponent.get());
    attributes.putAttribute(STARTED, System.nanoTime());
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    if (attributes.getAttribute(COMPONENT) == null) return context.request();
    return withConsumedCapacity(context.request());
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    String component = attributes.getAttribute(COMPONENT);
    if (component == null) return;
    SdkRequest request = context.request();
    SdkResponse response = context.response();
    Tally t = tally(component, attributes, request);
    t.calls.increment();
    t.nanos.add(System.nanoTime() - attributes.getAttribute(STARTED));
    switch (service(attributes)) {
      case "DynamoDb" -> {
        Double reported = request instanceof TransactWriteItemsRequest ? null : reportedCapacity(response);
        double units = reported != null ? reported : computedCapacity(request, response, indexes);
        // DynamoDB Local reports 0 for a read that finds nothing; DynamoDB bills such a read its
        // minimum (0.5 eventually consistent, 1 strongly consistent), which the computed figure is.
        if (reported != null && reported == 0 && isRead(operation(attributes))) {
          units = computedCapacity(request, response, indexes);
        }
        (reported != null ? t.reportedCapacityCalls : t.computedCapacityCalls).increment();
        if (isRead(operation(attributes))) t.readUnits.add(units); else t.writeUnits.add(units);
      }
      case "Sqs" -> {
        long payload = sqsPayload(request, response);
        t.payloadBytes.add(payload);
        t.billedRequests.add(BillingUnits.sqsRequests(payload));
      }
      default -> t.billedRequests.increment();
    }
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    String component = attributes.getAttribute(COMPONENT);
    if (component == null) return;
    Tally t = tally(component, attributes, context.request());
    t.calls.increment();
    t.nanos.add(System.nanoTime() - attributes.getAttribute(STARTED));
    t.failedCalls.increment();
    t.billedRequests.increment();
    if (context.exception() instanceof ConditionalCheckFailedException) {
      t.writeUnits.add(1);
      t.computedCapacityCalls.increment();
    }
  }

  private Tally tally(String component, ExecutionAttributes attributes, SdkRequest request) {
    return tallies.computeIfAbsent(new Key(component, service(attributes), operation(attributes), resource(request)),
        k -> new Tally());
  }

  private static String service(ExecutionAttributes a) {
    return a.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
  }

  private static String operation(ExecutionAttributes a) {
    return a.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
  }

  /** The SQS queue name a request addresses ("" for other services): FIFO and standard are priced apart. */
  private static String resource(SdkRequest request) {
    return request.getValueForField("QueueUrl", String.class)
        .map(url -> url.substring(url.lastIndexOf('/') + 1))
        .orElse("");
  }

  /** Whether a DynamoDB operation consumes read units (all others consume write units). */
  public static boolean isRead(String operation) {
    return switch (operation) {
      case "GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems" -> true;
      default -> false;
    };
  }

  private static SdkRequest withConsumedCapacity(SdkRequest r) {
    ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
    return switch (r) {
      case PutItemRequest p when p.returnConsumedCapacity() == null -> p.toBuilder().returnConsumedCapacity(total).build();
      case UpdateItemRequest u when u.returnConsumedCapacity() == null -> u.toBuilder().returnConsumedCapacity(total).build();
      case DeleteItemRequest d when d.returnConsumedCapacity() == null -> d.toBuilder().returnConsumedCapacity(total).build();
      case GetItemRequest g when g.returnConsumedCapacity() == null -> g.toBuilder().returnConsumedCapacity(total).build();
      case QueryRequest q when q.returnConsumedCapacity() == null -> q.toBuilder().returnConsumedCapacity(total).build();
      case ScanRequest s when s.returnConsumedCapacity() == null -> s.toBuilder().returnConsumedCapacity(total).build();
      case BatchGetItemRequest b when b.returnConsumedCapacity() == null -> b.toBuilder().returnConsumedCapacity(total).build();
      case BatchWriteItemRequest b when b.returnConsumedCapacity() == null -> b.toBuilder().returnConsumedCapacity(total).build();
      case TransactWriteItemsRequest t when t.returnConsumedCapacity() == null -> t.toBuilder().returnConsumedCapacity(total).build();
      case TransactGetItemsRequest t when t.returnConsumedCapacity() == null -> t.toBuilder().returnConsumedCapacity(total).build();
      default -> r;
    };
  }

  /** Summed CapacityUnits of a DynamoDB response, or null if it reports none. */
  static Double reportedCapacity(SdkResponse response) {
    return switch (response) {
      case PutItemResponse p -> units(p.consumedCapacity());
      case UpdateItemResponse u -> units(u.consumedCapacity());
      case DeleteItemResponse d -> units(d.consumedCapacity());
      case GetItemResponse g -> units(g.consumedCapacity());
      case QueryResponse q -> units(q.consumedCapacity());
      case ScanResponse s -> units(s.consumedCapacity());
      case BatchGetItemResponse b -> b.hasConsumedCapacity() ? units(b.consumedCapacity()) : null;
      case BatchWriteItemResponse b -> b.hasConsumedCapacity() ? units(b.consumedCapacity()) : null;
      case TransactWriteItemsResponse t -> t.hasConsumedCapacity() ? units(t.consumedCapacity()) : null;
      case TransactGetItemsResponse t -> t.hasConsumedCapacity() ? units(t.consumedCapacity()) : null;
      default -> null;
    };
  }

  private static Double units(ConsumedCapacity c) {
    return c == null || c.capacityUnits() == null ? null : c.capacityUnits();
  }

  private static Double units(List<ConsumedCapacity> list) {
    double sum = 0;
    for (ConsumedCapacity c : list) {
      if (c.capacityUnits() == null) return null;
      sum += c.capacityUnits();
    }
    return sum;
  }

  /**
   * Units from item sizes, where the service reported none. Updates, deletes and condition checks
   * are sized by the request's key and values (the stored item may be larger, so this is a floor).
   */
  static double computedCapacity(SdkRequest request, SdkResponse response, List<Index> indexes) {
    return switch (request) {
      case PutItemRequest p -> BillingUnits.writeUnits(BillingUnits.itemBytes(p.item()), false);
      case UpdateItemRequest u -> BillingUnits.writeUnits(
          BillingUnits.itemBytes(u.key()) + BillingUnits.itemBytes(u.expressionAttributeValues()), false);
      case DeleteItemRequest d -> BillingUnits.writeUnits(BillingUnits.itemBytes(d.key()), false);
      case BatchWriteItemRequest b -> b.requestItems().values().stream().flatMap(List::stream)
          .mapToDouble(AwsCallRecorder::batchWriteUnits).sum();
      case TransactWriteItemsRequest t -> t.transactItems().stream().mapToDouble(i -> transactUnits(i, indexes)).sum();
      case GetItemRequest g -> BillingUnits.readUnits(
          response instanceof GetItemResponse r && r.hasItem() ? BillingUnits.itemBytes(r.item()) : 0,
          Boolean.TRUE.equals(g.consistentRead()));
      case QueryRequest q -> BillingUnits.readUnits(
          response instanceof QueryResponse r ? r.items().stream().mapToLong(BillingUnits::itemBytes).sum() : 0,
          Boolean.TRUE.equals(q.consistentRead()));
      case ScanRequest s -> BillingUnits.readUnits(
          response instanceof ScanResponse r ? r.items().stream().mapToLong(BillingUnits::itemBytes).sum() : 0,
          Boolean.TRUE.equals(s.consistentRead()));
      case BatchGetItemRequest b -> response instanceof BatchGetItemResponse r
          ? r.responses().values().stream().flatMap(List::stream)
              .mapToDouble(i -> BillingUnits.readUnits(BillingUnits.itemBytes(i), false)).sum()
          : 0;
      // Transactional reads cost twice a strongly consistent read.
      case TransactGetItemsRequest t -> response instanceof TransactGetItemsResponse r
          ? r.responses().stream().mapToDouble(i -> 2 * BillingUnits.readUnits(
              i.hasItem() ? BillingUnits.itemBytes(i.item()) : 0, true)).sum()
          : 0;
      default -> 0;
    };
  }

  private static double batchWriteUnits(WriteRequest w) {
    Map<String, AttributeValue> item = w.putRequest() != null ? w.putRequest().item() : w.deleteRequest().key();
    return BillingUnits.writeUnits(BillingUnits.itemBytes(item), false);
  }

  /**
   * A transactional write: twice its size on the table; a put also writes, at the plain rate, an
   * entry in each index whose keys the item has. (Updates and deletes are sized by their request,
   * a floor, and their index writes are not known here: the engine's only transaction is the
   * start's, which puts.)
   */
  private static double transactUnits(TransactWriteItem i, List<Index> indexes) {
    if (i.put() != null) {
      Map<String, AttributeValue> item = i.put().item();
      double units = BillingUnits.writeUnits(BillingUnits.itemBytes(item), true);
      for (Index index : indexes) {
        if (index.table().equals(i.put().tableName()) && item.keySet().containsAll(index.keys())) {
          units += BillingUnits.writeUnits(BillingUnits.itemBytes(index.project(item)), false);
        }
      }
      return units;
    }
    if (i.update() != null) {
      return BillingUnits.writeUnits(BillingUnits.itemBytes(i.update().key())
          + BillingUnits.itemBytes(i.update().expressionAttributeValues()), true);
    }
    if (i.delete() != null) return BillingUnits.writeUnits(BillingUnits.itemBytes(i.delete().key()), true);
    return BillingUnits.writeUnits(BillingUnits.itemBytes(i.conditionCheck().key()), true);
  }

  /** The billed payload of an SQS call: what a send carries, or what a receive returns. */
  static long sqsPayload(SdkRequest request, SdkResponse response) {
    return switch (request) {
      case SendMessageRequest s -> BillingUnits.sqsMessageBytes(s.messageBody(), s.messageAttributes());
      case SendMessageBatchRequest b -> b.entries().stream()
          .mapToLong(e -> BillingUnits.sqsMessageBytes(e.messageBody(), e.messageAttributes())).sum();
      default -> response instanceof ReceiveMessageResponse r
          ? r.messages().stream().mapToLong(AwsCallRecorder::messageBytes).sum()
          : 0;
    };
  }

  private static long messageBytes(Message m) {
    return BillingUnits.sqsMessageBytes(m.body(), m.messageAttributes());
  }

  /**
   * A global secondary index: its table, its key attributes, and what it projects besides the
   * table's and its own keys ({@code all} for ProjectionType ALL).
   *
   * @param keys the index's key attributes; an item lacking one has no entry (a sparse index)
   * @param projected every attribute an entry holds (table keys, index keys, included attributes)
   */
  public record Index(String table, String name, Set<String> keys, Set<String> projected, boolean all) {

    /** The entry this index holds for {@code item}: what DynamoDB sizes an index write by. */
    Map<String, AttributeValue> project(Map<String, AttributeValue> item) {
      if (all) return item;
      Map<String, AttributeValue> entry = new HashMap<>();
      item.forEach((k, v) -> {
        if (projected.contains(k)) entry.put(k, v);
      });
      return entry;
    }

    /** The global secondary indexes of a table, from DescribeTable. */
    public static List<Index> of(DescribeTableResponse table) {
      if (!table.table().hasGlobalSecondaryIndexes()) return List.of();
      Set<String> tableKeys = names(table.table().keySchema());
      return table.table().globalSecondaryIndexes().stream().map(g -> {
        Set<String> keys = names(g.keySchema());
        Set<String> projected = new HashSet<>(tableKeys);
        projected.addAll(keys);
        if (g.projection().hasNonKeyAttributes()) projected.addAll(g.projection().nonKeyAttributes());
        return new Index(table.table().tableName(), g.indexName(), keys, Set.copyOf(projected),
            g.projection().projectionType() == ProjectionType.ALL);
      }).toList();
    }

    private static Set<String> names(List<KeySchemaElement> schema) {
      return schema.stream().map(KeySchemaElement::attributeName).collect(Collectors.toUnmodifiableSet());
    }
  }

  // --- counts ---

  private record Key(String component, String service, String operation, String resource) {}

  private static final class Tally {
    final LongAdder calls = new LongAdder();
    final LongAdder failedCalls = new LongAdder();
    final LongAdder billedRequests = new LongAdder();
    final LongAdder payloadBytes = new LongAdder();
    final DoubleAdder readUnits = new DoubleAdder();
    final DoubleAdder writeUnits = new DoubleAdder();
    final LongAdder reportedCapacityCalls = new LongAdder();
    final LongAdder computedCapacityCalls = new LongAdder();
    final LongAdder nanos = new LongAdder();

    Row row(Key k) {
      return new Row(k.component(), k.service(), k.operation(), k.resource(), calls.sum(), failedCalls.sum(),
          billedRequests.sum(), payloadBytes.sum(), readUnits.sum(), writeUnits.sum(), reportedCapacityCalls.sum(),
          computedCapacityCalls.sum(), nanos.sum());
    }
  }

  /**
   * The counts of one (component, service, operation, resource).
   *
   * @param billedRequests for SQS: requests in 64 KB payload chunks; for other services: calls
   * @param readUnits DynamoDB read request units
   * @param writeUnits DynamoDB write request units
   * @param reportedCapacityCalls DynamoDB calls whose units the service reported
   * @param computedCapacityCalls DynamoDB calls whose units were computed from item sizes
   * @param nanos summed wall time of the calls, as the caller saw it (where the time goes)
   */
  public record Row(String component, String service, String operation, String resource, long calls,
      long failedCalls, long billedRequests, long payloadBytes, double readUnits, double writeUnits,
      long reportedCapacityCalls, long computedCapacityCalls, long nanos) {}
}
