package dev.tempora.devserver;

import java.net.MalformedURLException;
import java.net.URLClassLoader;
import java.net.URL;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.ActivityCanceledException;
import dev.tempora.client.ActivityCompletionClient;
import dev.tempora.client.ActivityCompletionException;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowExecutionMetadata;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.SignalOptions;
import dev.tempora.client.UpdateOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowException;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowExecutionInfo;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowUpdateHandle;
import dev.tempora.client.WorkflowUpdateStage;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleActionStartWorkflow;
import dev.tempora.client.schedules.ScheduleAlreadyRunningException;
import dev.tempora.client.schedules.ScheduleBackfill;
import dev.tempora.client.schedules.ScheduleClient;
import dev.tempora.client.schedules.ScheduleDescription;
import dev.tempora.client.schedules.ScheduleHandle;
import dev.tempora.client.schedules.ScheduleListDescription;
import dev.tempora.client.schedules.ScheduleNotFoundException;
import dev.tempora.client.schedules.ScheduleOverlapPolicy;
import dev.tempora.client.schedules.SchedulePolicy;
import dev.tempora.client.schedules.ScheduleSpec;
import dev.tempora.client.schedules.ScheduleState;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.http.HttpApi;
import dev.tempora.internal.http.StartOptionsJson;
import dev.tempora.internal.schedules.ScheduleCodec;
import dev.tempora.internal.worker.RegistryWorker;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code tempora}: a command line client for a running {@code devserver --serve}. It reads the
 * devserver's state file and talks to it through the real AWS SDK clients, like an application
 * would. Arguments of workflows, signals and queries are JSON values (a string is {@code '"bob"'}).
 * Requests are checked as the HTTP API checks them (the same checks, in the client), against the
 * workflow types of the devserver's worker setup and the task queues it serves.
 *
 * <p>Exit codes: 0 ok; 1 the operation failed (no such workflow, workflow failed, devserver not
 * reachable); 2 usage error (the command line itself); 3 the request was refused before anything
 * was written, with the HTTP API's error name first ({@code tempora: UnknownWorkflowType: ...}).
 */
public final class TemporaCli {
  private TemporaCli() {}

  static final String USAGE = """
      usage: tempora [--state-file PATH] [--json] <command> [args]
        start <workflowType> <workflowId> [jsonArgs...]   start a run (args are JSON values)
              [--task-queue Q]                            on task queue Q (default: default)
              [--execution-timeout D] [--run-timeout D]   close it as TIMED_OUT if still open after D (e.g. 2h)
              [--memo '{"key":"json value"}']             recorded with the run, shown by describe
              [--cron '0 12 * * MON-FRI']                 a cron workflow: a run at each fire time
              [--start-delay D]                           its first workflow task waits D (e.g. 10m)
        signal <workflowId> <signalName> [jsonArgs...]    signal the open run
              [--request-id R]                            recorded once per request id
        query <workflowId> <queryName> [jsonArgs...]      query the run, print the JSON result
        update <workflowId> <updateName> [jsonArgs...]    run an update, print its JSON result
              [--update-id U]                             run once per update id (a repeat gets the answer)
              [--wait-for-stage ACCEPTED|COMPLETED]       return once accepted (default: completed)
        describe <workflowId>                             status, pending activities and timers
        list [--status S] [--type T] [--limit N]          runs, newest first
        list --query Q [--limit N] [--allow-scan]         runs a list query matches (Temporal's filter
                                                          language, docs/http-api.md), e.g.
                                                          "ExecutionStatus = 'Running' AND CustomerId = 'c-7'"
        count [--query Q] [--allow-scan]                  how many runs the query matches
        history <workflowId> [runId]                      the latest (or that) run's events
        result <workflowId> [--timeout 30s]               wait for the result (default 30s)
        cancel <workflowId>                               request cancellation
        terminate <workflowId> [reason...]                end the run at once
        schedule create <scheduleId> <workflowType> [jsonArgs...] --cron EXPR | --every 30m
              [--tz ZONE] [--overlap P] [--task-queue Q] [--paused]    a schedule (P: SKIP, BUFFER_ONE, ...)
        schedule list | describe <id> | delete <id> | trigger <id> [--overlap P]
        schedule pause <id> [note...] | unpause <id> [note...]
        schedule update <id> <scheduleJson>               replace it (the HTTP API's JSON shape)
        schedule backfill <id> <startAt> <endAt> [--overlap P]   act on the times in [startAt, endAt)
        activity complete <taskToken> [jsonResult]        complete an activity that returned without a result
        activity fail <taskToken> <message...> [--type T] [--non-retryable]   fail it (retried by its policy)
        activity heartbeat <taskToken> [jsonDetails]      record progress (prints whether cancel was requested)
        activity cancel <taskToken>                       report it canceled
        dlq [role]                                        dead-lettered messages (all roles if none given)
        redrive <role>                                    move a DLQ's messages back to their queue
        help
      JSON args: '{"orderId":"o-1"}', 20, '"a string"', true, null. --json: JSON output for describe/list/history.
      State file: --state-file, else $TEMPORA_STATE_FILE, else ~/.tempora/devserver.json (written by bin/devserver).
      Exit codes: 0 ok, 1 failed, 2 usage error, 3 request refused (the error name is printed first).""";

