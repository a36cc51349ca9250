package dev.tempora.internal.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.memory.InMemoryRuntime;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, difference 6, in the coordinator: a TimerFired that arrives before its timer's fire
 * time (a Scheduler or SQS delay that came a little early, clocks of two hosts apart) is not
 * recorded; it is sent back to arrive at the fire time, and the timer fires then, once.
 */
class EarlyTimerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.731Z");

  @WorkflowInterface
  public interface HourSleeper {
    @WorkflowMethod
    long sleepAnHour();
  }

  public static class HourSleeperImpl implements HourSleeper {
    @Override
    public long sleepAnHour() {
      long start = Workflow.currentTimeMillis();
      Workflow.sleep(Duration.ofHours(1));
      return Workflow.currentTimeMillis() - start;
    }
  }

  private static List<HistoryEvent> fired(List<HistoryEvent> history) {
    return history.stream().filter(e -> e.event() instanceof Event.TimerFired).toList();
  }

  @Test
  void aTimerFiringThatArrivesEarlyIsDeferredToItsFireTime() {
    try (InMemoryRuntime runtime = new InMemoryRuntime(new InMemoryRuntime.Options("default", 10, 5_000, T0, 7,
        WorkflowTaskHooks.NONE))) {
      runtime.workflows.register(HourSleeperImpl.class);
      WorkflowClient client = runtime.client;
      HourSleeper s = client.newWorkflowStub(HourSleeper.class,
          WorkflowOptions.newBuilder().setWorkflowId("early").build());
      WorkflowClient.start(s::sleepAnHour);
      RunKey run = runtime.store.currentRun("default", "early").orElseThrow().run();
      Event.TimerStarted started = client.fetchHistory("early").stream().map(HistoryEvent::event)
          .filter(Event.TimerStarted.class::isInstance).map(Event.TimerStarted.class::cast).findFirst().orElseThrow();

      // 460 ms before the fire time, the timer's message arrives (as an early Scheduler firing would).
      runtime.engine.sleep(Duration.between(runtime.clock.instant(), started.fireTime().minusMillis(460)));
      runtime.engine.send(List.of(new WorkflowTaskMessage(Outbox.timerId(run, started.seq()), run,
          new Event.TimerFired(started.seq()))));
      assertEquals(List.of(), fired(client.fetchHistory("early")), "not recorded before its time");

      long slept = WorkflowStub.fromTyped(s).getResult(Long.class);
      assertTrue(slept >= Duration.ofHours(1).toMillis(), "slept " + Duration.ofMillis(slept));
      List<HistoryEvent> fired = fired(client.fetchHistory("early"));
      assertEquals(1, fired.size(), "fired once: the deferred copy and the timer's own message are one firing");
      assertFalse(fired.get(0).timestamp().isBefore(started.fireTime()),
          "fired at " + fired.get(0).timestamp() + ", due at " + started.fireTime());
    }
  }
}
