package dev.tempora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowClientOptions;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.converter.HistoryJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tempora workflow ...}: the verbs of the {@code temporal workflow} command. */
@Command(name = "workflow", mixinStandardHelpOptions = true, description = "Start and operate on workflows.")
final class WorkflowCommands {
  @ParentCommand Tempora root;

  /** A leaf command: its root's output and environment. */
  abstract static class Verb implements Callable<Integer> {
    @ParentCommand WorkflowCommands parent;

    Tempora root() {
      return parent.root;
    }

    Output out() {
      return root().output();
    }

    HttpApiClient api() {
      return root().env().api();
    }

    static String path(String workflowId) {
      return "/workflows/" + HttpApiClient.enc(Args.workflowId(workflowId));
    }
  }

  static class StartOptions {
    @Option(names = "--task-queue", paramLabel = "Q", description = "the run's task queue (default: default)")
    String taskQueue;
    @Option(names = "--execution-timeout", paramLabel = "D", description = "close it TIMED_OUT if open after D (e.g. 2h)")
    String executionTimeout;
    @Option(names = "--run-timeout", paramLabel = "D", description = "the same for one run")
    String runTimeout;
    @Option(names = "--memo", paramLabel = "JSON", description = "a JSON object recorded with the run")
    String memo;
    @Option(names = "--cron", paramLabel = "CRON", description = "a cron workflow: a run at each fire time")
    String cron;
    @Option(names = "--start-delay", paramLabel = "D", description = "its first workflow task waits D")
    String startDelay;
    @Option(names = "--id-reuse-policy", paramLabel = "P",
        description = "ALLOW_DUPLICATE, ALLOW_DUPLICATE_FAILED_ONLY, REJECT_DUPLICATE, TERMINATE_IF_RUNNING")
    String reusePolicy;
    @Option(names = "--search-attributes", paramLabel = "JSON",
        description = "typed search attributes: '{\"CustomerId\":{\"type\":\"KEYWORD\",\"value\":\"c-7\"}}'")
    String searchAttributes;

