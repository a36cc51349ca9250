package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecutionInfo;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12's cron workflows and delayed starts on both stacks. Each cron run's first workflow task
 * waits for its fire time; the next run is opened at the close and carries the last completion
 * result (across a failed run) and the previous run's failure; terminate ends the chain. The
 * schedule fires every minute, for ten virtual minutes: on the embedded stack each run's wait is an
 * SQS delay, which the stack's clock (ElasticMQ's too) skips over.
 */
class CronWorkflowsOnBothStacksTest {

  @WorkflowInterface
  public interface Counter {
    /** Counts completed runs: the last completion result plus one. The run that would be 4 fails once. */
    @WorkflowMethod
    int count();
  }

  /** What each run saw, by run id (written again, the same, on a replay). */
  static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  public static class CounterImpl implements Counter {
    @Override
    public int count() {
      Integer last = Workflow.getLastCompletionResult(Integer.class);
      int n = last == null ? 1 : last + 1;
      String failure = Workflow.getPreviousRunFailure().map(Throwable::getMessage).orElse("none");
      SEEN.put(Workflow.getInfo().runId(), "n=" + n + " cron=" + Workflow.getInfo().getCronSchedule() + " previous="
          + failure + " at=" + Instant.ofEpochMilli(Workflow.currentTimeMillis()));
      if (n == 4 && failure.equals("none")) {
        throw ApplicationFailure.newFailure("run 4 fails once", "Planned");
      }
      return n;
    }
  }

  @WorkflowInterface
  public interface Greeter {
    @WorkflowMethod
    String greet(String name);
  }

  public static class GreeterImpl implements Greeter {
    @Override
    public String greet(String name) {
      return "hello " + name + " at " + Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }
  }

