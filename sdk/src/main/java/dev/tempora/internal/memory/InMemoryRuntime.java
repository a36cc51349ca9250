package dev.tempora.internal.memory;

import dev.tempora.client.WorkflowClient;
import dev.tempora.internal.client.RequestValidator;
import dev.tempora.internal.client.WorkflowClientImpl;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.completion.AsyncCompletions;
import dev.tempora.internal.completion.TaskTokens;
import dev.tempora.internal.coordinator.HeartbeatStore;
import dev.tempora.internal.coordinator.HistoryStore;
import dev.tempora.internal.coordinator.Outbox;
import dev.tempora.internal.coordinator.RunnerCache;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.coordinator.WorkflowTaskProcessor;
import dev.tempora.internal.schedules.InMemoryScheduleStore;
import dev.tempora.internal.schedules.InMemoryScheduleTicker;
import dev.tempora.internal.schedules.ScheduleEngine;
import dev.tempora.internal.schedules.ScheduleService;
import dev.tempora.internal.schedules.ScheduleTicker;
import dev.tempora.internal.worker.ActivityRegistry;
import dev.tempora.internal.worker.ActivityTaskExecutor;
import dev.tempora.internal.worker.AttemptOutcomes;
import dev.tempora.internal.worker.LocalActivityExecutor;
import java.time.Instant;
import dev.tempora.internal.observe.SwitchableMetrics;
import dev.tempora.internal.observe.TemporaMetrics;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/** The whole engine wired to in-memory adapters: what {@code TestWorkflowEnvironment} wraps. */
public final class InMemoryRuntime implements AutoCloseable {

  public record Options(String namespace, int runnerCacheSize, long deadlockMillis, Instant startTime, long idSeed,
      WorkflowTaskHooks hooks, long syncActivityMillis) {

    public Options(String namespace, int runnerCacheSize, long deadlockMillis, Instant startTime, long idSeed,
        WorkflowTaskHooks hooks) {
      this(namespace, runnerCacheSize, deadlockMillis, startTime, idSeed, hooks,
          InMemoryEngine.DEFAULT_SYNC_ACTIVITY_MILLIS);
    }
  }

  public final VirtualClock clock;
  public final HistoryStore store;
  public final HeartbeatStore heartbeats;
  public final InMemoryEngine engine;
  public final WorkflowRegistry workflows = new WorkflowRegistry();
  public final ActivityRegistry activities = new ActivityRegistry();
  public final RunnerCache cache;
  public final WorkflowTaskProcessor processor;
  public final ActivityTaskExecutor executor;
  /** Local activities run in the engine's workflow tasks, with the activities registered here. */
  private final LocalActivityExecutor localActivities = new LocalActivityExecutor(activities);
  public final WorkflowService service;
  public final WorkflowClient client;
  public final ScheduleService schedules;
  /** Async activity completion; tokens signed with a random key (they never leave this process). */
  public final AsyncCompletions completions;
  /** Where the engine's metrics go (issue 15): nowhere until a test sets a recorder. */
  public final SwitchableMetrics metrics = new SwitchableMetrics();

  public InMemoryRuntime(Options o) {
    this(o, new InMemoryHistoryStore(), new InMemoryHeartbeatStore());
  }

  /** The same engine with other stores (the DynamoDB parity tests use this). */
  public InMemoryRuntime(Options o, HistoryStore store, HeartbeatStore heartbeats) {
    this.store = store;
    this.heartbeats = heartbeats;
    clock = new VirtualClock(o.startTime());
    engine = new InMemoryEngine(clock, o.syncActivityMillis());
    cache = new RunnerCache(o.runnerCacheSize());
    Outbox outbox = new Outbox(store, engine, engine, heartbeats);
    ScheduleEngine[] scheduleEngine = new ScheduleEngine[1];
    processor = new WorkflowTaskProcessor(store, workflows, cache, outbox, clock, o.hooks(), o.deadlockMillis());
    TemporaMetrics temporaMetrics = new TemporaMetrics(metrics);
    processor.metrics(temporaMetrics);
    completions = new AsyncCompletions(o.namespace(), store, heartbeats,
        new AttemptOutcomes(engine, engine, clock, heartbeats, temporaMetrics), engine, clock, TaskTokens.random());
    processor.onActivityDeadlines(completions::takeDeadlines);
    executor = new ActivityTaskExecutor(activities, engine, engine, heartbeats, clock, completions, temporaMetrics);
    processor.localActivities(localActivities);
    Random ids = new Random(o.idSeed());
    service = new WorkflowService(o.namespace(), store, engine, processor::query, engine, clock, () -> {
      synchronized (ids) {
        return new UUID(ids.nextLong(), ids.nextLong());
      }
    }, new RequestValidator(workflows, Set.of()), heartbeats::runClosed) // in memory, every task queue is served
        .activityProgress(heartbeats);
    InMemoryScheduleStore scheduleStore = new InMemoryScheduleStore();
    ScheduleTicker ticker = new InMemoryScheduleTicker(engine, clock, () -> scheduleEngine[0]);
    scheduleEngine[0] = new ScheduleEngine(o.namespace(), scheduleStore, ticker, service, clock);
    outbox.onClose(scheduleEngine[0]::runClosed);
    schedules = new ScheduleService(o.namespace(), scheduleStore, ticker, scheduleEngine[0], service,
        new RequestValidator(workflows, Set.of()), clock);
    outbox.connect(service);
    client = new WorkflowClientImpl(service, schedules, completions, workflows.dataConverter());
    engine.start(processor, executor);
  }

  @Override
  public void close() {
    engine.close();
    executor.close();
    localActivities.close();
    cache.invalidateAll();
  }
}
