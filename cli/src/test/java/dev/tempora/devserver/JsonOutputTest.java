package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityExecutionContext;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.examples.ExamplesSetup;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every verb of the CLI with {@code --output json} against one devserver: its stdout is exactly one
 * JSON value (Jackson, trailing tokens refused), and with {@code --output jsonl} every line is one;
 * nothing else is printed there. Scripts pipe these into jq.
 */
class JsonOutputTest {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  @TempDir static Path dir;
  static DevServer server;
  static Path stateFile;

  /** Task tokens the sign-off activity handed out, by workflow id. */
  static final Map<String, byte[]> TOKENS = new ConcurrentHashMap<>();

  /** An async activity (completed through the activity verbs); its name is none of the examples'. */
  @ActivityInterface
  public interface SignOffs {
    String signOff(String what);
  }

  public static final class SignOffsImpl implements SignOffs {
    @Override
    public String signOff(String what) {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      TOKENS.put(ctx.getInfo().workflowId(), ctx.getTaskToken());
      ctx.doNotCompleteOnReturn();
      return "ignored";
    }
  }

  @WorkflowInterface
  public interface SignOff {
    @WorkflowMethod
    String run(String what);
  }

  public static final class SignOffImpl implements SignOff {
    @Override
    public String run(String what) {
      ActivityOptions o = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofDays(1))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build();
      try {
        return Workflow.newActivityStub(SignOffs.class, o).signOff(what);
      } catch (ActivityFailure e) {
        return "not signed off";
      }
    }
  }

  /** The examples and the sign-off workflow (for the activity verbs) on one worker. */
  public static final class Setup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      new ExamplesSetup().configure(worker);
      worker.registerWorkflowImplementationTypes(SignOffImpl.class);
      worker.registerActivitiesImplementations(new SignOffsImpl());
    }
  }

  @BeforeAll
  static void start() {
    // Redelivery after 1 s and 2 receives: a poison message reaches its DLQ in seconds (dlq verbs).
    server = DevServer.start(new Setup(), DevServer.Options.defaults().withRedelivery(Duration.ofSeconds(1), 2));
    stateFile = dir.resolve("devserver.json");
    server.writeState(stateFile);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Runs a verb with --output json: exit 0, nothing on stderr, stdout one JSON value (returned). */
  static JsonNode json(String... args) {
    return parse("json", args);
  }

  /** As {@link #json}, and (for verbs that only read) again with jsonl: one line per element or the object. */
  static JsonNode both(String... args) {
    List<JsonNode> lines = lines(args);
    JsonNode one = parse("json", args);
    if (one.isArray()) assertEquals(one.size(), lines.size(), "jsonl: one line per element of " + one);
    else assertEquals(List.of(one), lines, "jsonl: the object on one line");
    return one;
  }

  private static JsonNode parse(String format, String... args) {
    CliRun r = run(format, args);
    try {
      return JSON.readTree(r.out());
    } catch (IOException e) {
      return fail(String.join(" ", args) + " --output " + format + ": not one JSON value (" + e.getMessage()
          + "):\n" + r.out());
    }
  }

  private static List<JsonNode> lines(String... args) {
    CliRun r = run("jsonl", args);
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.out().split("\n", -1)) {
      if (line.isEmpty()) continue;
      try {
        out.add(JSON.readTree(line));
      } catch (IOException e) {
        fail(String.join(" ", args) + " --output jsonl: a line is not one JSON value: " + line);
      }
    }
    return out;
  }

  private static CliRun run(String format, String... args) {
    List<String> all = new ArrayList<>(List.of("--output", format));
    all.addAll(List.of(args));
    CliRun r = CliRun.of(stateFile, all.toArray(String[]::new));
    assertEquals(0, r.rc(), () -> String.join(" ", all) + " -> " + r);
    assertEquals("", r.err(), () -> String.join(" ", all) + ": stderr");
    return r;
  }

  static String report(String id) {
    return "{\"expenseId\":\"" + id + "\",\"employee\":\"ann\",\"amountCents\":4200,\"description\":\"taxi\"}";
  }

  static JsonNode until(Predicate<JsonNode> done, String... args) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      CliRun r = CliRun.of(stateFile, concat(List.of("--output", "json"), args));
      if (r.rc() == 0) {
        try {
          JsonNode n = JSON.readTree(r.out());
          if (done.test(n)) return n;
        } catch (IOException e) {
          fail("not JSON: " + r.out());
        }
      }
      Thread.sleep(100);
    }
    return fail("never: " + String.join(" ", args));
  }

  private static String[] concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  @Test
  void workflowVerbs() throws Exception {
    assertEquals("j-exp-1", json("workflow", "start", "ExpenseWorkflow", "j-exp-1", report("e-1")).path("workflowId").asText());
    until(n -> "WAITING".equals(n.path("result").asText()), "workflow", "query", "j-exp-1", "status");
    both("workflow", "query", "j-exp-1", "status");
    json("workflow", "signal", "j-exp-1", "approve", "\"bob\"");
    assertEquals("COMPLETED", both("workflow", "result", "j-exp-1", "--timeout", "60s").path("status").asText());
    assertEquals("j-exp-1", both("workflow", "describe", "j-exp-1").path("workflowId").asText());
    assertTrue(both("workflow", "list").isArray());
    both("workflow", "count");
    assertTrue(both("workflow", "show", "j-exp-1").isArray());
    assertEquals(55, json("workflow", "execute", "FanOutWorkflow", "j-fan-1", "5", "--timeout", "60s").path("result")
        .asLong());

    json("workflow", "start", "BookingWorkflow", "j-book-1", "\"booking-j\"");
    assertEquals("hold-A1", json("workflow", "update", "j-book-1", "addSeat", "\"A1\"").path("result").asText());
    json("workflow", "cancel", "j-book-1");
    json("workflow", "start", "ExpenseWorkflow", "j-exp-2", report("e-2"));
    json("workflow", "terminate", "j-exp-2", "no", "longer", "needed");
  }

  @Test
  void scheduleVerbs() {
    json("schedule", "create", "j-s1", "FanOutWorkflow", "3", "--every", "1h");
    both("schedule", "list");
    both("schedule", "describe", "j-s1");
    json("schedule", "update", "j-s1",
        "{\"action\":{\"workflowType\":\"FanOutWorkflow\",\"args\":[4]},\"spec\":{\"cronExpressions\":[\"@hourly\"]}}");
    json("schedule", "pause", "j-s1", "for", "a", "while");
    json("schedule", "unpause", "j-s1");
    json("schedule", "trigger", "j-s1");
    json("schedule", "backfill", "j-s1", "2026-01-01T00:00:00Z", "2026-01-01T02:00:00Z");
    json("schedule", "delete", "j-s1");
  }

  @Test
  void activityVerbs() throws Exception {
    String a = approval("j-appr-1");
    assertTrue(json("activity", "heartbeat", a, "{\"step\":1}").has("cancelRequested"));
    json("activity", "complete", a, "\"approved\"");
    json("activity", "fail", approval("j-appr-2"), "over", "budget", "--type", "Rejected", "--non-retryable");
    json("activity", "cancel", approval("j-appr-3"));
  }

  @Test
  void dlqVerbs() throws Exception {
    String url = server.queues().get("workflow-tasks").url();
    server.aws().sqs().sendMessage(b -> b.queueUrl(url).messageBody("{not a workflow task")
        .messageGroupId("default#poisoned-json").messageDeduplicationId("poison-json"));
    for (int i = 0; i < 150 && server.deadLetters("workflow-tasks").isEmpty(); i++) {
      Thread.sleep(100);
    }
    JsonNode rows = both("dlq", "list");
    assertTrue(rows.isArray() && rows.toString().contains("not a workflow task"), rows.toString());
    both("dlq", "list", "workflow-tasks");
    assertEquals(1, json("dlq", "redrive", "workflow-tasks").path("redriven").asInt());
  }

  @Test
  void uiVerb() {
    // On the devserver `ui` points at the banner's URL (tempora ui serves only an engine on AWS: UiCommandTest).
    assertTrue(both("ui").path("url").isNull());
  }

  /** Starts a sign-off workflow and returns its activity's task token. */
  private static String approval(String id) throws Exception {
    WorkflowClient client = server.client();
    SignOff run = client.newWorkflowStub(SignOff.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
    WorkflowClient.start(run::run, "chair 90 EUR");
    for (int i = 0; i < 300 && !TOKENS.containsKey(id); i++) Thread.sleep(100);
    assertTrue(TOKENS.containsKey(id), "no task token for " + id);
    return new String(TOKENS.get(id), StandardCharsets.US_ASCII);
  }

  /** A verb added to the CLI is added here (and to the tests above). */
  @Test
  void everyVerbIsCovered() {
    Set<String> verbs = new TreeSet<>();
    for (String group : List.of("workflow", "schedule", "activity", "dlq")) {
      CliRun help = CliRun.run(group, "--help");
      boolean commands = false;
      for (String line : help.out().split("\n")) {
        if (line.startsWith("Commands:")) commands = true;
        else if (commands && line.startsWith("  ") && !line.startsWith("   ")) {
          verbs.add(group + " " + line.strip().split("[ ,]")[0]);
        }
      }
    }
    // Top-level commands that are no group (tempora ui).
    boolean commands = false;
    for (String line : CliRun.run("--help").out().split("\n")) {
      if (line.startsWith("Commands:")) commands = true;
      else if (commands && line.isBlank()) break; // the footer follows
      else if (commands && line.startsWith("  ") && !line.startsWith("   ")) {
        String name = line.strip().split("[ ,]")[0];
        if (!List.of("workflow", "schedule", "activity", "dlq").contains(name)) verbs.add(name);
      }
    }
    assertEquals(new TreeSet<>(VERBS_COVERED), verbs);
  }

  static final Set<String> VERBS_COVERED = Set.of("workflow start", "workflow execute", "workflow signal",
      "workflow query", "workflow update", "workflow describe", "workflow list", "workflow count", "workflow show",
      "workflow result", "workflow cancel", "workflow terminate", "schedule create", "schedule list",
      "schedule describe", "schedule update", "schedule pause", "schedule unpause", "schedule trigger",
      "schedule backfill", "schedule delete", "activity complete", "activity fail", "activity heartbeat",
      "activity cancel", "dlq list", "dlq redrive", "ui");
}
