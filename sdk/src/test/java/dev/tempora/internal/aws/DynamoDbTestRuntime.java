package dev.tempora.internal.aws;

import dev.tempora.client.WorkflowClient;
import dev.tempora.internal.client.WorkflowClientImpl;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.coordinator.Outbox;
import dev.tempora.internal.coordinator.RunnerCache;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import dev.tempora.internal.coordinator.WorkflowTaskProcessor;
import dev.tempora.internal.memory.InMemoryEngine;
import dev.tempora.internal.memory.InMemoryRuntime;
import dev.tempora.internal.memory.VirtualClock;
import dev.tempora.internal.worker.ActivityRegistry;
import dev.tempora.internal.worker.ActivityTaskExecutor;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link InMemoryRuntime}'s wiring with the DynamoDB stores in place of the in-memory ones: the
 * in-memory engine still provides queues, timers and time skipping, so a workflow run here must
 * produce exactly the history it produces in the test environment.
 */
final class DynamoDbTestRuntime implements AutoCloseable {
  final VirtualClock clock;
  final DynamoDbHistoryStore store;
  final DynamoDbHeartbeatStore heartbeats;
  final InMemoryEngine engine;
  final WorkflowRegistry workflows = new WorkflowRegistry();
  final ActivityRegistry activities = new ActivityRegistry();
  final RunnerCache cache;
  final WorkflowTaskProcessor processor;
  final ActivityTaskExecutor executor;
  final WorkflowClient client;

  DynamoDbTestRuntime(DynamoDbClient dynamo, String table, InMemoryRuntime.Options o) {
    clock = new VirtualClock(o.startTime());
    store = new DynamoDbHistoryStore(dynamo, table, Duration.ofDays(30));
    heartbeats = new DynamoDbHeartbeatStore(dynamo, table);
    engine = new InMemoryEngine(clock);
    cache = new RunnerCache(o.runnerCacheSize());
    Outbox outbox = new Outbox(store, engine, engine, heartbeats);
    processor = new WorkflowTaskProcessor(store, workflows, cache, outbox, clock, o.hooks(), o.deadlockMillis());
    executor = new ActivityTaskExecutor(activities, engine, engine, heartbeats, clock);
    Random ids = new Random(o.idSeed());
    WorkflowService service = new WorkflowService(o.namespace(), store, engine, processor::query, engine, clock, () -> {
      synchronized (ids) {
        return new UUID(ids.nextLong(), ids.nextLong());
      }
    });
    client = new WorkflowClientImpl(service);
    engine.start(processor, executor);
  }

  @Override
  public void close() {
    engine.close();
    executor.close();
    cache.invalidateAll();
  }
}
