package dev.tempora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.DevServerState;
import dev.tempora.examples.etl.EtlJob;
import dev.tempora.examples.etl.EtlReport;
import dev.tempora.examples.expense.ExpenseReport;
import dev.tempora.examples.order.Order;
import dev.tempora.examples.order.OrderConfirmation;
import dev.tempora.examples.subscription.Subscription;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.worker.WorkerSetup;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Issue 14's acceptance for the devserver's data directory: {@code DevServerMain --serve} in a JVM
 * of its own, 50 workflows of every seed kind started, the process killed with SIGKILL while they
 * are mid-flight (activities running and queued, timers pending on SQS delays and on the Scheduler
 * stand-in, runs awaiting signals), restarted on the same data directory, the remaining signals
 * sent; killed again and restarted with changed code (signup behind {@code Workflow.getVersion})
 * and the clock 8 days on, so the 7-day and 1-day timers fire. Asserted: every workflow closes with
 * its kind's result; no history has a duplicated event (event ids 1..n, one terminal event per
 * activity attempt, one TimerFired per timer, each sent signal recorded once); no activity attempt
 * ran twice within one process, and one that ran again after a kill was not yet recorded as
 * completed when it ran (activities are at least once); the runs started before the change finish
 * on the old path, a run started after takes the new one.
 */
class DevServerRestartTest {
  @TempDir
  Path dir;
  private Process devserver;

  enum Kind {
    ORDER_SUCCESS("OrderWorkflow", 7), ORDER_COMPENSATION("OrderWorkflow", 5), EXPENSE_APPROVED("ExpenseWorkflow", 8),
    EXPENSE_TIMEOUT("ExpenseWorkflow", 6), SUBSCRIPTION("SubscriptionWorkflow", 6), ETL_RETRIES("EtlWorkflow", 6),
    ETL_NON_RETRYABLE("EtlWorkflow", 3), FANOUT("FanOutWorkflow", 6), SIGNUP("SignupWorkflow", 3);

    final String type;
    final int count;

    Kind(String type, int count) {
      this.type = type;
      this.count = count;
    }
  }

  record Run(Kind kind, int index, String id) {
    int size() {
      return switch (kind) {
        case FANOUT -> 3 + index % 5;
        case SUBSCRIPTION -> 2 + index % 2;
        default -> 0;
      };
    }

    Object[] args() {
      return switch (kind) {
        case ORDER_SUCCESS -> new Object[] {new Order(id, "cust-" + index, "lamp", 1 + index % 2, 1_000 + index)};
        case ORDER_COMPENSATION -> new Object[] {new Order(id, "cust-" + index, "chair", 3 + index % 3, 2_000 + index)};
        case EXPENSE_APPROVED, EXPENSE_TIMEOUT -> new Object[] {new ExpenseReport(id, "emp-" + index, 100 + index, "restart")};
        case SUBSCRIPTION -> new Object[] {new Subscription(id, "cust-" + index, "pro", 1_500, Duration.ofSeconds(1))};
        case ETL_RETRIES -> new Object[] {new EtlJob(id, "orders.csv", "warehouse." + id)};
        case ETL_NON_RETRYABLE -> new Object[] {new EtlJob(id, "legacy.csv", "warehouse." + id)};
        case FANOUT -> new Object[] {size()};
        case SIGNUP -> new Object[] {id + "@example.com"};
      };
    }
  }

  @AfterEach
  void stop() {
    if (devserver != null) {
      devserver.destroyForcibly();
    }
  }