    ObjectNode body(String type, String id, List<String> args) {
      ObjectNode b = Json.MAPPER.createObjectNode();
      b.put("workflowType", type);
      b.put("workflowId", id);
      ArrayNode a = Args.json(args, 3);
      if (!a.isEmpty()) b.set("args", a);
      if (taskQueue != null) b.put("taskQueue", taskQueue);
      if (executionTimeout != null) b.put("workflowExecutionTimeout", Args.duration(executionTimeout, "--execution-timeout").toString());
      if (runTimeout != null) b.put("workflowRunTimeout", Args.duration(runTimeout, "--run-timeout").toString());
      if (memo != null) {
        JsonNode m = Json.value(memo, "--memo");
        if (!m.isObject()) throw new CliError.Usage("bad --memo '" + memo + "' (a JSON object, e.g. '{\"customer\":\"c-1\"}')");
        b.set("memo", m);
      }
      if (cron != null) b.put("cronSchedule", cron);
      if (startDelay != null) b.put("startDelay", Args.duration(startDelay, "--start-delay").toString());
      if (reusePolicy != null) b.put("workflowIdReusePolicy", reusePolicy);
      if (searchAttributes != null) b.set("searchAttributes", Json.value(searchAttributes, "--search-attributes"));
      return b;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a run (idempotent by workflow id).")
  static final class Start extends Verb {
    @Parameters(index = "0", paramLabel = "TYPE") String type;
    @Parameters(index = "1", paramLabel = "WORKFLOW_ID") String workflowId;
    @Parameters(index = "2..*", paramLabel = "ARG", description = "the workflow method's arguments, JSON values") List<String> args = new ArrayList<>();
    @picocli.CommandLine.Mixin StartOptions options;

    @Override
    public Integer call() {
      JsonNode r = start(this, options.body(type, workflowId, args));
      out().object(r, (r.path("started").asBoolean() ? "Started " : "Already running: ") + type + " " + r.path("workflowId").asText()
          + " (run " + r.path("runId").asText() + ")");
      return 0;
    }

    static JsonNode start(Verb v, ObjectNode body) {
      return v.api().send("POST", "/workflows", body).orThrow();
    }
  }

  @Command(name = "execute", mixinStandardHelpOptions = true, description = "Start a run and wait for its result.")
  static final class Execute extends Verb {
    @Parameters(index = "0", paramLabel = "TYPE") String type;
    @Parameters(index = "1", paramLabel = "WORKFLOW_ID") String workflowId;
    @Parameters(index = "2..*", paramLabel = "ARG") List<String> args = new ArrayList<>();
    @picocli.CommandLine.Mixin StartOptions options;
    @Option(names = "--timeout", paramLabel = "D", description = "how long to wait (default 30s)") String timeout = "30s";

    @Override
    public Integer call() {
      Duration wait = Args.duration(timeout, "--timeout");
      Start.start(this, options.body(type, workflowId, args));
      return Result.await(this, workflowId, wait);
    }
  }

  @Command(name = "signal", mixinStandardHelpOptions = true, description = "Signal the open run.")
  static final class Signal extends Verb {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID") String workflowId;
    @Parameters(index = "1", paramLabel = "SIGNAL") String name;
    @Parameters(index = "2..*", paramLabel = "ARG") List<String> args = new ArrayList<>();
    @Option(names = "--request-id", paramLabel = "R", description = "recorded once per request id") String requestId;

    @Override
    public Integer call() {
      ObjectNode b = Json.MAPPER.createObjectNode();
      ArrayNode a = Args.json(args, 3);
      if (!a.isEmpty()) b.set("args", a);
      if (requestId != null) b.put("requestId", requestId);
      String p = path(workflowId) + "/signals/" + HttpApiClient.enc(name);
      JsonNode r = api().send("POST", p, b).orThrow();
      out().object(r, "Signalled " + workflowId + ": " + name);
      return 0;
    }
  }

  @Command(name = "query", mixinStandardHelpOptions = true, description = "Query the run; prints the JSON result.")
  static final class Query extends Verb {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID") String workflowId;
    @Parameters(index = "1", paramLabel = "QUERY") String name;
    @Parameters(index = "2..*", paramLabel = "ARG") List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
      ObjectNode b = Json.MAPPER.createObjectNode();
      ArrayNode a = Args.json(args, 3);
      if (!a.isEmpty()) b.set("args", a);
      JsonNode r = api().send("POST", path(workflowId) + "/queries/" + HttpApiClient.enc(name), b).orThrow();
      if (out().text()) out().value(r.path("result"));
      else out().object(r, null);
      return 0;
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Run an update; prints its JSON result.")
  static final class Update extends Verb {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID") String workflowId;
    @Parameters(index = "1", paramLabel = "UPDATE") String name;
    @Parameters(index = "2..*", paramLabel = "ARG") List<String> args = new ArrayList<>();
    @Option(names = "--update-id", paramLabel = "U", description = "run once per update id") String updateId;
    @Option(names = "--wait-for-stage", paramLabel = "STAGE", description = "ACCEPTED or COMPLETED (default)") String stage;

    @Override
    public Integer call() {
      if (stage != null && !stage.equals("ACCEPTED") && !stage.equals("COMPLETED")) {
        throw new CliError.Usage("--wait-for-stage is '" + stage + "'; expected ACCEPTED or COMPLETED");
      }
      ObjectNode b = Json.MAPPER.createObjectNode();
      ArrayNode a = Args.json(args, 3);
      if (!a.isEmpty()) b.set("args", a);
      if (updateId != null) b.put("updateId", updateId);
      if (stage != null) b.put("waitForStage", stage);
      JsonNode r = api().send("POST", path(workflowId) + "/updates/" + HttpApiClient.enc(name), b).orThrow();
      if (!out().text()) {
        out().object(r, null);
      } else if (r.has("failure")) {
        throw new CliError.Failed("update " + name + " failed: " + Output.cell(r.get("failure").path("summary")));
      } else if (!"COMPLETED".equals(r.path("stage").asText())) {
        out().out.println("Update " + name + " " + r.path("updateId").asText() + " of " + workflowId + ": "
            + r.path("stage").asText());
      } else {
        out().value(r.path("result"));
      }
      return r.has("failure") ? CliError.FAILED : 0;
    }
  }

  @Command(name = "describe", mixinStandardHelpOptions = true, description = "Status, pending activities and timers, options.")
  static final class Describe extends Verb {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID") String workflowId;

    @Override
    public Integer call() {
      out().object(api().get(path(workflowId)).orThrow(), null);
      return 0;
    }
  }

  static final List<String> LIST_COLUMNS = List.of("workflowId", "workflowType", "status", "startTime", "closeTime");

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Runs, newest first (or those a list query matches).")
  static final class ListRuns extends Verb {
    @Option(names = "--status", paramLabel = "S") String status;
    @Option(names = "--type", paramLabel = "T") String type;
    @Option(names = {"-q", "--query"}, paramLabel = "Q",
        description = "a list query (docs/http-api.md), e.g. \"ExecutionStatus = 'Running' AND CustomerId = 'c-7'\"")
    String query;
    @Option(names = "--limit", paramLabel = "N", description = "at most N (default 100)") Integer limit;
    @Option(names = "--allow-scan", description = "answer a query that reads every run") boolean allowScan;

    @Override
    public Integer call() {
      if (limit != null && limit < 1) throw new CliError.Usage("--limit must be a positive integer, got " + limit);
      boolean byQuery = query != null || allowScan;
      if (byQuery && (status != null || type != null)) {
        throw new CliError.Usage("--query does not mix with --status/--type (write them in the query)");
      }
      String q = byQuery
          ? Args.query("query", query == null ? "" : query, "pageSize", limit == null ? null : limit.toString(),
              "allowScan", allowScan ? "true" : null)
          : Args.query("status", status == null ? null : status.toUpperCase(java.util.Locale.ROOT), "workflowType", type,
              "limit", limit == null ? null : limit.toString());
      JsonNode r = api().get("/workflows" + q).orThrow();
      List<String> columns = new ArrayList<>(LIST_COLUMNS);
      if (byQuery) columns.add("searchAttributes");
      out().rows(r.path("executions"), columns, "no workflow executions");
      return 0;
    }
  }

  @Command(name = "count", mixinStandardHelpOptions = true, description = "How many runs a list query matches.")
  static final class Count extends Verb {
    @Option(names = {"-q", "--query"}, paramLabel = "Q") String query;
    @Option(names = "--allow-scan") boolean allowScan;

    @Override
    public Integer call() {
      JsonNode r = api().get("/workflow-count" + Args.query("query", query, "allowScan", allowScan ? "true" : null)).orThrow();
      out().object(r, r.path("count").asText());
      return 0;
    }
  }

  @Command(name = "show", aliases = "history", mixinStandardHelpOptions = true,
      description = "The latest run's event history (or that run's).")
  static final class Show extends Verb {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID") String workflowId;
    @Parameters(index = "1", arity = "0..1", paramLabel = "RUN_ID") String runId;

    @Override
    public Integer call() {
      Args.workflowId(workflowId);
      // History is read from the table through the public AWS client: the HTTP API has no history route.
      WorkflowClient client = root().env().stubs().newWorkflowClient(WorkflowClientOptions.getDefaultInstance());
      List<HistoryEvent> events;
      try {
        events = runId == null ? client.fetchHistory(workflowId) : client.fetchHistory(workflowId, runId);
      } catch (WorkflowNotFoundException e) {
        throw new CliError.Failed("WorkflowNotFound: " + e.getMessage());
      }
      Output o = out();
      switch (o.format) {
        case json -> o.out.println(Json.pretty(readTree(HistoryJson.write(events))));
        case jsonl -> readTree(HistoryJson.write(events)).forEach(e -> o.out.println(Json.compact(e)));
        case text, table -> {
          for (HistoryEvent e : events) o.out.printf("%4d  %s  %s%n", e.eventId(), e.timestamp(), e.event().describe());
        }
      }
      return 0;
    }

    private static JsonNode readTree(String s) {
      try {
        return Json.MAPPER.readTree(s);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Command(name = "result", mixinStandardHelpOptions = true, description = "Wait for the run's result.")
  static final class Result extends Verb {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID") String workflowId;
    @Option(names = "--timeout", paramLabel = "D", description = "how long to wait (default 30s)") String timeout = "30s";

    @Override
    public Integer call() {
      return await(this, workflowId, Args.duration(timeout, "--timeout"));
    }

    /** Polls the result route (each call waits up to 20 s); exit 1 unless the run completed. */
    static int await(Verb v, String workflowId, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000_000L);
        ApiAnswer a = v.api().get(path(workflowId) + "/result" + Args.query("waitSeconds", Long.toString(Math.min(20, left))));
        JsonNode r = a.orThrow();
        if (a.status() != 202) {
          String status = r.path("status").asText();
          Output o = v.out();
          if (!o.text()) {
            o.object(r, null);
          } else if (status.equals("COMPLETED")) {
            o.value(r.path("result").isMissingNode() ? Json.MAPPER.nullNode() : r.path("result"));
          }
          if (status.equals("COMPLETED")) return 0;
          if (o.text()) {
            String why = r.has("failure") ? ": " + r.get("failure").path("summary").asText()
                : r.has("reason") ? ": " + r.get("reason").asText() : "";
            v.root().err.println("tempora: workflow " + workflowId + " " + status + why);
          }
          return CliError.FAILED;
        }
        if (System.nanoTime() >= deadline) {
          throw new CliError.Failed("ResultTimeout: " + workflowId + " still running after " + timeout.toSeconds() + "s");
        }
      }
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Request cancellation.")
  static final class Cancel extends Verb {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID") String workflowId;

    @Override
    public Integer call() {
      JsonNode r = api().send("POST", path(workflowId) + "/cancel", Json.MAPPER.createObjectNode()).orThrow();
      out().object(r, "Cancellation requested: " + workflowId);
      return 0;
    }
  }

  @Command(name = "terminate", mixinStandardHelpOptions = true, description = "End the run at once.")
  static final class Terminate extends Verb {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID") String workflowId;
    @Parameters(index = "1..*", paramLabel = "REASON") List<String> reason = new ArrayList<>();

    @Override
    public Integer call() {
      String why = reason.isEmpty() ? "terminated from the tempora CLI" : String.join(" ", reason);
      ObjectNode b = Json.MAPPER.createObjectNode().put("reason", why);
      JsonNode r = api().send("POST", path(workflowId) + "/terminate", b).orThrow();
      out().object(r, "Terminated " + workflowId + ": " + why);
      return 0;
    }
  }
}
