package dev.tempora.internal.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.aws.AwsTimerService;
import dev.tempora.internal.client.RequestValidator;
import dev.tempora.internal.client.WorkflowClientImpl;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.OpenTimers;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.memory.InMemoryEngine;
import dev.tempora.internal.memory.InMemoryHeartbeatStore;
import dev.tempora.internal.memory.InMemoryHistoryStore;
import dev.tempora.internal.memory.VirtualClock;
import dev.tempora.internal.worker.ActivityRegistry;
import dev.tempora.internal.worker.ActivityTaskExecutor;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.CancellationScope;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The outbox cancels only timers that may exist, with the length history recorded for them, and
 * does so the same whether the runner was cached or replayed from scratch for every task.
 */
class OutboxTimerCancelTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String NS = "default";
  private static final String WORKFLOW_ID = "steps";

  @ActivityInterface
  public interface Step {
    String work(String name);
  }

  public static class StepImpl implements Step {
    @Override
    public String work(String name) {
      return name;
    }
  }

  @WorkflowInterface
  public interface Steps {
    @WorkflowMethod
    String run();
  }

  /**
   * Commands by seq (an async activity's thread runs only once the main thread blocks, so the
   * timed await's timer comes first): 1 activity a (no schedule-to-close timeout), 2 activity b
   * (5 minutes), 3 a 10-minute timer cancelled when 4, activity c (1 hour), completes, 5 a
   * 2-hour timer cancelled when 6, activity d (none), completes, 7 activity e (1 hour) cancelled
   * in the task that schedules it, 8 a 1-minute timer that fires.
   */
  public static class StepsImpl implements Steps {
    private static Step stub(Duration scheduleToClose) {
      ActivityOptions.Builder options = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1));
      if (scheduleToClose != null) {
        options.setScheduleToCloseTimeout(scheduleToClose);
      }
      return Workflow.newActivityStub(Step.class, options.build());
    }

    @Override
    public String run() {
      Step none = stub(null);
      Step fiveMinutes = stub(Duration.ofMinutes(5));
      Step hour = stub(Duration.ofHours(1));
      String a = none.work("a");
      String b = fiveMinutes.work("b");
      Promise<String> c = Async.function(hour::work, "c");
      Workflow.await(Duration.ofMinutes(10), c::isCompleted);
      Promise<String> d = Async.function(none::work, "d");
      Workflow.await(Duration.ofHours(2), d::isCompleted);
      boolean[] scheduling = {false};
      CancellationScope scope = Workflow.newCancellationScope(() -> Async.function(() -> {
        scheduling[0] = true;
        return hour.work("e");
      }));
      scope.run();
      // The activity's thread runs up to scheduling it and blocks; then it is cancelled, in the same task.
      Workflow.await(() -> scheduling[0]);
      scope.cancel();
      Workflow.sleep(Duration.ofMinutes(1));
      return a + b + c.get() + d.get();
    }
  }

  record Cancel(String timerId, Duration scheduledFor) {}

  /** Passes everything to the in-memory engine and records the cancels. */
  static final class RecordingTimers implements TimerService {
    final List<Cancel> cancels = new CopyOnWriteArrayList<>();
    private final TimerService delegate;

    RecordingTimers(TimerService delegate) {
      this.delegate = delegate;
    }

    @Override
    public void schedule(String timerId, Instant fireAt, WorkflowTaskMessage message) {
      delegate.schedule(timerId, fireAt, message);
    }

    @Override
    public void cancel(String timerId, Duration scheduledFor) {
      cancels.add(new Cancel(timerId, scheduledFor));
      delegate.cancel(timerId, scheduledFor);
    }
  }

  /** The in-memory engine wired as InMemoryRuntime does, with the recording timer service in the outbox. */
  static final class Engine implements AutoCloseable {
    final VirtualClock clock = new VirtualClock(T0);
    final InMemoryHistoryStore store = new InMemoryHistoryStore();
    final InMemoryEngine engine = new InMemoryEngine(clock);
    final RecordingTimers timers = new RecordingTimers(engine);
    final RunnerCache cache;
    final WorkflowTaskProcessor processor;
    final ActivityTaskExecutor executor;
    final WorkflowClient client;

    Engine(int runnerCacheSize) {
      InMemoryHeartbeatStore heartbeats = new InMemoryHeartbeatStore();
      WorkflowRegistry workflows = new WorkflowRegistry();
      workflows.register(StepsImpl.class);
      ActivityRegistry activities = new ActivityRegistry();
      activities.register(new StepImpl());
      cache = new RunnerCache(runnerCacheSize);
      processor = new WorkflowTaskProcessor(store, workflows, cache,
          new Outbox(store, engine, timers, heartbeats), clock, WorkflowTaskHooks.NONE, 5_000);
      executor = new ActivityTaskExecutor(activities, engine, engine, heartbeats, clock);
      Random ids = new Random(7);
      client = new WorkflowClientImpl(new WorkflowService(NS, store, engine, processor::query, engine, clock,
          () -> new UUID(ids.nextLong(), ids.nextLong()), new RequestValidator(workflows, Set.of())));
      engine.start(processor, executor);
    }

    String runSteps() {
      return client.newWorkflowStub(Steps.class, WorkflowOptions.newBuilder().setWorkflowId(WORKFLOW_ID).build()).run();
    }

    RunKey run() {
      return store.currentRun(NS, WORKFLOW_ID).orElseThrow().run();
    }

    @Override
    public void close() {
      engine.close();
      executor.close();
      cache.invalidateAll();
    }
  }

  @Test
  void cancelsOnlyTimersThatExistWithTheirLengthsWarmOrCold() {
    List<HistoryEvent> warmHistory;
    List<Cancel> warmCancels;
    try (Engine warm = new Engine(100)) {
      assertEquals("abcd", warm.runSteps());
      warmHistory = warm.client.fetchHistory(WORKFLOW_ID);
      warmCancels = warm.timers.cancels;
      assertEquals(1, warm.processor.fullReplays(), "one runner throughout");
      RunKey run = warm.run();
      assertEquals(List.of(
          new Cancel(Outbox.activityTimeoutId(run, 2), Duration.ofMinutes(5)),
          new Cancel(Outbox.activityTimeoutId(run, 4), Duration.ofHours(1)),
          new Cancel(Outbox.timerId(run, 3), Duration.ofMinutes(10)),
          new Cancel(Outbox.timerId(run, 5), Duration.ofHours(2)),
          new Cancel(Outbox.activityTimeoutId(run, 7), Duration.ofHours(1))),
          warmCancels, "none for activities a and d, which have no schedule-to-close timer");
      // On AWS only the long ones (activities c and e, the 2-hour timer) cost a DeleteSchedule.
      assertEquals(List.of(Outbox.activityTimeoutId(run, 4), Outbox.timerId(run, 5), Outbox.activityTimeoutId(run, 7)),
          warmCancels.stream().filter(c -> AwsTimerService.mayHaveSchedule(c.scheduledFor())).map(Cancel::timerId)
              .toList());
    }

    // Every task replays history from the start in a new runner (a cache of none evicts at once).
    try (Engine cold = new Engine(0)) {
      assertEquals("abcd", cold.runSteps());
      assertTrue(cold.processor.fullReplays() >= 6, "a full replay for each of the 6 tasks");
      assertEquals(warmHistory, cold.client.fetchHistory(WORKFLOW_ID));
      assertEquals(warmCancels, cold.timers.cancels);
    }
  }

  @Test
  void aBatchReadBackForAReSendCancelsEveryTimerItClosesLengthUnknown() {
    try (Engine e = new Engine(100)) {
      e.runSteps();
      RunKey run = e.run();
      RunRecord record = e.store.getRun(run).orElseThrow();
      List<HistoryBatch> history = e.store.readHistory(run, 0);
      HistoryBatch completesA = batchCompleting(history, 1);
      RecordingTimers timers = new RecordingTimers(e.engine);
      Outbox outbox = new Outbox(e.store, e.engine, timers, new InMemoryHeartbeatStore());

      outbox.dispatch(record, completesA);
      assertEquals(List.of(new Cancel(Outbox.activityTimeoutId(run, 1), null)), timers.cancels,
          "without the run's timers, a timer that may exist is cancelled");

      // Lengths that followed history to another batch do not count for this one.
      OpenTimers upToTheEnd = new OpenTimers();
      history.forEach(upToTheEnd::advance);
      timers.cancels.clear();
      outbox.dispatch(record, completesA, upToTheEnd);
      assertEquals(List.of(new Cancel(Outbox.activityTimeoutId(run, 1), null)), timers.cancels);
    }
  }

  @Test
  void openTimersHoldOnlyOpenEntriesAndThoseTheLastBatchClosed() {
    try (Engine e = new Engine(100)) {
      e.runSteps();
      List<HistoryBatch> history = e.store.readHistory(e.run(), 0);
      OpenTimers open = new OpenTimers();
      List<Integer> sizes = new ArrayList<>();
      for (HistoryBatch b : history) {
        open.advance(b);
        assertTrue(open.covers(b));
        sizes.add(open.size());
      }
      HistoryBatch last = history.getLast();
      assertEquals(Duration.ofMinutes(1), open.timerLength(8), "closed by the last batch: still known");
      assertEquals(1, open.size(), "everything closed earlier is gone");
      assertNull(open.timerLength(4));
      assertFalse(open.covers(history.get(history.size() - 2)));
      assertTrue(open.covers(last));
      // Batch 1: a has no timer. 2: b. 3: b (closed here), timer 3, c. 4: timer 3 and c (closed
      // here), timer 5. 5: timer 5 (closed here), e (scheduled and closed here), timer 8. 6: timer 8.
      assertEquals(List.of(0, 1, 3, 3, 3, 1), sizes);
    }
  }

  private static HistoryBatch batchCompleting(List<HistoryBatch> history, long activitySeq) {
    return history.stream()
        .filter(b -> b.events().stream()
            .anyMatch(he -> he.event() instanceof Event.ActivityTaskCompleted c && c.seq() == activitySeq))
        .findFirst().orElseThrow();
  }
}