  private static final ObjectMapper JSON = DataConverter.get().mapper();
  private static final ObjectMapper PRETTY = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT);

  /** A usage error: exit code 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  /** The operation could not be done (devserver not running, ...): exit code 1. */
  static final class CliFailure extends RuntimeException {
    CliFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static void main(String[] args) {
    int rc = run(args, System.out, System.err);
    System.out.flush();
    System.exit(rc);
  }

  /** Exit code of a request refused before anything was written. */
  static final int REFUSED = 3;

  /** What the devserver's endpoints answer to a request not signed with the stack's credential. */
  private static final Set<String> CREDENTIAL_REFUSALS = Set.of("UnrecognizedClientException",
      "InvalidSignatureException", "MissingAuthenticationTokenException", "IncompleteSignatureException");

  /** Runs one command; returns the exit code (0 ok, 1 failure, 2 usage error, 3 refused). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try (TemporaCli.Session s = new Session(out)) {
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--json" -> s.json = true;
          case "--state-file" -> {
            if (i + 1 >= args.length) throw new UsageException("--state-file needs a path");
            s.stateFile = Path.of(args[++i]);
          }
          default -> rest.add(args[i]);
        }
      }
      if (rest.isEmpty()) {
        throw new UsageException("no command given");
      }
      String command = rest.get(0);
      List<String> a = rest.subList(1, rest.size());
      switch (command) {
        case "start" -> s.start(a);
        case "signal" -> s.signal(a);
        case "query" -> s.query(a);
        case "update" -> s.update(a);
        case "describe" -> s.describe(a);
        case "list" -> s.list(a);
        case "count" -> s.count(a);
        case "history" -> s.history(a);
        case "result" -> s.result(a);
        case "cancel" -> s.cancel(a);
        case "terminate" -> s.terminate(a);
        case "schedule" -> s.schedule(a);
        case "activity" -> s.activity(a);
        case "dlq" -> s.dlq(a);
        case "redrive" -> s.redrive(a);
        case "help", "--help", "-h" -> out.println(USAGE);
        default -> throw new UsageException("unknown command '" + command + "'");
      }
      return 0;
    } catch (UsageException e) {
      err.println("tempora: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (InvalidRequestException e) {
      err.println("tempora: " + e.getError() + ": " + e.getDetail());
      return REFUSED;
    } catch (ActivityCompletionException e) {
      err.println("tempora: " + e.getMessage()); // starts with its name: InvalidTaskToken, ActivityNotExists
      return REFUSED;
    } catch (WorkflowException e) {
      err.println("tempora: " + e.getMessage() + causeText(e));
      return 1;
    } catch (ScheduleNotFoundException | ScheduleAlreadyRunningException e) {
      err.println("tempora: " + e.getMessage());
      return 1;
    } catch (CliFailure e) {
      err.println("tempora: " + e.getMessage());
      return 1;
    } catch (SdkClientException e) {
      err.println("tempora: cannot reach the devserver (" + e.getMessage() + "); is it still running?");
      return 1;
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (CREDENTIAL_REFUSALS.contains(code)) {
        err.println("tempora: the devserver refused the state file's credential (" + code + "): the file is from another"
            + " devserver start, or another devserver took its ports; restart bin/devserver or pass its --state-file");
      } else {
        err.println("tempora: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      return 1;
    } catch (RuntimeException e) {
      err.println("tempora: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return 1;
    }
  }

  private static String causeText(Throwable e) {
    Throwable c = e.getCause();
    return c == null || c.getMessage() == null || e.getMessage().contains(c.getMessage()) ? "" : ": " + c.getMessage();
  }

  /** One invocation: options, and the connection to the devserver, opened on first use. */
  private static final class Session implements AutoCloseable {
    final PrintStream out;
    boolean json;
    Path stateFile;
    private DevServerState state;
    private AwsRuntime.Clients clients;
    private AwsRuntime runtime;
    private boolean typesLoaded;

    Session(PrintStream out) {
      this.out = out;
    }

    // ---- commands (each validates its arguments before connecting) ----

    void start(List<String> all) {
      Map<String, String> opts = new HashMap<>();
      List<String> a = options(all, opts, "--task-queue", "--execution-timeout", "--run-timeout", "--memo", "--cron",
          "--start-delay");
      need(a, 2, "start <workflowType> <workflowId> [jsonArgs...] [--task-queue Q] [--execution-timeout D] "
          + "[--run-timeout D] [--memo JSON] [--cron CRON] [--start-delay D]");
      Object[] args = jsonArgs(a.subList(2, a.size()), 3);
      WorkflowOptions.Builder options = WorkflowOptions.newBuilder().setWorkflowId(a.get(1));
      if (opts.containsKey("--task-queue")) {
        options.setTaskQueue(opts.get("--task-queue"));
      }
      if (opts.containsKey("--execution-timeout")) {
        options.setWorkflowExecutionTimeout(duration(opts.get("--execution-timeout"), "--execution-timeout"));
      }
      if (opts.containsKey("--run-timeout")) {
        options.setWorkflowRunTimeout(duration(opts.get("--run-timeout"), "--run-timeout"));
      }
      if (opts.containsKey("--memo")) {
        options.setMemo(memo(opts.get("--memo")));
      }
      if (opts.containsKey("--cron")) {
        options.setCronSchedule(opts.get("--cron"));
      }
      if (opts.containsKey("--start-delay")) {
        options.setStartDelay(duration(opts.get("--start-delay"), "--start-delay"));
      }
      WorkflowExecution e = checkingClient().newUntypedWorkflowStub(a.get(0), options.build()).start(args);
      out.println("Started " + a.get(0) + " " + e.workflowId() + " (run " + e.runId() + ")");
    }

    void signal(List<String> all) {
      Map<String, String> opts = new HashMap<>();
      List<String> a = options(all, opts, "--request-id");
      need(a, 2, "signal <workflowId> <signalName> [jsonArgs...] [--request-id R]");
      Object[] args = jsonArgs(a.subList(2, a.size()), 3);
      SignalOptions options = opts.containsKey("--request-id")
          ? SignalOptions.newBuilder().setRequestId(opts.get("--request-id")).build() : SignalOptions.getDefaultInstance();
      checkingClient().newUntypedWorkflowStub(a.get(0)).signal(options, a.get(1), args);
      out.println("Signalled " + a.get(0) + ": " + a.get(1));
    }

    void update(List<String> all) {
      Map<String, String> opts = new HashMap<>();
      List<String> a = options(all, opts, "--update-id", "--wait-for-stage");
      need(a, 2, "update <workflowId> <updateName> [jsonArgs...] [--update-id U] [--wait-for-stage ACCEPTED|COMPLETED]");
      Object[] args = jsonArgs(a.subList(2, a.size()), 3);
      WorkflowUpdateStage stage = WorkflowUpdateStage.COMPLETED;
      if (opts.containsKey("--wait-for-stage")) {
        String given = opts.get("--wait-for-stage");
        if (!given.equals("ACCEPTED") && !given.equals("COMPLETED")) {
          throw new UsageException("--wait-for-stage is '" + given + "'; expected ACCEPTED or COMPLETED");
        }
        stage = WorkflowUpdateStage.valueOf(given);
      }
      UpdateOptions<JsonNode> options = UpdateOptions.newBuilder(JsonNode.class).setUpdateName(a.get(1))
          .setUpdateId(opts.get("--update-id")).setWaitForStage(stage).build();
      WorkflowUpdateHandle<JsonNode> handle = checkingClient().newUntypedWorkflowStub(a.get(0)).startUpdate(options,
          args);
      if (stage == WorkflowUpdateStage.ACCEPTED) {
        out.println("Update " + a.get(1) + " " + handle.getId() + " of " + a.get(0) + ": " + handle.getStage());
        return;
      }
      out.println(show(handle.getResult()));
    }

    void query(List<String> a) {
      need(a, 2, "query <workflowId> <queryName> [jsonArgs...]");
      Object[] args = jsonArgs(a.subList(2, a.size()), 3);
      JsonNode r = checkingClient().newUntypedWorkflowStub(a.get(0)).query(a.get(1), JsonNode.class, args);
      out.println(show(r));
    }

    void describe(List<String> a) {
      exactly(a, 1, "describe <workflowId>");
      WorkflowDescription d = client().describe(a.get(0));
      if (json) {
        out.println(pretty(StartOptionsJson.describe(d)));
        return;
      }
      out.printf("Workflow   %s (run %s)%n", d.execution().workflowId(), d.execution().runId());
      out.printf("Type       %s   task queue %s%n", d.workflowType(), d.taskQueue());
      out.printf("Status     %s%n", d.status());
      out.printf("Started    %s%n", d.startTime());
      if (d.closeTime() != null) out.printf("Closed     %s%n", d.closeTime());
      out.printf("History    %d events%n", d.historyLength());
      for (WorkflowDescription.PendingActivity p : d.pendingActivities()) {
        out.printf("Pending activity  %s %s on %s, scheduled %s%n", p.activityId(), p.activityType(), p.taskQueue(),
            p.scheduledTime());
      }
      for (WorkflowDescription.PendingTimer t : d.pendingTimers()) {
        out.printf("Pending timer     %s fires %s%n", t.timerId(), t.fireTime());
      }
      if (d.workflowExecutionTimeout() != null) {
        out.printf("Execution timeout  %s (expires %s)%n", d.workflowExecutionTimeout(), d.workflowExecutionExpirationTime());
      }
      if (d.workflowRunTimeout() != null) out.printf("Run timeout        %s%n", d.workflowRunTimeout());
      RetryOptions r = d.retryOptions();
      if (r != null) {
        out.printf("Retry      initial %s, coefficient %s, maximum %s, %s%s%n", r.getInitialInterval(),
            r.getBackoffCoefficient(), r.getMaximumInterval(), r.getMaximumAttempts() == 0 ? "unlimited attempts"
                : r.getMaximumAttempts() + " attempts", r.getDoNotRetry().isEmpty() ? ""
                : ", not retried: " + String.join(", ", r.getDoNotRetry()));
      }
      d.memo().forEach((k, v) -> out.printf("Memo       %s = %s%n", k, show(JSON.valueToTree(v))));
      d.getTypedSearchAttributes().getUntypedValues().forEach((k, v) -> out.printf("Search     %s = %s (%s)%n",
          k.getName(), v, k.getValueType()));
      if (d.lastFailure() != null) out.printf("Last failure  %s%n", d.lastFailure());
      if (d.taskFailure() != null) out.printf("TASK FAILING  %s%n", d.taskFailure());
    }

    void schedule(List<String> all) {
      if (all.isEmpty()) throw new UsageException("schedule needs a verb: create|list|describe|update|pause|unpause|trigger|backfill|delete");
      String verb = all.get(0);
      Map<String, String> opts = new HashMap<>();
      List<String> a = options(all.subList(1, all.size()), opts, "--cron", "--every", "--tz", "--overlap", "--task-queue");
      switch (verb) {
        case "create" -> {
          boolean paused = a.remove("--paused");
          need(a, 2, "schedule create <scheduleId> <workflowType> [jsonArgs...] --cron EXPR | --every 30m");
          if (opts.containsKey("--cron") == opts.containsKey("--every")) {
            throw new UsageException("schedule create: give one of --cron EXPR or --every DURATION");
          }
          String cron = opts.containsKey("--cron") ? opts.get("--cron") : "@every " + opts.get("--every");
          Object[] args = jsonArgs(a.subList(2, a.size()), 3);
          Schedule schedule = Schedule.newBuilder()
              .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(a.get(1)).setArguments(args)
                  .setOptions(WorkflowOptions.newBuilder().setTaskQueue(opts.getOrDefault("--task-queue", "default")).build())
                  .build())
              .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(cron)).setTimeZoneName(opts.get("--tz")).build())
              .setPolicy(SchedulePolicy.newBuilder().setOverlap(overlap(opts)).build())
              .setState(ScheduleState.newBuilder().setPaused(paused).build())
              .build();
          schedules(true).createSchedule(a.get(0), schedule);
          out.println("Created schedule " + a.get(0));
        }
        case "list" -> {
          exactly(a, 0, "schedule list");
          List<ScheduleListDescription> rows = schedules(false).listSchedules();
          if (json) {
            out.println(pretty(rows));
          } else if (rows.isEmpty()) {
            out.println("no schedules");
          } else {
            out.printf("%-28s %-24s %-7s %s%n", "SCHEDULE ID", "WORKFLOW TYPE", "PAUSED", "NEXT");
            for (ScheduleListDescription r : rows) {
              out.printf("%-28s %-24s %-7s %s%n", r.scheduleId(), r.workflowType(), r.paused(),
                  r.nextActionTimes().isEmpty() ? "" : r.nextActionTimes().getFirst());
            }
          }
        }
        case "describe" -> {
          exactly(a, 1, "schedule describe <scheduleId>");
          ScheduleDescription d = schedules(false).getHandle(a.get(0)).describe();
          if (json) {
            out.println(pretty(HttpApi.scheduleJson(d)));
            return;
          }
          out.printf("Schedule   %s -> %s%n", d.id(), d.schedule().getAction().getWorkflowType());
          out.printf("Spec       %s%s%n", d.schedule().getSpec().getCronExpressions(),
              d.schedule().getSpec().getTimeZoneName() == null ? "" : " in " + d.schedule().getSpec().getTimeZoneName());
          out.printf("State      %s%s%n", d.schedule().getState().isPaused() ? "PAUSED" : "ACTIVE",
              d.schedule().getState().getNote() == null ? "" : " (" + d.schedule().getState().getNote() + ")");
          out.printf("Actions    %d taken, %d skipped, %d dropped from the buffer, %d missed%n", d.info().numActions(),
              d.info().numActionsSkippedOverlap(), d.info().numBufferDropped(), d.info().numActionsMissedCatchupWindow());
          for (var r : d.info().recentActions()) {
            out.printf("Recent     %s started %s %s%n", r.scheduledAt(), r.startedAt(),
                r.action() != null ? r.action().workflowId() : "refused: " + r.error());
          }
          d.info().runningActions().forEach(x -> out.printf("Running    %s%n", x.workflowId()));
          d.info().nextActionTimes().forEach(t -> out.printf("Next       %s%n", t));
        }
        case "update" -> {
          exactly(a, 2, "schedule update <scheduleId> <scheduleJson>");
          Schedule schedule;
          try {
            schedule = ScheduleCodec.read(JSON.readTree(a.get(1)), "the schedule");
          } catch (JsonProcessingException e) {
            throw new UsageException("schedule update: the schedule is not JSON: " + e.getOriginalMessage());
          }
          schedules(true).getHandle(a.get(0)).update(d -> schedule);
          out.println("Updated schedule " + a.get(0));
        }
        case "pause", "unpause" -> {
          need(a, 1, "schedule " + verb + " <scheduleId> [note...]");
          String note = a.size() > 1 ? String.join(" ", a.subList(1, a.size())) : verb + "d";
          ScheduleHandle h = schedules(false).getHandle(a.get(0));
          if (verb.equals("pause")) {
            h.pause(note);
          } else {
            h.unpause(note);
          }
          out.println((verb.equals("pause") ? "Paused" : "Unpaused") + " schedule " + a.get(0));
        }
        case "trigger" -> {
          exactly(a, 1, "schedule trigger <scheduleId> [--overlap P]");
          schedules(true).getHandle(a.get(0)).trigger(opts.containsKey("--overlap") ? overlap(opts) : null);
          out.println("Triggered schedule " + a.get(0));
        }
        case "backfill" -> {
          exactly(a, 3, "schedule backfill <scheduleId> <startAt> <endAt> [--overlap P]");
          Instant start;
          Instant end;
          try {
            start = Instant.parse(a.get(1));
            end = Instant.parse(a.get(2));
          } catch (DateTimeParseException e) {
            throw new UsageException("schedule backfill: startAt and endAt are ISO-8601 instants, e.g. 2026-01-01T00:00:00Z");
          }
          schedules(true).getHandle(a.get(0)).backfill(List.of(new ScheduleBackfill(start, end,
              opts.containsKey("--overlap") ? overlap(opts) : null)));
          out.println("Backfilled schedule " + a.get(0) + " from " + start + " to " + end);
        }
        case "delete" -> {
          exactly(a, 1, "schedule delete <scheduleId>");
          schedules(false).getHandle(a.get(0)).delete();
          out.println("Deleted schedule " + a.get(0));
        }
        default -> throw new UsageException("unknown schedule verb '" + verb + "'");
      }
    }

    private static ScheduleOverlapPolicy overlap(Map<String, String> opts) {
      String v = opts.getOrDefault("--overlap", "SKIP");
      try {
        return ScheduleOverlapPolicy.valueOf(v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--overlap must be one of " + Arrays.toString(ScheduleOverlapPolicy.values()));
      }
    }

    /** The schedule client; {@code checking}: with the devserver's workflow types, to validate actions. */
    private ScheduleClient schedules(boolean checking) {
      return ScheduleClient.newInstance(checking ? checkingClient() : client());
    }

    void list(List<String> a) {
      if (a.contains("--query") || a.contains("--allow-scan")) {
        listQuery(a);
        return;
      }
      ListExecutionsRequest r = ListExecutionsRequest.all();
      for (int i = 0; i < a.size(); i++) {
        String opt = a.get(i);
        if (i + 1 >= a.size() || !List.of("--status", "--type", "--limit").contains(opt)) {
          throw new UsageException("list: unknown or incomplete option '" + opt + "' (list [--status S] [--type T] [--limit N])");
        }
        String v = a.get(++i);
        switch (opt) {
          case "--status" -> r = r.withStatus(status(v));
          case "--type" -> r = r.withWorkflowType(v);
          default -> r = new ListExecutionsRequest(r.status(), r.workflowType(), r.startedAfter(), r.startedBefore(),
              positiveInt(v, "--limit"));
        }
      }
      List<WorkflowExecutionInfo> rows = client().listExecutions(r);
      if (json) {
        out.println(pretty(rows));
        return;
      }
      if (rows.isEmpty()) {
        out.println("no workflow executions");
        return;
      }
      out.printf("%-28s %-24s %-11s %-24s %s%n", "WORKFLOW ID", "TYPE", "STATUS", "STARTED", "CLOSED");
      for (WorkflowExecutionInfo w : rows) {
        out.printf("%-28s %-24s %-11s %-24s %s%n", w.execution().workflowId(), w.workflowType(), w.status(),
            millis(w.startTime()), w.closeTime() == null ? "" : millis(w.closeTime()));
      }
    }

    /** {@code list --query Q [--limit N] [--allow-scan]}: up to N (default 100) runs the query matches. */
    void listQuery(List<String> a) {
      String usage = "list --query Q [--limit N] [--allow-scan]";
      String query = null;
      int limit = 100;
      boolean allowScan = false;
      for (int i = 0; i < a.size(); i++) {
        String opt = a.get(i);
        if (opt.equals("--allow-scan")) {
          allowScan = true;
        } else if (i + 1 < a.size() && opt.equals("--query")) {
          query = a.get(++i);
        } else if (i + 1 < a.size() && opt.equals("--limit")) {
          limit = positiveInt(a.get(++i), "--limit");
        } else {
          throw new UsageException("list: unknown or incomplete option '" + opt + "' (" + usage + ")");
        }
      }
      List<WorkflowExecutionMetadata> rows = client().listExecutions(query, allowScan).limit(limit).toList();
      if (json) {
        ArrayNode array = DataConverter.get().mapper().createArrayNode();
        for (WorkflowExecutionMetadata m : rows) {
          ObjectNode row = array.addObject();
          row.put("workflowId", m.execution().workflowId());
          row.put("runId", m.execution().runId());
          row.put("workflowType", m.workflowType());
          row.put("status", m.status().name());
          row.put("startTime", m.startTime().toString());
          row.put("closeTime", m.closeTime() == null ? null : m.closeTime().toString());
          row.set("searchAttributes", StartOptionsJson.searchAttributes(m.typedSearchAttributes()));
        }
        out.println(pretty(array));
        return;
      }
      if (rows.isEmpty()) {
        out.println("no workflow executions");
        return;
      }
      out.printf("%-28s %-24s %-11s %-24s %s%n", "WORKFLOW ID", "TYPE", "STATUS", "STARTED", "SEARCH ATTRIBUTES");
      for (WorkflowExecutionMetadata m : rows) {
        out.printf("%-28s %-24s %-11s %-24s %s%n", m.execution().workflowId(), m.workflowType(), m.status(),
            millis(m.startTime()), m.typedSearchAttributes());
      }
    }

    /** {@code count [--query Q] [--allow-scan]}. */
    void count(List<String> a) {
      String usage = "count [--query Q] [--allow-scan]";
      String query = null;
      boolean allowScan = false;
      for (int i = 0; i < a.size(); i++) {
        String opt = a.get(i);
        if (opt.equals("--allow-scan")) {
          allowScan = true;
        } else if (i + 1 < a.size() && opt.equals("--query")) {
          query = a.get(++i);
        } else {
          throw new UsageException("count: unknown or incomplete option '" + opt + "' (" + usage + ")");
        }
      }
      long n = client().countWorkflows(query, allowScan).count();
      out.println(json ? "{\"count\": " + n + "}" : Long.toString(n));
    }

    void history(List<String> a) {
      String usage = "history <workflowId> [runId]";
      need(a, 1, usage);
      if (a.size() > 2) throw new UsageException("unexpected argument '" + a.get(2) + "': " + usage);
      // A run id picks one run of the id (an earlier run of a continue-as-new chain, say).
      List<HistoryEvent> events = a.size() == 2 ? client().fetchHistory(a.get(0), a.get(1))
          : client().fetchHistory(a.get(0));
      if (json) {
        out.println(HistoryJson.write(events));
        return;
      }
      for (HistoryEvent e : events) {
        out.printf("%4d  %s  %s%n", e.eventId(), e.timestamp(), e.event().describe());
      }
    }

    void result(List<String> a) {
      Duration timeout = Duration.ofSeconds(30);
      List<String> pos = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).equals("--timeout")) {
          if (i + 1 >= a.size()) throw new UsageException("result: --timeout needs a duration, e.g. 30s");
          timeout = duration(a.get(++i));
        } else {
          pos.add(a.get(i));
        }
      }
      exactly(pos, 1, "result <workflowId> [--timeout 30s]");
      JsonNode r = client().newUntypedWorkflowStub(pos.get(0)).getResult(timeout, JsonNode.class);
      out.println(show(r));
    }

    /** Async activity completion by task token (ADR 19). */
    void activity(List<String> all) {
      if (all.isEmpty()) throw new UsageException("activity needs a verb: complete|fail|heartbeat|cancel");
      String verb = all.get(0);
      Map<String, String> opts = new HashMap<>();
      List<String> a = new ArrayList<>(options(all.subList(1, all.size()), opts, "--type"));
      boolean nonRetryable = a.remove("--non-retryable");
      switch (verb) {
        case "complete" -> {
          need(a, 1, "activity complete <taskToken> [jsonResult]");
          if (a.size() > 2) throw new UsageException("unexpected argument '" + a.get(2) + "': activity complete <taskToken> [jsonResult]");
          Object result = a.size() == 2 ? jsonArgs(a.subList(1, 2), 2)[0] : null;
          completion().complete(token(a.get(0)), result);
          out.println("Completed the activity");
        }
        case "fail" -> {
          need(a, 2, "activity fail <taskToken> <message...> [--type T] [--non-retryable]");
          String message = String.join(" ", a.subList(1, a.size()));
          String type = opts.getOrDefault("--type", "ActivityFailed");
          completion().completeExceptionally(token(a.get(0)), nonRetryable
              ? ApplicationFailure.newNonRetryableFailure(message, type) : ApplicationFailure.newFailure(message, type));
          out.println("Failed the activity: " + message);
        }
        case "heartbeat" -> {
          need(a, 1, "activity heartbeat <taskToken> [jsonDetails]");
          Object details = a.size() >= 2 ? jsonArgs(a.subList(1, 2), 2)[0] : null;
          try {
            completion().heartbeat(token(a.get(0)), details);
            out.println("Heartbeat recorded");
          } catch (ActivityCanceledException canceled) {
            out.println("Heartbeat recorded; cancel requested: stop and report it with 'activity cancel'");
          }
        }
        case "cancel" -> {
          exactly(a, 1, "activity cancel <taskToken>");
          completion().reportCancellation(token(a.get(0)), null);
          out.println("Reported the activity canceled");
        }
        default -> throw new UsageException("unknown activity verb '" + verb + "' (complete|fail|heartbeat|cancel)");
      }
    }

    private static byte[] token(String text) {
      return text.trim().getBytes(StandardCharsets.US_ASCII);
    }

    private ActivityCompletionClient completion() {
      return client().newActivityCompletionClient();
    }

    void cancel(List<String> a) {
      exactly(a, 1, "cancel <workflowId>");
      client().newUntypedWorkflowStub(a.get(0)).cancel();
      out.println("Cancellation requested: " + a.get(0));
    }

    void terminate(List<String> a) {
      need(a, 1, "terminate <workflowId> [reason...]");
      String reason = a.size() > 1 ? String.join(" ", a.subList(1, a.size())) : "terminated from the tempora CLI";
      client().newUntypedWorkflowStub(a.get(0)).terminate(reason);
      out.println("Terminated " + a.get(0) + ": " + reason);
    }

    void dlq(List<String> a) {
      if (a.size() > 1) throw new UsageException("dlq takes at most one role (dlq [role])");
      Map<String, DevServerState.QueueUrls> queues = state().queues();
      List<String> roles = a.isEmpty() ? List.copyOf(queues.keySet()) : List.of(role(a.get(0)));
      int total = 0;
      for (String role : roles) {
        List<Message> messages = DeadLetterQueues.peek(clients().sqs(), queues.get(role).dlqUrl());
        total += messages.size();
        if (messages.isEmpty()) {
          if (!a.isEmpty()) out.println(role + ": no dead-lettered messages");
          continue;
        }
        out.println(role + ": " + messages.size() + (messages.size() == 10 ? "+" : "") + " dead-lettered message(s)");
        for (Message m : messages) {
          out.printf("  %s  received %s time(s)  %s%n", m.messageId(),
              m.attributesAsStrings().getOrDefault("ApproximateReceiveCount", "?"), excerpt(m.body()));
        }
      }
      if (a.isEmpty() && total == 0) out.println("no dead-lettered messages (" + String.join(", ", roles) + ")");
    }

    void redrive(List<String> a) {
      exactly(a, 1, "redrive <role>");
      String role = role(a.get(0));
      DevServerState.QueueUrls q = state().queues().get(role);
      int moved = DeadLetterQueues.redrive(clients().sqs(), q.url(), q.dlqUrl());
      out.println("Redrove " + moved + " message(s) from the " + role + " DLQ back to its queue");
    }

    // ---- argument helpers ----

    /** The arguments without the named options (each takes a value), which go to {@code into}. */
    private static List<String> options(List<String> a, Map<String, String> into, String... names) {
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        String arg = a.get(i);
        if (List.of(names).contains(arg)) {
          if (i + 1 >= a.size()) throw new UsageException(arg + " needs a value");
          into.put(arg, a.get(++i));
        } else {
          rest.add(arg);
        }
      }
      return rest;
    }

    private static void need(List<String> a, int n, String usage) {
      if (a.size() < n) throw new UsageException("missing arguments: " + usage);
    }

    private static void exactly(List<String> a, int n, String usage) {
      need(a, n, usage);
      if (a.size() > n) throw new UsageException("unexpected argument '" + a.get(n) + "': " + usage);
    }

    /** Each CLI argument parsed as one JSON value, passed through as a JsonNode. */
    private static Object[] jsonArgs(List<String> raw, int firstPosition) {
      Object[] out = new Object[raw.size()];
      for (int i = 0; i < raw.size(); i++) {
        String s = raw.get(i);
        try {
          out[i] = JSON.readTree(s);
          if (out[i] == null || ((JsonNode) out[i]).isMissingNode()) throw new UsageException("empty");
          // readTree reads the first value only: refuse trailing text ("a b", "1 2").
          try (var p = JSON.createParser(s)) {
            p.nextToken();
            p.skipChildren();
            if (p.nextToken() != null) throw new UsageException("trailing text");
          }
        } catch (JsonProcessingException | UsageException e) {
          throw new UsageException("argument " + (firstPosition + i) + " is not a JSON value: " + s
              + " (quote strings as JSON, e.g. '\"" + s.replace("'", "") + "\"')");
        } catch (IOException e) {
          throw new UsageException("argument " + (firstPosition + i) + " is not a JSON value: " + s);
        }
      }
      return out;
    }

    private static WorkflowExecutionStatus status(String v) {
      try {
        return WorkflowExecutionStatus.valueOf(v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UsageException("unknown status '" + v + "' (one of " + Arrays.toString(WorkflowExecutionStatus.values()) + ")");
      }
    }

    private static int positiveInt(String v, String name) {
      try {
        int n = Integer.parseInt(v);
        if (n > 0) return n;
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new UsageException(name + " must be a positive integer, got '" + v + "'");
    }

    /** 30s, 2m, 1h, 500ms, a bare number of seconds, or ISO-8601 (PT30S). */
    /** The memo of {@code --memo}: a JSON object, its values the memo's. */
    static Map<String, Object> memo(String v) {
      try {
        JsonNode node = JSON.readTree(v);
        if (node instanceof ObjectNode) {
          return JSON.convertValue(node, new TypeReference<Map<String, Object>>() {});
        }
      } catch (JsonProcessingException e) {
        // fall through
      }
      throw new UsageException("bad --memo '" + v + "' (a JSON object, e.g. '{\"customer\":\"c-1\"}')");
    }

    static Duration duration(String v, String option) {
      try {
        return duration(v);
      } catch (UsageException e) {
        throw new UsageException("bad " + option + " '" + v + "' (e.g. 30s, 2h, PT2H)");
      }
    }

    static Duration duration(String v) {
      try {
        String s = v.trim().toLowerCase(Locale.ROOT);
        Duration d;
        if (s.startsWith("p")) d = Duration.parse(v.trim());
        else if (s.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        else if (s.endsWith("s")) d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
        else if (s.endsWith("m")) d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        else if (s.endsWith("h")) d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
        else d = Duration.ofSeconds(Long.parseLong(s));
        if (!d.isNegative() && !d.isZero()) return d;
      } catch (RuntimeException e) {
        // fall through
      }
      throw new UsageException("bad --timeout '" + v + "' (e.g. 30s, 2m, 500ms)");
    }

    private String role(String r) {
      Map<String, DevServerState.QueueUrls> queues = state().queues();
      if (!queues.containsKey(r)) {
        throw new UsageException("unknown role '" + r + "' (one of " + String.join(", ", queues.keySet()) + ")");
      }
      return r;
    }

    private static String show(JsonNode r) {
      if (r == null) return "null";
      return r.isContainerNode() ? pretty(r) : r.toString();
    }

    private static String pretty(Object o) {
      try {
        return PRETTY.writeValueAsString(o);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    private static String millis(Instant t) {
      return t == null ? "" : t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String excerpt(String body) {
      String oneLine = body.replaceAll("\\s+", " ");
      return oneLine.length() <= 100 ? oneLine : oneLine.substring(0, 100) + "...";
    }

    // ---- connection ----

    private DevServerState state() {
      if (state == null) {
        Path p = stateFile != null ? stateFile
            : System.getenv("TEMPORA_STATE_FILE") != null ? Path.of(System.getenv("TEMPORA_STATE_FILE"))
            : DevServerState.defaultPath();
        if (!Files.exists(p)) {
          throw new CliFailure("no devserver running: state file " + p + " not found (start one with bin/devserver)", null);
        }
        try {
          state = DevServerState.read(p);
        } catch (IOException e) {
          throw new CliFailure("cannot read the devserver state file " + p + ": " + e.getMessage(), e);
        }
      }
      return state;
    }

    private AwsRuntime.Clients clients() {
      if (clients == null) {
        DevServerState s = state();
        Region region = Region.of(s.region());
        AwsCredentialsProvider creds;
        try {
          creds = s.credentials();
        } catch (IllegalStateException e) {
          throw new CliFailure(e.getMessage(), e);
        }
        clients = new AwsRuntime.Clients(
            DynamoDbClient.builder().endpointOverride(URI.create(s.dynamoDbEndpoint())).region(region)
                .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build(),
            SqsClient.builder().endpointOverride(URI.create(s.sqsEndpoint())).region(region)
                .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build(),
            SchedulerClient.builder().endpointOverride(URI.create(s.schedulerEndpoint())).region(region)
                .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build(),
            LambdaClient.builder().endpointOverride(URI.create(s.lambdaEndpoint())).region(region)
                .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build());
      }
      return clients;
    }

    private WorkflowClient client() {
      if (runtime == null) {
        try {
          // Only the client parts are used; the constructor looks up the queue URLs (and the
          // timers queue's ARN), which also checks that the devserver is up.
          runtime = new AwsRuntime(state().config(), clients(), state().stackClock(), WorkflowTaskHooks.NONE);
        } catch (SdkClientException e) {
          throw new CliFailure("cannot reach the devserver at " + state().sqsEndpoint() + " (state file written by pid "
              + state().pid() + "; is it still running?): " + e.getMessage(), e);
        }
      }
      return runtime.client();
    }

    /**
     * A client that checks requests as the devserver does: it registers the devserver's workflow
     * types (its worker setup, named in the state file) and serves its task queues.
     */
    private WorkflowClient checkingClient() {
      WorkflowClient client = client();
      if (!typesLoaded) {
        try {
          // A user's setup (devserver --classpath/--jar) is loaded from its classpath, as the devserver did.
          List<String> cp = state().workerClasspath() == null ? List.of() : state().workerClasspath();
          ClassLoader previous = Thread.currentThread().getContextClassLoader();
          if (!cp.isEmpty()) {
            Thread.currentThread().setContextClassLoader(new URLClassLoader(
                cp.stream().map(u -> { try { return new URL(u); } catch (MalformedURLException e) { throw new IllegalStateException(e); } })
                    .toArray(URL[]::new), previous));
          }
          try {
            RegistryWorker.loadSetup(state().workerSetup()).configure(runtime.worker());
          } finally {
            Thread.currentThread().setContextClassLoader(previous);
          }
        } catch (IllegalStateException | LinkageError e) {
          throw new CliFailure("cannot load the devserver's workflow types (worker setup "
              + state().workerSetup() + ") to check the request: " + e.getMessage(), e);
        }
        typesLoaded = true;
      }
      return client;
    }

    @Override
    public void close() {
      if (clients != null) {
        clients.dynamoDb().close();
        clients.sqs().close();
        clients.scheduler().close();
        clients.lambda().close();
      }
    }
  }

}
