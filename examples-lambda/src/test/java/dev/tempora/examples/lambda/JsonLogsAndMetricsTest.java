package dev.tempora.examples.lambda;

import static org.junit.jupiter.api.Assertions.*;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.memory.InMemoryHeartbeatStore;
import dev.tempora.internal.observe.EmfMetrics;
import dev.tempora.internal.observe.TemporaMetrics;
import dev.tempora.internal.worker.ActivityRegistry;
import dev.tempora.internal.worker.ActivityTaskExecutor;
import dev.tempora.internal.worker.RegistryWorker;
import dev.tempora.lambda.activity.ActivityTaskHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's acceptance for logs and metrics in the Lambda bundle: an activity failing three times
 * (maximum attempts 3) through the real activity handler gives three WARN events, one JSON object
 * per line from the bundle's logback.xml, with the attempt numbers, the MDC fields and the stack
 * trace inside the event; and EMF lines on stdout with the expected names and dimensions.
 */
class JsonLogsAndMetricsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ActivityInterface
  public interface Charge {
    String charge(String order);
  }

  public static class AlwaysFails implements Charge {
    @Override
    public String charge(String order) {
      throw new IllegalStateException("card declined for " + order);
    }
  }

  @Test
  void anActivityFailingThreeTimesLogsThreeJsonWarningsAndEmitsEmf() throws Exception {
    ActivityRegistry activities = new ActivityRegistry();
    new RegistryWorker(new WorkflowRegistry(), activities).registerActivitiesImplementations(new AlwaysFails());
    List<ActivityTask> retries = new CopyOnWriteArrayList<>();
    List<WorkflowTaskMessage> results = new CopyOnWriteArrayList<>();
    InstantSource clock = InstantSource.fixed(Instant.parse("2026-03-01T10:00:00Z"));
    ActivityTaskExecutor executor = new ActivityTaskExecutor(activities, results::addAll, (task, delay) -> retries.add(task),
        new InMemoryHeartbeatStore(), clock, null, new TemporaMetrics(EmfMetrics.stdout()));
    ActivityTaskHandler handler = new ActivityTaskHandler(executor, ActivityTaskHandler.Deferral.NONE);
    RunKey run = new RunKey("default", "order-42", "run-1");
    ActivityTask task = new ActivityTask(run, 5, activities.types().iterator().next(), "payments", new Payload("[\"o-42\"]", null),
        new ActivityParameters(null, Duration.ofMinutes(1), null, null,
            new ActivityParameters.RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 3, List.of())),
        clock.instant(), 1, null, null);

    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (int attempt = 1; attempt <= 3; attempt++) {
        handler.handleRequest(event(task), context("req-" + attempt));
        if (attempt < 3) {
          assertEquals(attempt, retries.size());
          task = retries.getLast();
        }
      }
    } finally {
      System.setOut(stdout);
    }
    assertEquals(1, results.size(), "the final failure goes to the workflow");

    List<JsonNode> logs = new ArrayList<>();
    List<JsonNode> emf = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(line); // every stdout line is one JSON object
      (n.has("_aws") ? emf : logs).add(n);
    }
    List<JsonNode> warnings = logs.stream().filter(n -> n.path("level").asText().equals("WARN")
        && n.path("loggerName").asText().endsWith("AttemptOutcomes")).toList();
    assertEquals(3, warnings.size(), () -> "three attempt warnings in " + logs);
    for (int i = 0; i < 3; i++) {
      JsonNode w = warnings.get(i);
      String message = w.path("formattedMessage").asText();
      assertTrue(message.contains("failed on attempt " + (i + 1)), message);
      assertTrue(i < 2 ? message.contains("attempt " + (i + 2) + " at ") : message.contains("no more retries"), message);
      JsonNode mdc = w.path("mdc");
      assertEquals("order-42", mdc.path("workflowId").asText(), w::toString);
      assertEquals("run-1", mdc.path("runId").asText());
      assertEquals("5", mdc.path("activityId").asText());
      assertEquals(Integer.toString(i + 1), mdc.path("attempt").asText());
      assertEquals("payments", mdc.path("taskQueue").asText());
      assertEquals("req-" + (i + 1), mdc.path("awsRequestId").asText());
      JsonNode thrown = w.path("throwable");
      assertEquals("java.lang.IllegalStateException", thrown.path("className").asText(), w::toString);
      assertTrue(thrown.path("stepArray").size() > 0, "the stack trace is inside the event");
    }

    assertEquals(3, emf.stream().filter(n -> n.has("ActivityAttempts")).count());
    assertEquals(3, emf.stream().filter(n -> n.has("ActivityFailures")).count());
    assertEquals(2, emf.stream().filter(n -> n.has("ActivityRetries")).count());
    JsonNode first = emf.stream().filter(n -> n.has("ActivityScheduleToStartLatency")).findFirst().orElseThrow();
    JsonNode directive = first.path("_aws").path("CloudWatchMetrics").path(0);
    assertEquals("Tempora", directive.path("Namespace").asText());
    assertEquals("[[\"TaskQueue\"],[]]", directive.path("Dimensions").toString());
    assertEquals("payments", first.path("TaskQueue").asText());
    assertTrue(first.toString().contains("\"Unit\":\"Milliseconds\""), first::toString);
  }

  private static SQSEvent event(ActivityTask task) {
    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
    m.setMessageId("m-" + task.attempt());
    m.setBody(HistoryJson.write(task));
    m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
    m.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:tempora-activities-payments");
    SQSEvent e = new SQSEvent();
    e.setRecords(List.of(m));
    return e;
  }

  /** A Lambda context with just a request id. */
  private static com.amazonaws.services.lambda.runtime.Context context(String requestId) {
    return (com.amazonaws.services.lambda.runtime.Context) Proxy.newProxyInstance(
        JsonLogsAndMetricsTest.class.getClassLoader(),
        new Class<?>[] {com.amazonaws.services.lambda.runtime.Context.class},
        (proxy, method, args) -> method.getName().equals("getAwsRequestId") ? requestId : null);
  }
}
