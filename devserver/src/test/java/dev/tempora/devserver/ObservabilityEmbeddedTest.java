package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.internal.observe.EmfMetrics;
import dev.tempora.internal.observe.TraceContext;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Issue 15 on the embedded stack: one workflow's hops (start, coordinator, activity, coordinator)
 * arrive with the same trace id in SQS's AWSTraceHeader (ElasticMQ keeps the system attribute, the
 * stand-in poller hands it to the handler as Lambda does); a failing workflow task emits the
 * WorkflowTaskFailures EMF line the alarm reads; activity attempts emit their EMF lines.
 */
class ObservabilityEmbeddedTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the handlers received: queue URL and trace header, per message. */
  record Received(String queueUrl, String body, String traceHeader) {}

  static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
  static final List<String> EMF = new CopyOnWriteArrayList<>();

  /** Records every message a poller receives (what the handler is invoked with). */
  static final class ReceiveRecorder implements ExecutionInterceptor {
    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof ReceiveMessageRequest req && context.response() instanceof ReceiveMessageResponse r) {
        for (Message m : r.messages()) {
          RECEIVED.add(new Received(req.queueUrl(), m.body(), m.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER)));
        }
      }
    }
  }

  @ActivityInterface
  public interface Greeter {
    String greet(String name);
  }

  public static class GreeterImpl implements Greeter {
    @Override
    public String greet(String name) {
      return "hello " + name;
    }
  }

  @WorkflowInterface
  public interface Hello {
    @WorkflowMethod
    String hello(String name);
  }

  public static class HelloImpl implements Hello {
    @Override
    public String hello(String name) {
      return Workflow.newActivityStub(Greeter.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1)).build()).greet(name);
    }
  }

  @WorkflowInterface
  public interface Broken {
    @WorkflowMethod
    String run();
  }

  public static class BrokenImpl implements Broken {
    @Override
    public String run() {
      throw new IllegalStateException("a bug in workflow code");
    }
  }

  public static class Setup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(HelloImpl.class, BrokenImpl.class);
      worker.registerActivitiesImplementations(new GreeterImpl());
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(new Setup(), DevServer.Options.defaults().withInterceptors(List.of(new ReceiveRecorder())));
    server.runtime().metrics.set(new EmfMetrics(EMF::add));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void oneWorkflowsHopsCarryOneTraceId() {
    WorkflowClient client = server.runtime().client();
    String id = "traced-1";
    String result = client.newWorkflowStub(Hello.class, WorkflowOptions.newBuilder().setWorkflowId(id)
        .setTaskQueue("default").build()).hello("ada");
    assertEquals("hello ada", result);
    List<Received> hops = new ArrayList<>();
    for (Received r : RECEIVED) {
      if (r.body().contains(id)) {
        hops.add(r);
      }
    }
    // start -> coordinator, coordinator -> activity, activity -> coordinator
    assertTrue(hops.stream().anyMatch(h -> h.queueUrl().contains("workflow-tasks")), hops::toString);
    assertTrue(hops.stream().anyMatch(h -> h.queueUrl().contains("activities")), hops::toString);
    assertTrue(hops.size() >= 3, hops::toString);
    Set<String> roots = new TreeSet<>();
    for (Received h : hops) {
      assertNotNull(h.traceHeader(), () -> "a hop without AWSTraceHeader: " + h);
      assertNotNull(TraceContext.root(h.traceHeader()), h::toString);
      roots.add(TraceContext.root(h.traceHeader()));
    }
    assertEquals(1, roots.size(), () -> "one trace id across the hops: " + hops);
    // The activity attempt's EMF line: ActivityAttempts with TaskQueue and the dimensionless total.
    JsonNode attempt = emfLine("ActivityAttempts");
    assertEquals("default", attempt.path("TaskQueue").asText());
    assertEquals("[[\"TaskQueue\"],[]]", attempt.path("_aws").path("CloudWatchMetrics").path(0).path("Dimensions").toString());
    JsonNode task = emfLine("WorkflowTasks");
    assertEquals("Tempora", task.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText());
    assertTrue(task.has("WorkflowTaskLatency"), task::toString);
    assertEquals("Hello", task.path("WorkflowType").asText());
  }

  @Test
  void aFailingWorkflowTaskEmitsTheWorkflowTaskFailuresMetric() throws Exception {
    WorkflowClient client = server.runtime().client();
    WorkflowClient.start(client.newWorkflowStub(Broken.class, WorkflowOptions.newBuilder().setWorkflowId("broken-1")
        .setTaskQueue("default").build())::run);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode failure = null;
    while (failure == null && System.nanoTime() < deadline) {
      failure = findEmf("WorkflowTaskFailures");
      Thread.sleep(50);
    }
    assertNotNull(failure, () -> "no WorkflowTaskFailures line in " + EMF);
    assertEquals("Other", failure.path("Reason").asText());
    assertEquals(1, failure.path("WorkflowTaskFailures").asInt());
    assertEquals("[[\"Reason\"],[]]", failure.path("_aws").path("CloudWatchMetrics").path(0).path("Dimensions").toString());
    assertNotNull(client.describe("broken-1").taskFailure());
    client.newUntypedWorkflowStub("broken-1").terminate("test done");
  }

  private static JsonNode emfLine(String metric) {
    JsonNode n = findEmf(metric);
    assertNotNull(n, () -> "no EMF line with " + metric + " in " + EMF);
    return n;
  }

  private static JsonNode findEmf(String metric) {
    for (String line : EMF) {
      try {
        JsonNode n = JSON.readTree(line);
        for (JsonNode m : n.path("_aws").path("CloudWatchMetrics").path(0).path("Metrics")) {
          if (m.path("Name").asText().equals(metric)) {
            return n;
          }
        }
      } catch (Exception e) {
        throw new AssertionError(line, e);
      }
    }
    return null;
  }

}
