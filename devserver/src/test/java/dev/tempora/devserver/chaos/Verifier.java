package dev.tempora.devserver.chaos;

import dev.tempora.client.WorkflowDescription;
import dev.tempora.devserver.DevServer;
import dev.tempora.devserver.EmbeddedAws;
import dev.tempora.internal.aws.DynamoDbHistoryStore;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.ParkedTask;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The suite's own view of the stack, through clients of its own (no interceptor, so no fault):
 * run records, histories batch by batch, describe, and the queues.
 */
final class Verifier implements AutoCloseable {
  final DynamoDbClient dynamo;
  final SqsClient sqs;
  final DynamoDbHistoryStore store;
  private final WorkflowService describer;
  private final String namespace;
  private final String table;

  Verifier(DevServer server) {
    EmbeddedAws aws = server.aws();
    dynamo = DynamoDbClient.builder().endpointOverride(aws.dynamoEndpoint()).region(EmbeddedAws.REGION)
        .credentialsProvider(aws.credentials()).httpClientBuilder(ApacheHttpClient.builder()).build();
    sqs = SqsClient.builder().endpointOverride(aws.sqsEndpoint()).region(EmbeddedAws.REGION)
        .credentialsProvider(aws.credentials()).httpClientBuilder(ApacheHttpClient.builder()).build();
    namespace = server.config().namespace();
    table = server.config().tableName();
    store = new DynamoDbHistoryStore(dynamo, table);
    describer = new WorkflowService(namespace, store, messages -> {
      throw new UnsupportedOperationException("the verifier sends nothing");
    }, (run, name, args) -> {
      throw new UnsupportedOperationException("the verifier runs no queries");
    }, (closed, timeout) -> {
      throw new UnsupportedOperationException("the verifier waits for nothing");
    }, InstantSource.system(), UUID::randomUUID, server.runtime().validator);
  }

  Optional<RunRecord> currentRun(String workflowId) {
    return store.currentRun(namespace, workflowId);
  }

  List<HistoryBatch> history(RunKey run) {
    return store.readHistory(run, 0);
  }

  Optional<HistoryBatch> lastBatch(RunKey run) {
    return store.readLastBatch(run);
  }

  /** The parked task in history slot {@code seq}, if any (where the run's next batch would go). */
  Optional<ParkedTask> parked(RunKey run, int seq) {
    return store.readParked(run, seq);
  }

  /**
   * The run's activity items ({@code <runId>#a#<seq>}: claims by attempt, done and cancel flags),
   * each as "seq {attribute=value, ...}" without the TTL and heartbeat details.
   */
  List<String> activityItems(RunKey run) {
    String prefix = run.runId() + "#a#";
    List<String> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(run.workflowKey()),
            ":prefix", AttributeValue.fromS(prefix)))).items()) {
      Map<String, String> shown = new TreeMap<>();
      item.forEach((k, v) -> {
        if (!Set.of("pk", "sk", "ttl", "details", "detailsMetadata").contains(k)) {
          shown.put(k, v.s() != null ? v.s() : v.bool() != null ? v.bool().toString() : String.valueOf(v.n()));
        }
      });
      out.add(item.get("sk").s().substring(prefix.length()) + " " + shown);
    }
    return out;
  }

  WorkflowDescription describe(String workflowId) {
    return describer.describe(workflowId);
  }

  @Override
  public void close() {
    dynamo.close();
    sqs.close();
  }
}
