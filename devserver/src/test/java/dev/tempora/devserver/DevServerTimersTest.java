package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.workflow.*;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Timers on the embedded stack: SQS delays up to 15 minutes, the Scheduler stand-in beyond. */
class DevServerTimersTest {

  @WorkflowInterface
  public interface Sleeper {
    @WorkflowMethod
    String sleep(long seconds);

    @SignalMethod
    void wake();
  }

  public static class SleeperImpl implements Sleeper {
    private boolean woken;

    @Override
    public String sleep(long seconds) {
      boolean signalled = Workflow.await(Duration.ofSeconds(seconds), () -> woken);
      return signalled ? "woken" : "slept";
    }

    @Override
    public void wake() {
      woken = true;
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(w -> w.registerWorkflowImplementationTypes(SleeperImpl.class));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static long count(List<HistoryEvent> h, Class<? extends Event> type) {
    return h.stream().filter(e -> type.isInstance(e.event())).count();
  }

  private static void awaitTimerStarted(WorkflowClient client, String id) throws InterruptedException {
    for (int i = 0; i < 200 && count(client.fetchHistory(id), Event.TimerStarted.class) == 0; i++) {
      Thread.sleep(50);
    }
  }

  @Test
  void aThreeSecondTimerFiresOnceThroughAnSqsDelay() {
    WorkflowClient client = server.client();
    Sleeper s = client.newWorkflowStub(Sleeper.class, WorkflowOptions.newBuilder().setWorkflowId("sleep-3s").build());
    long start = System.nanoTime();
    assertEquals("slept", s.sleep(3));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis >= 2_900, "fired after " + millis + " ms");
    List<HistoryEvent> h = client.fetchHistory("sleep-3s");
    assertEquals(1, count(h, Event.TimerFired.class), h.toString());
  }

  @Test
  void aTwentyMinuteTimerFiresOnceThroughTheScheduler() throws Exception {
    WorkflowClient client = server.client();
    Sleeper s = client.newWorkflowStub(Sleeper.class, WorkflowOptions.newBuilder().setWorkflowId("sleep-20m").build());
    WorkflowClient.start(s::sleep, 20 * 60L);
    awaitTimerStarted(client, "sleep-20m");
    long firedBefore = server.scheduler().fired();
    server.advanceClock(Duration.ofMinutes(21));
    assertEquals("slept", WorkflowStub.fromTyped(s).getResult(Duration.ofSeconds(30), String.class));
    assertEquals(1, server.scheduler().fired() - firedBefore, "the schedule fired once");
    List<HistoryEvent> h = client.fetchHistory("sleep-20m");
    assertEquals(1, count(h, Event.TimerFired.class), h.toString());
  }

  @Test
  void theCoordinatorDescribesARunOverLambdaInvoke() throws Exception {
    WorkflowClient client = server.client();
    Sleeper s = client.newWorkflowStub(Sleeper.class, WorkflowOptions.newBuilder().setWorkflowId("described").build());
    WorkflowClient.start(s::sleep, 600L);
    awaitTimerStarted(client, "described");
    var lambda = software.amazon.awssdk.services.lambda.LambdaClient.builder()
        .endpointOverride(server.lambdaEndpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(server.aws().credentials()).build();
    String reply = lambda.invoke(b -> b.functionName(server.runtime().config.coordinatorFunctionName())
        .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String(
            "{\"operation\":\"describe\",\"namespace\":\"default\",\"workflowId\":\"described\"}")))
        .payload().asUtf8String();
    assertTrue(reply.contains("\"status\":\"RUNNING\"") && reply.contains("\"pendingTimers\":[{"), reply);
    String missing = lambda.invoke(b -> b.functionName(server.runtime().config.coordinatorFunctionName())
        .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String(
            "{\"operation\":\"describe\",\"namespace\":\"default\",\"workflowId\":\"nope\"}")))
        .payload().asUtf8String();
    assertTrue(missing.contains("NotFound"), missing);
    s.wake();
  }

  @Test
  void aCancelledTimerNeverFires() throws Exception {
    WorkflowClient client = server.client();
    Sleeper s = client.newWorkflowStub(Sleeper.class, WorkflowOptions.newBuilder().setWorkflowId("sleep-cancel").build());
    WorkflowClient.start(s::sleep, 30 * 60L);
    awaitTimerStarted(client, "sleep-cancel");
    s.wake();
    assertEquals("woken", WorkflowStub.fromTyped(s).getResult(Duration.ofSeconds(30), String.class));
    long firedBefore = server.scheduler().fired();
    server.advanceClock(Duration.ofMinutes(31));
    Thread.sleep(1_000);
    assertEquals(firedBefore, server.scheduler().fired(), "the schedule was deleted with the timer");
    List<HistoryEvent> h = client.fetchHistory("sleep-cancel");
    assertEquals(1, count(h, Event.TimerCanceled.class));
    assertEquals(0, count(h, Event.TimerFired.class));
  }
}
