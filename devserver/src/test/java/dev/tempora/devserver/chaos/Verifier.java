package dev.tempora.devserver.chaos;

import dev.tempora.client.WorkflowDescription;
import dev.tempora.devserver.DevServer;
import dev.tempora.devserver.EmbeddedAws;
import dev.tempora.internal.aws.DynamoDbHistoryStore;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
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

  Verifier(DevServer server) {
    EmbeddedAws aws = server.aws();
    dynamo = DynamoDbClient.builder().endpointOverride(aws.dynamoEndpoint()).region(EmbeddedAws.REGION)
        .credentialsProvider(aws.credentials()).httpClientBuilder(ApacheHttpClient.builder()).build();
    sqs = SqsClient.builder().endpointOverride(aws.sqsEndpoint()).region(EmbeddedAws.REGION)
        .credentialsProvider(aws.credentials()).httpClientBuilder(ApacheHttpClient.builder()).build();
    namespace = server.config().namespace();
    store = new DynamoDbHistoryStore(dynamo, server.config().tableName());
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

  WorkflowDescription describe(String workflowId) {
    return describer.describe(workflowId);
  }

  @Override
  public void close() {
    dynamo.close();
    sqs.close();
  }
}
