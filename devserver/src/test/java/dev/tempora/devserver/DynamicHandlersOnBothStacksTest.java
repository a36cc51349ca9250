package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.DynamicActivity;
import dev.tempora.activity.LocalActivityOptions;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.client.WorkflowUpdateException;
import dev.tempora.common.converter.EncodedValues;
import dev.tempora.converter.AesGcmPayloadCodec;
import dev.tempora.converter.CodecDataConverter;
import dev.tempora.converter.DataConverter;
import dev.tempora.converter.DefaultDataConverter;
import dev.tempora.converter.LocalKeyProvider;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.ActivityStub;
import dev.tempora.workflow.DynamicQueryHandler;
import dev.tempora.workflow.DynamicSignalHandler;
import dev.tempora.workflow.DynamicUpdateHandler;
import dev.tempora.workflow.DynamicWorkflow;
import dev.tempora.workflow.Workflow;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dynamic handlers (issue 13) on the in-memory environment and the embedded AWS stack: one
 * DynamicWorkflow runs three workflow types and one DynamicActivity serves three activity types,
 * none with code of its own; dynamic signal, query and update handlers take any name, with the
 * arguments undecoded, and a signal that came with the start waits for its handler. Under an
 * encrypting codec the dynamic code reads its payloads through the worker's converter, and the
 * dynamic activity serves a local activity call too.
 */
@Timeout(180)
class DynamicHandlersOnBothStacksTest {
  static final List<String> TYPES = List.of("OrderFlow", "RefundFlow", "AuditFlow");
  /** The type that also calls a local activity (the encrypted scenario). */
  static final String SEALED = "SealedFlow";

  /** Every workflow type without an implementation: runs "<type>Step" and waits for "finish". */
  public static class AnyFlow implements DynamicWorkflow {
    private final List<String> events = new ArrayList<>();
    private boolean finished;

    @Override
    public Object execute(EncodedValues args) {
      String type = Workflow.getInfo().workflowType();
      Workflow.registerListener(new Signals());
      Workflow.registerListener(new Queries());
      ActivityStub activities = Workflow.newUntypedActivityStub(
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
      String step = activities.execute(type + "Step", String.class, args.get(0, String.class), args.getSize());
      if (type.equals(SEALED)) {
        // A local activity of a type nobody implements: the dynamic activity serves it in the task.
        step = Workflow.newLocalActivityStub(Stamp.class, LocalActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30)).build()).stamp(step, 2);
      }
      Workflow.await(() -> finished);
      return type + "|" + step + "|" + events;
    }

    // Two classes: the signal and query handlers' methods have the same name and parameters (as in Temporal).
    private final class Signals implements DynamicSignalHandler, DynamicUpdateHandler {
      @Override
      public void handle(String signalName, EncodedValues args) {
        if (signalName.equals("finish")) {
          finished = true;
        } else {
          events.add(signalName + ":" + args.get(0, String.class));
        }
      }

      @Override
      public void handleValidate(String updateName, EncodedValues args) {
        if (args.get(0, String.class).isBlank()) {
          throw ApplicationFailure.newFailure("a tag needs a name", "EmptyTag");
        }
      }

      @Override
      public EncodedValues handleExecute(String updateName, EncodedValues args) {
        events.add(updateName + ":" + args.get(0, String.class));
        return new EncodedValues(events.size());
      }
    }