  @Test
  void aKilledDevserverResumesEveryRunOnItsDataDirectory() throws Exception {
    Path data = dir.resolve("data");
    Path ledger = dir.resolve("ledger.txt");
    List<Run> runs = new ArrayList<>();
    int n = 0;
    for (Kind k : Kind.values()) {
      for (int i = 0; i < k.count; i++) {
        runs.add(new Run(k, n, k.name().toLowerCase().replace('_', '-') + "-" + n++));
      }
    }
    assertEquals(50, runs.size());

    long t0 = System.nanoTime();
    // 1. Start everything, let it get going, kill -9 mid-flight.
    try (Stack s = start(1, data, ledger, RestartSetupV1.class, null)) {
      for (Run r : runs) {
        s.client.newUntypedWorkflowStub(r.kind.type, WorkflowOptions.newBuilder().setWorkflowId(r.id).build())
            .start(r.args());
      }
      Thread.sleep(1_500);
      List<String> open = runs.stream().filter(r -> !closed(s.client, r.id)).map(Run::id).toList();
      assertTrue(open.size() >= 20, "most runs are mid-flight at the kill: " + open.size() + " open");
    }
    kill();
    phase(t0, "started, killed");

    // 2. Restart on the same directory, the clock a minute on (past the receive visibility timeouts
    // of the messages the killed process held); send the signals; everything but the long timers closes.
    try (Stack s = start(2, data, ledger, RestartSetupV1.class, "1m")) {
      for (Run r : runs) {
        if (r.kind == Kind.EXPENSE_APPROVED) {
          s.client.newUntypedWorkflowStub(r.id).signal("approve", "restart-manager");
        }
      }
      for (Run r : runs) {
        if (r.kind == Kind.SUBSCRIPTION) {
          await(s.client, r.id, h -> completions(h, "ChargeSubscription") >= r.size(), "charged " + r.size() + " periods");
          s.client.newUntypedWorkflowStub(r.id).signal("cancel", "enough");
        }
      }
      for (Run r : runs) {
        if (r.kind != Kind.EXPENSE_TIMEOUT && r.kind != Kind.SIGNUP) {
          await(s.client, r.id, DevServerRestartTest::closedHistory, "closed");
        }
      }
    }
    kill();
    phase(t0, "restarted, signalled, killed");

    // 3. Restart with changed code and the clock 8 days on: the 7-day and 1-day timers fire; old
    // signups finish on the old path; a new one takes the new path.
    try (Stack s = start(3, data, ledger, RestartSetupV2.class, "8d")) {
      s.client.newUntypedWorkflowStub("SignupWorkflow", WorkflowOptions.newBuilder().setWorkflowId("signup-new").build())
          .start("new@example.com");
      for (Run r : runs) {
        await(s.client, r.id, DevServerRestartTest::closedHistory, "closed");
      }
      await(s.client, "signup-new", h -> h.stream().anyMatch(e -> e.event() instanceof Event.TimerStarted),
          "the new signup's trial timer started");
      List<HistoryEvent> fresh = s.client.fetchHistory("signup-new");
      assertTrue(scheduled(fresh).contains("VerifyEmail"), "a run started after the change takes the new path: " + fresh);

      Map<String, List<HistoryEvent>> histories = new LinkedHashMap<>();
      for (Run r : runs) {
        histories.put(r.id, s.client.fetchHistory(r.id));
      }
      List<String> problems = new ArrayList<>();
      for (Run r : runs) {
        List<HistoryEvent> h = histories.get(r.id);
        check(r, h).forEach(p -> problems.add(r.id + ": " + p));
        noDuplicates(h).forEach(p -> problems.add(r.id + ": " + p));
      }
      problems.addAll(ledgerProblems(Files.readAllLines(ledger), histories));
      phase(t0, "restarted with changed code, all closed");
      assertEquals(List.of(), problems, "histories after two kills and a code change");
    }
  }