  /** The devserver's setup, by a name the CLI can load. */
  public static class CronSetup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(CounterImpl.class, GreeterImpl.class);
    }
  }

  @TempDir static Path dir;
  static DevServer server;
  static Path stateFile;

  @BeforeAll
  static void start() {
    server = DevServer.start(new CronSetup());
    stateFile = dir.resolve("devserver.json");
    server.writeState(stateFile);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    env.registerWorkflowImplementationTypes(CounterImpl.class, GreeterImpl.class);
    return env;
  }

  private static List<WorkflowExecutionInfo> runsOf(WorkflowClient client, String type, String id) {
    return client.listExecutions(ListExecutionsRequest.all().withWorkflowType(type)).stream()
        .filter(e -> e.execution().workflowId().equals(id))
        .sorted(Comparator.comparing(WorkflowExecutionInfo::startTime)).toList();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aCronWorkflowRunsAtEachFireTimeCarriesItsLastResultOutlivesAFailureAndStopsWhenTerminated(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      int minutes = 1;
      String cron = "* * * * *";
      // Start just after a fire time, so the first run waits a whole period.
      Instant now = env.currentTime();
      Instant firedAt = now.truncatedTo(ChronoUnit.HOURS);
      while (firedAt.isBefore(now)) {
        firedAt = firedAt.plus(Duration.ofMinutes(minutes));
      }
      env.sleep(Duration.between(now, firedAt.plusSeconds(1)));
      Instant first = firedAt.plus(Duration.ofMinutes(minutes));
      String id = "cron-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Counter", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setCronSchedule(cron).build());
      stub.start();
      assertEquals(WorkflowExecutionStatus.RUNNING, client.describe(id).status());
      assertTrue(client.fetchHistory(id).isEmpty(), "no workflow task before the first fire time");

      // Ten fire times: first, first + 1 period, ..., first + 9 periods; the 11th run waits for the next.
      env.sleep(Duration.between(env.currentTime(), first.plus(Duration.ofMinutes(9L * minutes)).plusSeconds(30)));
      List<WorkflowExecutionInfo> runs = runsOf(client, "Counter", id);
      assertEquals(11, runs.size(), runs.toString());
      List<WorkflowExecutionInfo> closed = runs.subList(0, 10);
      assertEquals(1, closed.stream().filter(r -> r.status() == WorkflowExecutionStatus.FAILED).count(), runs.toString());
      assertEquals(9, closed.stream().filter(r -> r.status() == WorkflowExecutionStatus.COMPLETED).count(),
          runs.toString());
      assertEquals(WorkflowExecutionStatus.FAILED, closed.get(3).status(), "the fourth run failed: " + runs);
      for (int i = 0; i < 10; i++) {
        String seen = SEEN.get(closed.get(i).execution().runId());
        assertNotNull(seen, "run " + (i + 1) + " ran");
        int n = i < 4 ? i + 1 : i; // the failed fourth run is counted again by the fifth
        assertTrue(seen.startsWith("n=" + n + " cron=" + cron + " previous="), seen);
        assertEquals(i == 4 ? "Planned: run 4 fails once" : "none", seen.replaceAll(".* previous=(.*) at=.*", "$1"), seen);
        Instant at = Instant.parse(seen.replaceAll(".* at=", ""));
        Instant due = first.plus(Duration.ofMinutes((long) i * minutes));
        assertFalse(at.isBefore(due), "run " + (i + 1) + " not before its fire time " + due + ": " + seen);
        assertTrue(at.isBefore(due.plus(Duration.ofMinutes(minutes))), "run " + (i + 1) + " at its fire time " + due
            + ": " + seen);
      }
      WorkflowExecutionInfo waiting = runs.get(10);
      assertEquals(WorkflowExecutionStatus.RUNNING, waiting.status());
      assertNull(SEEN.get(waiting.execution().runId()), "the 11th run waits for its fire time");
      assertTrue(client.fetchHistory(id).isEmpty());

      stub.terminate("enough");
      assertEquals(WorkflowExecutionStatus.TERMINATED, client.describe(id).status());
      env.sleep(Duration.ofMinutes(3L * minutes));
      List<WorkflowExecutionInfo> after = runsOf(client, "Counter", id);
      assertEquals(11, after.size(), "terminate ends the chain: " + after);
      assertNull(SEEN.get(waiting.execution().runId()), "the terminated run never ran");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aDelayedStartRunsItsFirstTaskAfterTheDelay(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "delayed-" + stack;
      Instant started = env.currentTime();
      WorkflowStub stub = client.newUntypedWorkflowStub("Greeter", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setStartDelay(Duration.ofHours(1)).build());
      stub.start("Ada");
      env.sleep(Duration.ofMinutes(50));
      assertEquals(WorkflowExecutionStatus.RUNNING, client.describe(id).status());
      assertTrue(client.fetchHistory(id).isEmpty(), "no workflow task before the delay");
      String result = stub.getResult(String.class);
      Instant ran = Instant.parse(result.replace("hello Ada at ", ""));
      assertFalse(ran.isBefore(started.plus(Duration.ofHours(1))), "after its delay: " + result);
      Event.WorkflowExecutionStarted start = (Event.WorkflowExecutionStarted) client.fetchHistory(id).getFirst().event();
      assertEquals(Duration.ofHours(1), start.startOptions().firstWorkflowTaskBackoff());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aDelayedStartCancelledBeforeItStartsNeverRuns(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "delayed-cancelled-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Greeter", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setStartDelay(Duration.ofHours(1)).build());
      stub.start("Bob");
      env.sleep(Duration.ofMinutes(10));
      stub.cancel();
      assertEquals(WorkflowExecutionStatus.CANCELED, client.describe(id).status());
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(String.class));
      assertEquals(WorkflowExecutionStatus.CANCELED, e.getStatus());
      env.sleep(Duration.ofHours(2));
      List<HistoryEvent> history = client.fetchHistory(id);
      assertEquals(1, history.size(), "only the cancellation, no workflow task: " + history);
      assertInstanceOf(Event.WorkflowExecutionCanceled.class, history.getFirst().event());
      assertEquals(1, runsOf(client, "Greeter", id).size());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aDelayedStartTerminatedBeforeItStartsNeverRuns(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "delayed-terminated-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Greeter", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setStartDelay(Duration.ofHours(1)).build());
      stub.start("Cy");
      stub.terminate("changed my mind");
      env.sleep(Duration.ofHours(2));
      assertEquals(WorkflowExecutionStatus.TERMINATED, client.describe(id).status());
      assertEquals(1, client.fetchHistory(id).size());
    }
  }

  /** The HTTP API's {@code cronSchedule} and {@code startDelay}, the CLI's {@code --cron} and {@code --start-delay}. */
  @Test
  void overHttpAndTheCliCronSchedulesAndStartDelaysAreTaken() throws Exception {
    try (TestWorkflowEnvironment env = environment("embedded-aws")) {
      WorkflowClient client = env.getWorkflowClient();
      env.sleep(Duration.ofHours(5)); // the stack's clock hours ahead of the machine's, whichever test ran first
      Instant requested = env.currentTime();
      HttpResponse<String> delayed = http("POST", "/workflows", "{\"workflowType\":\"Greeter\",\"workflowId\":"
          + "\"http-delayed\",\"args\":[\"Di\"],\"startDelay\":\"PT30M\"}");
      assertEquals(201, delayed.statusCode(), delayed.body());
      HttpResponse<String> cron = http("POST", "/workflows", "{\"workflowType\":\"Counter\",\"workflowId\":"
          + "\"http-cron\",\"cronSchedule\":\"@hourly\"}");
      assertEquals(201, cron.statusCode(), cron.body());
      CliRun cliDelayed = cli("start", "Greeter", "cli-delayed", "\"Ed\"", "--start-delay", "30m");
      assertEquals(0, cliDelayed.rc(), cliDelayed.err());
      CliRun cliCron = cli("start", "Counter", "cli-cron", "--cron", "CRON_TZ=Asia/Kolkata 30 * * * *");
      assertEquals(0, cliCron.rc(), cliCron.err());
      // The CLI counts its waits on the stack's clock, which earlier tests have moved (the state file says how far).
      for (String id : List.of("http-delayed", "http-cron")) {
        assertTrue(client.fetchHistory(id).isEmpty(), id + " has not started yet");
      }
      env.sleep(Duration.ofMinutes(61));
      for (String id : List.of("http-delayed", "cli-delayed")) {
        Event.WorkflowExecutionStarted s = (Event.WorkflowExecutionStarted) client.fetchHistory(id).getFirst().event();
        assertEquals(Duration.ofMinutes(30), s.startOptions().firstWorkflowTaskBackoff(), id);
        assertEquals(WorkflowExecutionStatus.COMPLETED, client.describe(id).status(), id);
        String greeting = client.newUntypedWorkflowStub(id).getResult(String.class);
        Instant ranAt = Instant.parse(greeting.replaceAll(".* at ", ""));
        assertFalse(ranAt.isBefore(requested.plus(Duration.ofMinutes(30))), id + " ran 30 minutes after the request on "
            + "the stack's clock: " + greeting);
      }
      Map<String, String> crons = Map.of("http-cron", "@hourly", "cli-cron", "CRON_TZ=Asia/Kolkata 30 * * * *");
      crons.forEach((id, schedule) -> {
        List<WorkflowExecutionInfo> runs = runsOf(client, "Counter", id);
        // One fire time in the hour (two if the start was just before one), the next run waiting.
        assertTrue(runs.size() >= 2 && runs.size() <= 4, id + ": " + runs);
        assertEquals(WorkflowExecutionStatus.COMPLETED, runs.getFirst().status(), id);
        assertEquals(WorkflowExecutionStatus.RUNNING, runs.getLast().status(), id);
        assertTrue(SEEN.get(runs.getFirst().execution().runId()).contains("cron=" + schedule), id);
        client.newUntypedWorkflowStub(id).terminate("done");
      });
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static HttpResponse<String> http(String method, String path, String body) throws Exception {
    return LocalHttp.send(server, method, path, body);
  }

  private static CliRun cli(String... args) {
    return CliRun.of(stateFile, args);
  }
}