    private final class Queries implements DynamicQueryHandler {
      @Override
      public Object handle(String queryType, EncodedValues args) {
        return switch (queryType) {
          case "events" -> events;
          case "eventsAfter" -> events.subList(Math.min(args.get(0, int.class), events.size()), events.size());
          default -> throw new IllegalArgumentException("no query " + queryType);
        };
      }
    }
  }

  /** No implementation anywhere: the dynamic activity serves it. */
  @ActivityInterface
  public interface Stamp {
    String stamp(String s, int n);
  }

  /** Every activity type without an implementation. */
  public static class AnyActivity implements DynamicActivity {
    @Override
    public Object execute(EncodedValues args) {
      String type = Activity.getExecutionContext().getInfo().activityType();
      return type + "(" + args.get(0, String.class) + "," + args.get(1, int.class) + ")";
    }
  }

  public static class DynamicSetup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(AnyFlow.class).registerActivitiesImplementations(new AnyActivity());
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(new DynamicSetup());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    env.registerWorkflowImplementationTypes(AnyFlow.class);
    env.registerActivitiesImplementations(new AnyActivity());
    return env;
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void oneDynamicWorkflowAndActivityServeThreeTypesWithDynamicSignalsQueriesAndUpdates(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      for (String type : TYPES) {
        String id = "dynamic-" + type + "-" + stack;
        WorkflowStub stub = client.newUntypedWorkflowStub(type, WorkflowOptions.newBuilder().setWorkflowId(id).build());
        if (type.equals("OrderFlow")) {
          // Came with the start, before the handler was registered: kept, then delivered to it.
          stub.signalWithStart("note", new Object[] {"early"}, new Object[] {"in-" + type});
        } else {
          stub.start("in-" + type);
        }
        WorkflowStub running = client.newUntypedWorkflowStub(id);
        running.signal("note", "x");
        assertEquals(type.equals("OrderFlow") ? 3 : 2, running.update("tag", Integer.class, "t"));
        WorkflowUpdateException rejected = assertThrows(WorkflowUpdateException.class,
            () -> running.update("tag", Integer.class, " "));
        assertEquals("EmptyTag", ((ApplicationFailure) rejected.getCause()).getType());
        List<String> expected = type.equals("OrderFlow") ? List.of("note:early", "note:x", "tag:t")
            : List.of("note:x", "tag:t");
        assertEquals(expected, running.query("events", List.class));
        assertEquals(List.of("tag:t"), running.query("eventsAfter", List.class, expected.size() - 1));
        running.signal("finish");
        assertEquals(type + "|" + type + "Step(in-" + type + ",1)|" + expected,
            running.getResult(Duration.ofSeconds(60), String.class));
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aDynamicWorkflowTakesAnyArgumentsAndAQueryItDoesNotAnswerFails(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "dynamic-any-args-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("ReportFlow", WorkflowOptions.newBuilder().setWorkflowId(id).build());
      stub.start("r-1", 7, List.of("more"));
      WorkflowStub running = client.newUntypedWorkflowStub(id);
      Exception e = assertThrows(Exception.class, () -> running.query("nothing", String.class));
      assertFalse(e instanceof InvalidRequestException, "the client does not refuse a dynamic type's query: " + e);
      running.signal("finish");
      assertEquals("ReportFlow|ReportFlowStep(r-1,3)|[]", running.getResult(Duration.ofSeconds(60), String.class));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void underAnEncryptingCodecDynamicCodeReadsItsPayloadsAndServesALocalActivity(String stack) {
    DataConverter encrypting = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
        List.of(new AesGcmPayloadCodec(LocalKeyProvider.of("k1", LocalKeyProvider.newKey()))));
    try (TestWorkflowEnvironment env = environment(stack)) {
      env.setDataConverter(encrypting);
      try {
        String id = "dynamic-sealed-" + stack;
        WorkflowClient client = env.getWorkflowClient();
        client.newUntypedWorkflowStub(SEALED, WorkflowOptions.newBuilder().setWorkflowId(id).build()).start("s-1");
        WorkflowStub running = client.newUntypedWorkflowStub(id);
        running.signal("note", "x");
        assertEquals(2, running.update("tag", Integer.class, "t"));
        assertEquals(List.of("note:x", "tag:t"), running.query("events", List.class));
        running.signal("finish");
        assertEquals(SEALED + "|Stamp(" + SEALED + "Step(s-1,1),2)|[note:x, tag:t]",
            running.getResult(Duration.ofSeconds(60), String.class));

        List<Event> events = client.fetchHistory(id).stream().map(HistoryEvent::event).toList();
        Event.WorkflowExecutionStarted started = (Event.WorkflowExecutionStarted) events.getFirst();
        assertEquals(AesGcmPayloadCodec.ENCODING, started.input().encoding(), "the control: the input is encrypted");
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.MarkerRecorded), "a local activity's marker");
        assertEquals(AesGcmPayloadCodec.ENCODING,
            ((Event.WorkflowExecutionCompleted) events.getLast()).result().encoding());
      } finally {
        env.setDataConverter(DefaultDataConverter.STANDARD_INSTANCE); // the devserver is shared by the other tests
      }
    }
  }

  /** Over the HTTP API (the same validation path): any type name starts, any signal and query reach the handlers. */
  @Test
  void overHttpADynamicTypeTakesAnyNamesAndArguments() throws Exception {
    String id = "dynamic-http";
    HttpResponse<String> r = post("/workflows",
        "{\"workflowType\":\"HttpFlow\",\"workflowId\":\"" + id + "\",\"args\":[\"h-1\", {\"any\": 1}]}");
    assertEquals(201, r.statusCode(), r.body());
    r = post("/workflows/" + id + "/signals/note", "{\"args\":[\"via-http\"]}");
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    r = post("/workflows/" + id + "/queries/events", "{\"args\":[]}");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("note:via-http"), r.body());
    r = post("/workflows/" + id + "/signals/finish", "{\"args\":[]}");
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    assertEquals("HttpFlow|HttpFlowStep(h-1,2)|[note:via-http]",
        server.client().newUntypedWorkflowStub(id).getResult(Duration.ofSeconds(60), String.class));
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return LocalHttp.send(server, "POST", path, body);
  }
}