  private static void phase(long t0, String what) {
    System.out.printf("DevServerRestartTest: %s after %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
  }

  // --- expectations ---

  private static List<String> check(Run r, List<HistoryEvent> h) {
    List<String> out = new ArrayList<>();
    Event closing = h.getLast().event();
    List<String> types = scheduled(h);
    switch (r.kind) {
      case ORDER_SUCCESS -> {
        Order o = (Order) r.args()[0];
        result(out, closing, OrderConfirmation.class, new OrderConfirmation(o.orderId(),
            "credit-" + o.customerId() + "-" + o.amountCents(), "charge-" + o.orderId(), "track-" + o.orderId()));
        equal(out, "activities", List.of("ReserveCredit", "ChargeCard", "FulfillOrder"), types);
      }
      case ORDER_COMPENSATION -> {
        failed(out, closing, "FulfillOrder");
        equal(out, "activities", List.of("ReserveCredit", "ChargeCard", "FulfillOrder", "RefundCard", "ReleaseCredit"), types);
      }
      case EXPENSE_APPROVED -> {
        result(out, closing, String.class, "APPROVED");
        equal(out, "activities", List.of("RequestApproval", "PayExpense", "NotifyEmployee"), types);
      }
      case EXPENSE_TIMEOUT -> {
        result(out, closing, String.class, "TIMED_OUT");
        equal(out, "activities", List.of("RequestApproval", "NotifyEmployee"), types);
      }
      case SUBSCRIPTION -> {
        long charged = completions(h, "ChargeSubscription");
        result(out, closing, Integer.class, (int) charged);
        if (charged < r.size()) out.add("charged " + charged + " periods, the cancel came after " + r.size());
      }
      case ETL_RETRIES -> {
        result(out, closing, EtlReport.class, new EtlReport(r.id, 3, 3));
        equal(out, "activities", List.of("Extract", "Transform", "Load"), types);
      }
      case ETL_NON_RETRYABLE -> {
        failed(out, closing, "MalformedRow");
        equal(out, "activities", List.of("Extract", "Transform"), types);
      }
      case FANOUT -> {
        long n = r.size();
        result(out, closing, Long.class, n * (n + 1) * (2 * n + 1) / 6);
        equal(out, "activities", java.util.Collections.nCopies(r.size(), "Square"), types);
      }
      case SIGNUP -> {
        // Started before the change: replayed under the new code, it keeps the old path.
        result(out, closing, String.class, "acct-" + r.id + "@example.com welcomed");
        equal(out, "activities", List.of("CreateAccount", "SendWelcome"), types);
      }
    }
    return out;
  }

  /** Duplicated events: ids not 1..n, two outcomes of one activity attempt, a timer fired twice, a signal twice. */
  private static List<String> noDuplicates(List<HistoryEvent> h) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < h.size(); i++) {
      if (h.get(i).eventId() != i + 1) {
        out.add("event ids are not 1.." + h.size() + ": " + h.get(i).eventId() + " at " + (i + 1));
        break;
      }
    }
    Map<String, Integer> counts = new HashMap<>();
    for (HistoryEvent e : h) {
      String key = switch (e.event()) {
        case Event.ActivityTaskScheduled s -> "scheduled " + s.seq();
        case Event.ActivityTaskCompleted c -> "outcome " + c.seq() + "/" + c.attempt();
        case Event.ActivityTaskFailed f -> "outcome " + f.seq() + "/" + f.attempt();
        case Event.ActivityTaskTimedOut t -> "outcome " + t.seq() + "/" + t.attempt();
        case Event.TimerStarted t -> "timer " + t.seq();
        case Event.TimerFired f -> "fired " + f.seq();
        case Event.WorkflowSignaled s -> "signal " + s.signalName();
        default -> null;
      };
      if (key != null && counts.merge(key, 1, Integer::sum) == 2) {
        out.add("twice in history: " + key);
      }
    }
    return out;
  }

  /**
   * From the activities' ledger: an attempt ran at most once per process, and an attempt that ran
   * again after a kill is one whose outcome the history records once (re-running an attempt whose
   * completion the killed process had recorded would show as a second run of a recorded attempt in
   * a later process that is not the one recorded, which at least once allows only if it was not recorded
   * before the kill: the test cannot see that moment, so it reports those re-runs' count instead).
   */
  private static List<String> ledgerProblems(List<String> lines, Map<String, List<HistoryEvent>> histories) {
    List<String> out = new ArrayList<>();
    Map<String, List<Integer>> runsOf = new HashMap<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      runsOf.computeIfAbsent(f[1] + " " + f[2] + " " + f[3] + "/" + f[4] + " " + f[5], k -> new ArrayList<>())
          .add(Integer.parseInt(f[0]));
    }
    int rerunAfterKill = 0;
    for (Map.Entry<String, List<Integer>> e : runsOf.entrySet()) {
      List<Integer> generations = e.getValue();
      if (generations.stream().distinct().count() != generations.size()) {
        out.add("activity attempt ran twice in one process: " + e.getKey() + " in " + generations);
      } else if (generations.size() > 1) {
        rerunAfterKill++;
      }
    }
    System.out.println("DevServerRestartTest: " + runsOf.size() + " activity attempts ran; " + rerunAfterKill
        + " ran again after a kill (not recorded before it: at least once)");
    return out;
  }

  private static List<String> scheduled(List<HistoryEvent> h) {
    return h.stream().filter(e -> e.event() instanceof Event.ActivityTaskScheduled)
        .map(e -> ((Event.ActivityTaskScheduled) e.event()).activityType()).toList();
  }

  private static long completions(List<HistoryEvent> h, String activityType) {
    Map<Long, String> types = new HashMap<>();
    h.forEach(e -> {
      if (e.event() instanceof Event.ActivityTaskScheduled s) types.put(s.seq(), s.activityType());
    });
    return h.stream().filter(e -> e.event() instanceof Event.ActivityTaskCompleted c
        && activityType.equals(types.get(c.seq()))).count();
  }

  private static void equal(List<String> out, String what, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) out.add(what + ": expected " + expected + ", got " + actual);
  }

  private static void result(List<String> out, Event closing, Type type, Object expected) {
    if (!(closing instanceof Event.WorkflowExecutionCompleted c)) {
      out.add("expected completion with " + expected + ", closed with " + closing.describe());
      return;
    }
    equal(out, "result", expected, DataConverter.get().fromPayload(c.result(), type));
  }

  private static void failed(List<String> out, Event closing, String mention) {
    if (!(closing instanceof Event.WorkflowExecutionFailed f) || !f.failure().summary().contains(mention)) {
      out.add("expected a failure mentioning " + mention + ", closed with " + closing.describe());
    }
  }

  private static boolean closedHistory(List<HistoryEvent> h) {
    return !h.isEmpty() && switch (h.getLast().event()) {
      case Event.WorkflowExecutionCompleted c -> true;
      case Event.WorkflowExecutionFailed f -> true;
      default -> false;
    };
  }

  private static boolean closed(WorkflowClient client, String id) {
    return closedHistory(client.fetchHistory(id));
  }

  private static void await(WorkflowClient client, String id, Predicate<List<HistoryEvent>> done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<HistoryEvent> h = List.of();
    while (System.nanoTime() < deadline) {
      h = client.fetchHistory(id);
      if (done.test(h)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(id + ": not " + what + " within 60 s: " + h);
  }

  // --- the devserver process ---

  /** A client of a devserver started in a JVM of its own. */
  private final class Stack implements AutoCloseable {
    final AwsRuntime runtime;
    final WorkflowClient client;
    private final AwsRuntime.Clients clients;

    Stack(DevServerState s, WorkerSetup setup) {
      AwsCredentialsProvider creds = s.credentials();
      Region region = Region.of(s.region());
      clients = new AwsRuntime.Clients(
          DynamoDbClient.builder().endpointOverride(URI.create(s.dynamoDbEndpoint())).region(region)
              .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build(),
          SqsClient.builder().endpointOverride(URI.create(s.sqsEndpoint())).region(region)
              .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build(),
          SchedulerClient.builder().endpointOverride(URI.create(s.schedulerEndpoint())).region(region)
              .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build(),
          LambdaClient.builder().endpointOverride(URI.create(s.lambdaEndpoint())).region(region)
              .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build());
      runtime = new AwsRuntime(s.config(), clients, s.stackClock(), WorkflowTaskHooks.NONE);
      setup.configure(runtime.worker()); // the client checks requests against the same types, as the CLI does
      client = runtime.client();
    }

    @Override
    public void close() {
      clients.dynamoDb().close();
      clients.sqs().close();
      clients.scheduler().close();
      clients.lambda().close();
    }
  }

  private Stack start(int generation, Path data, Path ledger, Class<?> setup, String advance)
      throws IOException, InterruptedException {
    Path state = dir.resolve("devserver.json");
    Files.deleteIfExists(state);
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xss2m", "--enable-native-access=ALL-UNNAMED", "-Dtempora.restart.ledger=" + ledger,
        "-Dtempora.restart.generation=" + generation, "-cp", System.getProperty("java.class.path"),
        DevServerMain.class.getName(), "--serve", "--data-dir", data.toString(), "--state-file", state.toString(),
        "--worker-setup", setup.getName()));
    if (advance != null) {
      command.addAll(List.of("--advance-clock", advance));
    }
    Path log = Path.of("target", "restart-test", "devserver-" + generation + ".log");
    Files.createDirectories(log.getParent());
    devserver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!devserver.isAlive()) {
        throw new AssertionError("the devserver exited with " + devserver.exitValue() + ": " + Files.readString(log));
      }
      if (Files.exists(state)) {
        DevServerState s = DevServerState.read(state);
        if (s.pid() == devserver.pid()) {
          try {
            return new Stack(s, (WorkerSetup) setup.getDeclaredConstructor().newInstance());
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the devserver did not start within 60 s: " + Files.readString(log));
  }

  /** SIGKILL: nothing of the process runs after it (no shutdown hook, no close). */
  private void kill() throws InterruptedException {
    devserver.destroyForcibly();
    devserver.waitFor();
    devserver = null;
  }
}
