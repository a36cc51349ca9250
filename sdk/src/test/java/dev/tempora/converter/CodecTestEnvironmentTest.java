package dev.tempora.converter;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityExecutionContext;
import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowClientOptions;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-memory environment configured as Temporal's is, through the client options: every payload
 * of the run (start, activity input, heartbeat details carried to the retry, result, query) is
 * encrypted and the workflow behaves as without a codec.
 */
class CodecTestEnvironmentTest {
  @WorkflowInterface
  public interface Greeter {
    @WorkflowMethod
    String greet(String name);

    @QueryMethod
    String last();
  }

  @ActivityInterface
  public interface Shouter {
    String shout(String s);
  }

  /** Fails its first attempt after a heartbeat; the second reads the heartbeat's details. */
  public static class ShouterImpl implements Shouter {
    @Override
    public String shout(String s) {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      String seen = ctx.getHeartbeatDetails(String.class).orElse(null);
      if (seen == null) {
        ctx.heartbeat("progress-of-" + s);
        throw new IllegalStateException("first attempt fails");
      }
      return s.toUpperCase() + " after " + seen;
    }
  }

  public static class GreeterImpl implements Greeter {
    private final Shouter shouter = Workflow.newActivityStub(Shouter.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).build()).build());
    private String last = "";

    @Override
    public String greet(String name) {
      last = shouter.shout("hello " + name);
      return last;
    }

    @Override
    public String last() {
      return last;
    }
  }

  @Test
  void aRunThroughAnEncryptingClientAndWorkersStoresNoPlaintext() {
    DataConverter converter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
        List.of(new AesGcmPayloadCodec(LocalKeyProvider.of("k1", LocalKeyProvider.newKey()))));
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(converter).build()).build())) {
      env.registerWorkflowImplementationTypes(GreeterImpl.class);
      env.registerActivitiesImplementations(new ShouterImpl());
      Greeter g = env.getWorkflowClient().newWorkflowStub(Greeter.class,
          WorkflowOptions.newBuilder().setWorkflowId("greet-1").setTaskQueue("q").build());
      assertEquals("HELLO ADA after progress-of-hello ada", g.greet("ada"));
      assertEquals("HELLO ADA after progress-of-hello ada",
          env.getWorkflowClient().newWorkflowStub(Greeter.class, "greet-1").last());

      List<HistoryEvent> history = env.getWorkflowClient().fetchHistory("greet-1");
      for (HistoryEvent e : history) {
        String text = e.event().describe() + " " + payloadOf(e.event());
        assertFalse(text.contains("ada") || text.contains("ADA") || text.contains("progress"), text);
      }
      assertEquals(AesGcmPayloadCodec.ENCODING, ((Event.WorkflowExecutionStarted) history.getFirst().event()).input().encoding());
    }
  }

  static String payloadOf(Event e) {
    Payload p = switch (e) {
      case Event.WorkflowExecutionStarted s -> s.input();
      case Event.ActivityTaskScheduled s -> s.input();
      case Event.ActivityTaskCompleted c -> c.result();
      case Event.WorkflowExecutionCompleted c -> c.result();
      default -> null;
    };
    return p == null ? "" : p.json();
  }
}
