package dev.tempora.internal.client;

import dev.tempora.activity.RetryOptions;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowExecutionMetadata;
import dev.tempora.client.WorkflowExecutionPage;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.internal.visibility.ListQueryParser;
import dev.tempora.internal.visibility.PageToken;
import dev.tempora.internal.visibility.QueryPlan;
import dev.tempora.internal.visibility.SearchAttributeCodec;
import dev.tempora.internal.visibility.VisibilityPage;
import dev.tempora.internal.visibility.VisibilityRow;
import dev.tempora.client.WorkflowAlreadyStartedException;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowException;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowExecutionInfo;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowIdReusePolicy;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.client.WorkflowQueryException;
import dev.tempora.client.WorkflowUpdateStage;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.coordinator.HeartbeatStore;
import dev.tempora.internal.coordinator.ChildRelations;
import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import dev.tempora.internal.coordinator.CronSchedule;
import dev.tempora.internal.coordinator.HistoryStore;
import dev.tempora.internal.coordinator.HistoryTruth;
import dev.tempora.internal.coordinator.OtherWorkflows;
import dev.tempora.internal.coordinator.WorkflowRetry;
import dev.tempora.internal.coordinator.WorkflowTaskFailure;
import dev.tempora.internal.coordinator.WorkflowTaskQueue;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client operations over the ports: what both the in-memory client and the AWS client do.
 * A start writes the run record (conditional on the current run: the workflow id is the
 * idempotency key) and sends the start message; signals and cancel requests are messages;
 * terminate appends a closing batch directly, so it works even while workflow tasks fail.
 *
 * <p>Every public operation first passes the {@link RequestValidator}, before anything is
 * written: the Java client, the CLI and the HTTP API all come through here, so they refuse the
 * same requests. A signal's message id is derived from its request id, so a retried signal is
 * recorded once (the coordinator drops a message id a committed batch consumed; SQS FIFO
 * deduplicates within 5 minutes).
 */
public final class WorkflowService implements OtherWorkflows {
  /** The largest page of a list query. */
  public static final int MAX_QUERY_PAGE = 1000;
  private static final Logger log = LoggerFactory.getLogger(WorkflowService.class);
  private final String namespace;
  private final HistoryStore store;
  private final WorkflowTaskQueue tasks;
  private final QueryHandler queries;
  private final ResultWaiter waiter;
  private final InstantSource clock;
  private final Supplier<UUID> ids;
  private final RequestValidator validator;
  private final Consumer<RunKey> runClosed;

  /** A service whose terminate tells no activity worker (describing, tests of other parts). */
  public WorkflowService(String namespace, HistoryStore store, WorkflowTaskQueue tasks, QueryHandler queries,
      ResultWaiter waiter, InstantSource clock, Supplier<UUID> ids, RequestValidator validator) {
    this(namespace, store, tasks, queries, waiter, clock, ids, validator, run -> { });
  }

  /** {@code runClosed} is told of each run a terminate closed (the heartbeat store's {@code runClosed}). */
  public WorkflowService(String namespace, HistoryStore store, WorkflowTaskQueue tasks, QueryHandler queries,
      ResultWaiter waiter, InstantSource clock, Supplier<UUID> ids, RequestValidator validator,
      Consumer<RunKey> runClosed) {
    this.runClosed = runClosed;
    this.namespace = namespace;
    this.store = store;
    this.tasks = tasks;
    this.queries = queries;
    this.waiter = waiter;
    this.clock = clock;
    this.ids = ids;
    this.validator = validator;
  }

  public String newId() {
    return ids.get().toString();
  }

  /**
   * What a start did: {@code created} is false when the id's open run was returned instead (the
   * workflow id is the idempotency key), which the HTTP API reports as 200 rather than 201.
   */
  public record Started(WorkflowExecution execution, boolean created) {}

  public WorkflowExecution start(String workflowId, String workflowType, String taskQueue, Payload input,
      WorkflowIdReusePolicy policy) {
    return start(workflowId, workflowType, taskQueue, input, policy, WorkflowStartOptions.NONE);
  }

  public WorkflowExecution start(String workflowId, String workflowType, String taskQueue, Payload input,
      WorkflowIdReusePolicy policy, WorkflowStartOptions options) {
    return startRun(workflowId, workflowType, taskQueue, input, policy, options).execution();
  }

  public Started startRun(String workflowId, String workflowType, String taskQueue, Payload input,
      WorkflowIdReusePolicy policy) {
    return startRun(workflowId, workflowType, taskQueue, input, policy, WorkflowStartOptions.NONE);
  }

  /** {@code options}: timeouts, retry policy and memo (the execution's expiration is set here). */
  public Started startRun(String workflowId, String workflowType, String taskQueue, Payload input,
      WorkflowIdReusePolicy policy, WorkflowStartOptions options) {
    validator.start(workflowId, workflowType, taskQueue, input);
    WorkflowStartOptions checked = validator.startOptions(options, clock.instant());
    return startThenSend(workflowId, workflowType, taskQueue, input, policy, checked, null, List.of());
  }

  public WorkflowExecution signalWithStart(String workflowId, String workflowType, String taskQueue, Payload input,
      WorkflowIdReusePolicy policy, String signalName, Payload signalArgs, String requestId) {
    return signalWithStart(workflowId, workflowType, taskQueue, input, policy, WorkflowStartOptions.NONE, signalName,
        signalArgs, requestId);
  }

  public WorkflowExecution signalWithStart(String workflowId, String workflowType, String taskQueue, Payload input,
      WorkflowIdReusePolicy policy, WorkflowStartOptions options, String signalName, Payload signalArgs,
      String requestId) {
    return signalWithStartRun(workflowId, workflowType, taskQueue, input, policy, options, signalName, signalArgs,
        requestId).execution();
  }

  /** {@code requestId}: the signal's, or null for a new one (a retry then records the signal again). */
  public Started signalWithStartRun(String workflowId, String workflowType, String taskQueue, Payload input,
      WorkflowIdReusePolicy policy, String signalName, Payload signalArgs, String requestId) {
    return signalWithStartRun(workflowId, workflowType, taskQueue, input, policy, WorkflowStartOptions.NONE,
        signalName, signalArgs, requestId);
  }

  /** {@code requestId}: the signal's, or null for a new one (a retry then records the signal again). */
  public Started signalWithStartRun(String workflowId, String workflowType, String taskQueue, Payload input,
      WorkflowIdReusePolicy policy, WorkflowStartOptions options, String signalName, Payload signalArgs,
      String requestId) {
    validator.signalWithStart(workflowId, workflowType, taskQueue, input, signalName, signalArgs, requestId);
    WorkflowStartOptions checked = validator.startOptions(options, clock.instant());
    String id = requestId != null ? requestId : newId();
    Event.WorkflowSignaled signal = new Event.WorkflowSignaled(signalName, signalArgs, id);
    // A new run stores the signal with its start (the first task handles both, the signal first, as
    // on Temporal); the message still goes out, for a run that was already open.
    return startThenSend(workflowId, workflowType, taskQueue, input, policy, checked, signal,
        List.of(run -> WorkflowTaskMessage.signal(run, signal)));
  }

  /**
   * A start of an id whose open run has another type is refused: returning that run would tell
   * the caller its workflow started (or deliver its signal) when a different one is running under
   * the id.
   */
  private static void requireSameType(RunRecord open, String workflowType) {
    if (!open.workflowType().equals(workflowType)) {
      throw new WorkflowAlreadyStartedException(execution(open.run()), "workflow id " + open.run().workflowId()
          + " is already running as type " + open.workflowType() + " (run " + open.run().runId() + "), not "
          + workflowType);
    }
  }

  private Started startThenSend(String workflowId, String workflowType, String taskQueue, Payload input,
      WorkflowIdReusePolicy policy, WorkflowStartOptions options, Event.WorkflowSignaled startSignal,
      List<Function<RunKey, WorkflowTaskMessage>> after) {
    for (int attempt = 0; ; attempt++) {
      RunRecord current = store.currentRun(namespace, workflowId).map(r -> HistoryTruth.current(store, r)).orElse(null);
      if (current != null && !current.status().isClosed()) {
        if (policy != WorkflowIdReusePolicy.TERMINATE_IF_RUNNING) {
          requireSameType(current, workflowType);
          List<WorkflowTaskMessage> out = new ArrayList<>();
          if (store.readBatch(current.run(), 1).isEmpty()) {
            // The start message may have been lost after the record was written: re-send (deduplicated).
            out.add(startMessage(current));
          }
          after.forEach(f -> out.add(f.apply(current.run())));
          if (!out.isEmpty()) {
            tasks.send(out);
          }
          return new Started(execution(current.run()), false);
        }
        terminateRun(current.run(), "terminated by a start with TERMINATE_IF_RUNNING");
        continue;
      }
      if (current != null && !reusable(current.status(), policy)) {
        throw new WorkflowAlreadyStartedException(execution(current.run()), "workflow id " + workflowId
            + " was already used by run " + current.run().runId() + " (" + current.status() + ") and the reuse policy is "
            + policy);
      }
      UUID seed = ids.get();
      RunKey run = new RunKey(namespace, workflowId, newId());
      Instant now = clock.instant();
      Event.WorkflowExecutionStarted started = new Event.WorkflowExecutionStarted(workflowType, taskQueue, input,
          seed.getMostSignificantBits() ^ seed.getLeastSignificantBits(), null, expiring(options, now));
      RunRecord record = new RunRecord(run, workflowType, taskQueue, WorkflowExecutionStatus.RUNNING, now,
          null, started, null, startSignal);
      try {
        store.createRun(record, current == null ? null : current.run().runId());
      } catch (ConcurrentUpdateException e) {
        if (attempt > 10) {
          throw new WorkflowException(workflowId, "could not start: too many concurrent starts", e);
        }
        continue;
      }
      List<WorkflowTaskMessage> out = new ArrayList<>();
      out.add(startMessage(record));
      after.forEach(f -> out.add(f.apply(run)));
      try {
        tasks.send(out);
      } catch (RuntimeException e) {
        if (!after.isEmpty()) {
          // The signal travels only in this send: the caller must learn it may be lost (and retry
          // with the same request id, which is recorded once).
          throw e;
        }
        // The run is committed, and the start message is re-sent from the table's stream (ADR 8):
        // the workflow starts, so the start succeeded.
        log.warn("start message of {} not sent ({}); the stream relay re-sends it", run, e.toString());
      }
      return new Started(execution(run), true);
    }
  }

  /**
   * The options as the start event records them (null when there are none, as before options
   * existed): the execution timeout's expiration counted from this start, as Temporal's; a cron
   * workflow's first task waits for its first fire time, a delayed start's for its delay.
   */
  private static WorkflowStartOptions expiring(WorkflowStartOptions o, Instant now) {
    if (o.equals(WorkflowStartOptions.NONE)) {
      return null;
    }
    Instant expiration = o.workflowExecutionTimeout() == null ? null : now.plus(o.workflowExecutionTimeout());
    Duration firstTask = o.cronSchedule() == null ? o.firstWorkflowTaskBackoff()
        : CronSchedule.backoff(o.cronSchedule(), now).orElseThrow(() -> new InvalidRequestException(
            InvalidRequestException.INVALID_CRON_EXPRESSION, "cron expression '" + o.cronSchedule()
                + "' never fires after " + now));
    return new WorkflowStartOptions(o.workflowExecutionTimeout(), o.workflowRunTimeout(), expiration, o.retryPolicy(),
        o.memo(), 1, firstTask, o.cronSchedule(), null, null, o.searchAttributes());
  }

  private static boolean reusable(WorkflowExecutionStatus last, WorkflowIdReusePolicy policy) {
    return switch (policy) {
      case ALLOW_DUPLICATE, TERMINATE_IF_RUNNING -> true;
      case ALLOW_DUPLICATE_FAILED_ONLY -> last != WorkflowExecutionStatus.COMPLETED
          && last != WorkflowExecutionStatus.CONTINUED_AS_NEW;
      case REJECT_DUPLICATE -> false;
    };
  }

  private static WorkflowTaskMessage startMessage(RunRecord r) {
    return new WorkflowTaskMessage(r.run().runId() + "/start", r.run(), r.startEvent());
  }

  /** Deterministic for the run and the request id: a retried signal is the same message. */
  private static String signalMessageId(RunKey run, String requestId) {
    return run.runId() + "/signal/" + requestId;
  }

  /** {@code requestId}: the signal's, or null for a new one (a retry then records the signal again). */
  public void signal(String workflowId, String signalName, Payload args, String requestId) {
    validator.signal(currentRun(workflowId), signalName, args, requestId);
    String id = requestId != null ? requestId : newId();
    RunKey run = openRun(workflowId, "signal");
    tasks.send(new WorkflowTaskMessage(signalMessageId(run, id), run, new Event.WorkflowSignaled(signalName, args, id)));
  }

  /**
   * Where an update stands: its stage and, once completed, its result or failure; {@code rejected}
   * with the validator's failure when it was rejected (then nothing is in history).
   */
  public record UpdateOutcome(WorkflowExecution execution, String updateId, String updateName,
      WorkflowUpdateStage stage, boolean rejected, Payload result, FailureInfo failure) {}

  /**
   * Sends an update to the id's current run, unless the run already recorded {@code updateId}
   * (a repeated update is answered from history, not run twice), and waits up to {@code bound}
   * for it to reach {@code waitFor} (or be rejected). Returns where it stands then: a caller
   * that has not got its stage yet waits again with {@link #awaitUpdate}.
   */
  public UpdateOutcome update(String workflowId, String updateName, Payload args, String updateId,
      WorkflowUpdateStage waitFor, Duration bound) {
    RunRecord record = currentRun(workflowId);
    validator.update(record, updateName, args, updateId);
    String id = updateId != null ? updateId : newId();
    RunKey run = record.run();
    UpdateOutcome known = updateOutcome(run, id, updateName, false);
    if (known.stage() == WorkflowUpdateStage.ADMITTED) {
      if (record.status().isClosed()) {
        throw new WorkflowNotFoundException(workflowId, "cannot update workflow " + workflowId + ": its run "
            + run.runId() + " is already " + record.status());
      }
      tasks.send(new WorkflowTaskMessage(updateMessageId(run, id), run,
          new Event.WorkflowExecutionUpdateAccepted(id, updateName, args)));
    }
    return awaitUpdate(run, id, updateName, waitFor, bound);
  }

  /** Waits up to {@code bound} for the update to reach {@code waitFor}, be rejected, or its run to close. */
  public UpdateOutcome awaitUpdate(RunKey run, String updateId, String updateName, WorkflowUpdateStage waitFor,
      Duration bound) {
    UpdateOutcome[] last = {updateOutcome(run, updateId, updateName, true)};
    try {
      waiter.await(() -> {
        last[0] = updateOutcome(run, updateId, updateName, true);
        return last[0].rejected() || last[0].stage().compareTo(waitFor) >= 0
            || store.getRun(run).map(r -> r.status().isClosed()).orElse(true);
      }, bound);
    } catch (WorkflowException e) {
      if (!(e.getCause() instanceof TimeoutException)) {
        throw e;
      }
    }
    UpdateOutcome now = updateOutcome(run, updateId, updateName, true);
    if (now.stage().compareTo(waitFor) < 0 && !now.rejected() && runRecord(run).status().isClosed()) {
      throw new WorkflowNotFoundException(run.workflowId(), "update " + updateId + " of workflow " + run.workflowId()
          + " did not " + (now.stage() == WorkflowUpdateStage.ADMITTED ? "get accepted" : "complete")
          + ": its run " + run.runId() + " closed first");
    }
    return now;
  }

  /** The update's stage as history (and, if it is not there, the rejection item) says. */
  private UpdateOutcome updateOutcome(RunKey run, String updateId, String updateName, boolean lookForRejection) {
    WorkflowExecution execution = execution(run);
    String name = updateName;
    WorkflowUpdateStage stage = WorkflowUpdateStage.ADMITTED;
    for (HistoryEvent he : history(run)) {
      if (he.event() instanceof Event.WorkflowExecutionUpdateAccepted a && a.updateId().equals(updateId)) {
        stage = WorkflowUpdateStage.ACCEPTED;
        name = a.updateName();
      } else if (he.event() instanceof Event.WorkflowExecutionUpdateCompleted c && c.updateId().equals(updateId)) {
        return new UpdateOutcome(execution, updateId, name, WorkflowUpdateStage.COMPLETED, false, c.result(),
            c.failure());
      }
    }
    if (stage == WorkflowUpdateStage.ADMITTED && lookForRejection) {
      Optional<FailureInfo> rejection = store.readUpdateRejection(run, updateId);
      if (rejection.isPresent()) {
        return new UpdateOutcome(execution, updateId, name, stage, true, null, rejection.get());
      }
    }
    return new UpdateOutcome(execution, updateId, name, stage, false, null, null);
  }

  /** Deterministic for the run and the update id: a repeated update is the same message. */
  private static String updateMessageId(RunKey run, String updateId) {
    return run.runId() + "/update/" + updateId;
  }

  public void cancel(String workflowId) {
    RequestValidator.workflowId(workflowId);
    RunKey run = openRun(workflowId, "cancel");
    RunRecord record = store.getRun(run).orElseThrow();
    if (record.startEvent() != null && record.startEvent().startOptions().firstWorkflowTaskBackoff() != null
        && close(run, new Event.WorkflowExecutionCanceled(), WorkflowExecutionStatus.CANCELED, true)) {
      // Its first task had not run (a delayed start, a cron run waiting for its time): no workflow
      // code could handle the cancel, so the run closed as cancelled now rather than at its start.
      return;
    }
    tasks.send(new WorkflowTaskMessage(run.runId() + "/cancel", run, new Event.WorkflowCancelRequested("requested by client")));
  }

  public void terminate(String workflowId, String reason) {
    RequestValidator.workflowId(workflowId);
    terminateRun(openRun(workflowId, "terminate"), reason);
  }

  private void terminateRun(RunKey run, String reason) {
    close(run, new Event.WorkflowExecutionTerminated(reason), WorkflowExecutionStatus.TERMINATED, false);
  }

  /**
   * Appends a closing batch (terminated, or cancelled before the first task) after the newest one,
   * unless the history is already closed (then the record is repaired instead: nothing is ever
   * appended after a closing event). A parked task in the slot is replaced: its messages are moot
   * once the run is closed. With {@code beforeFirstTask}, only while the history is empty; returns
   * false if the first task got there first.
   */
  private boolean close(RunKey run, Event closing, WorkflowExecutionStatus status, boolean beforeFirstTask) {
    while (true) {
      RunRecord record = store.getRun(run).orElseThrow();
      if (record.status().isClosed()) {
        return true;
      }
      Optional<HistoryBatch> last = store.readLastBatch(run);
      if (beforeFirstTask && last.isPresent()) {
        return false;
      }
      Instant now = clock.instant();
      try {
        if (HistoryTruth.appendClosing(store, record, last, closing, now, List.of()).isEmpty()) {
          return true;
        }
      } catch (ConcurrentUpdateException e) {
        continue;
      }
      store.updateRun(record.closed(status, now));
      // Its activities stop: no new attempt starts, a running one learns it at its next heartbeat.
      runClosed.accept(run);
      // A closed child tells its parent; a closed parent closes its children as its policy says.
      WorkflowTaskMessage toParent = ChildRelations.closeToParent(record.startEvent(), closing);
      if (toParent != null) {
        tasks.send(toParent);
      }
      ChildRelations.applyParentClosePolicy(run, store.readHistory(run, 0), this);
      return true;
    }
  }

  // ------------------------------------------------ commands of workflows on other workflows (OtherWorkflows)

  @Override
  public String startChild(RunKey child, Event.WorkflowExecutionStarted start, WorkflowIdReusePolicy policy) {
    Optional<RunRecord> existing = store.getRun(child);
    if (existing.isPresent()) {
      // Started by an earlier dispatch of the parent's batch: its start message may not have gone out.
      if (store.readBatch(child, 1).isEmpty()) {
        tasks.send(startMessage(existing.get()));
      }
      return null;
    }
    WorkflowStartOptions options;
    try {
      validator.start(child.workflowId(), start.workflowType(), start.taskQueue(), start.input());
      options = validator.startOptions(start.startOptions(), clock.instant());
    } catch (InvalidRequestException e) {
      return e.getMessage(); // named already ("InvalidRequest: UnknownTaskQueue: ...")
    }
    for (int attempt = 0; ; attempt++) {
      RunRecord current = store.currentRun(child.namespace(), child.workflowId()).map(r -> HistoryTruth.current(store, r))
          .orElse(null);
      if (current != null && !current.status().isClosed()) {
        if (policy != WorkflowIdReusePolicy.TERMINATE_IF_RUNNING) {
          return "WorkflowExecutionAlreadyStarted: workflow id " + child.workflowId() + " is already running (run "
              + current.run().runId() + ")";
        }
        terminateRun(current.run(), "terminated by a child start with TERMINATE_IF_RUNNING");
        continue;
      }
      if (current != null && !reusable(current.status(), policy)) {
        return "WorkflowExecutionAlreadyStarted: workflow id " + child.workflowId() + " was already used by run "
            + current.run().runId() + " (" + current.status() + ") and the reuse policy is " + policy;
      }
      Instant now = clock.instant();
      Event.WorkflowExecutionStarted started = new Event.WorkflowExecutionStarted(start.workflowType(),
          start.taskQueue(), start.input(), start.randomSeed(), null, expiring(options, now), start.parent());
      RunRecord record = new RunRecord(child, start.workflowType(), start.taskQueue(), WorkflowExecutionStatus.RUNNING,
          now, null, started, null, null);
      try {
        store.createRun(record, current == null ? null : current.run().runId());
      } catch (ConcurrentUpdateException e) {
        if (store.getRun(child).isPresent()) {
          return null; // another dispatch of the same command got there first
        }
        if (attempt > 10) {
          throw e;
        }
        continue;
      }
      try {
        tasks.send(startMessage(record));
      } catch (RuntimeException e) {
        log.warn("start message of child {} not sent ({}); the stream relay re-sends it", child, e.toString());
      }
      return null;
    }
  }

  @Override
  public void send(WorkflowTaskMessage message) {
    tasks.send(message);
  }

  @Override
  public void signal(String namespace, String workflowId, String runId, String signalName, Payload input,
      String requestId) {
    RunKey run = runId != null ? new RunKey(namespace, workflowId, runId) : openRun(namespace, workflowId, "signal");
    tasks.send(new WorkflowTaskMessage(signalMessageId(run, requestId), run,
        new Event.WorkflowSignaled(signalName, input, requestId)));
  }

  @Override
  public void requestCancel(String namespace, String workflowId, String runId, String requestId) {
    RunKey run = runId != null ? new RunKey(namespace, workflowId, runId) : openRun(namespace, workflowId, "cancel");
    tasks.send(new WorkflowTaskMessage(run.runId() + "/cancel", run,
        new Event.WorkflowCancelRequested("requested by workflow (" + requestId + ")")));
  }

  @Override
  public void terminate(RunKey run, String reason) {
    if (store.getRun(run).isPresent()) {
      terminateRun(run, reason);
    }
  }

  private RunKey openRun(String namespace, String workflowId, String operation) {
    RunRecord r = store.currentRun(namespace, workflowId).map(x -> HistoryTruth.current(store, x))
        .orElseThrow(() -> new WorkflowNotFoundException(workflowId, "no workflow with id " + workflowId));
    if (r.status().isClosed()) {
      throw new WorkflowNotFoundException(workflowId, "cannot " + operation + " workflow " + workflowId + ": its run "
          + r.run().runId() + " is already " + r.status());
    }
    return r.run();
  }

  public Payload query(String workflowId, String queryName, Payload args) {
    RunRecord record = currentRun(workflowId);
    validator.query(record, queryName, args);
    RunKey run = record.run();
    try {
      return queries.query(run, queryName, args);
    } catch (WorkflowTaskFailure e) {
      throw new WorkflowQueryException(workflowId, "query '" + queryName + "' failed: workflow task is failing: "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new WorkflowQueryException(workflowId, "query '" + queryName + "' failed: " + e.getMessage(), e);
    }
  }

  /** The id's current run, with its status as its history says (ADR 8). */
  public RunRecord currentRun(String workflowId) {
    RequestValidator.workflowId(workflowId);
    RunRecord r = store.currentRun(namespace, workflowId)
        .orElseThrow(() -> new WorkflowNotFoundException(workflowId, "no workflow with id " + workflowId));
    return HistoryTruth.current(store, r);
  }

  private RunKey openRun(String workflowId, String operation) {
    RunRecord r = currentRun(workflowId);
    if (r.status().isClosed()) {
      throw new WorkflowNotFoundException(workflowId, "cannot " + operation + " workflow " + workflowId + ": its run "
          + r.run().runId() + " is already " + r.status());
    }
    return r.run();
  }

  public RunKey runKey(WorkflowExecution e) {
    return new RunKey(namespace, e.workflowId(), e.runId());
  }

  /** Waits for the run to close and returns its closing event. */
  public Event awaitClose(RunKey run, Duration timeout) {
    RequestValidator.duration("timeout", timeout, clock.instant());
    // Ask the history once (the record may be behind a close); then the cheap record polls, which
    // the stream relay keeps up to date.
    if (!runRecord(run).status().isClosed()) {
      waiter.await(() -> store.getRun(run).map(r -> r.status().isClosed()).orElse(false), timeout);
    }
    return closingEvent(run);
  }

  /**
   * The run that retries {@code run}, closed by {@code closing}, if its retry policy retries it
   * (the coordinator's outbox starts it; this waits up to {@code timeout} for the id to move on).
   * Empty if it is not retried, or a client's start took the id instead.
   */
  public Optional<RunKey> retriedBy(RunKey run, Event closing, Duration timeout) {
    if (!(closing instanceof Event.WorkflowExecutionFailed) && !(closing instanceof Event.WorkflowExecutionTimedOut)) {
      return Optional.empty();
    }
    RunRecord closed = runRecord(run);
    if (WorkflowRetry.backoff(closed.startEvent(), closing, closed.closeTime()).isEmpty()) {
      return Optional.empty();
    }
    waiter.await(() -> store.currentRun(namespace, run.workflowId()).map(r -> !r.run().equals(run)).orElse(false),
        timeout);
    RunKey next = WorkflowRetry.nextRun(run);
    return store.getRun(next).isPresent() ? Optional.of(next) : Optional.empty();
  }

  /** The closing event of a run that has closed. */
  public Event closingEvent(RunKey run) {
    // A closed run's newest batch holds a closing event: coordinators append nothing after one, and
    // the only later writer, a terminate racing the close, writes a closing event itself. So read
    // just that batch, not the whole history.
    Event closing = store.readLastBatch(run).map(HistoryBatch::closingEvent).orElse(null);
    if (closing != null) {
      return closing;
    }
    throw new IllegalStateException("run " + run + " is closed but its history has no closing event");
  }

  public RunRecord runRecord(RunKey run) {
    return HistoryTruth.current(store,
        store.getRun(run).orElseThrow(() -> new WorkflowNotFoundException(run.workflowId(), "no run " + run)));
  }

  /**
   * Whether the run recorded a signal with this request id: a signal repeated after the run
   * closed was done already, and its caller is told so rather than that the run is closed.
   */
  public boolean signalRecorded(RunKey run, String requestId) {
    return history(run).stream()
        .anyMatch(e -> e.event() instanceof Event.WorkflowSignaled s && requestId.equals(s.requestId()));
  }

  public List<HistoryEvent> history(RunKey run) {
    List<HistoryEvent> out = new ArrayList<>();
    for (HistoryBatch b : store.readHistory(run, 0)) {
      out.addAll(b.events());
    }
    return out;
  }

  public WorkflowDescription describe(String workflowId) {
    RunRecord r = currentRun(workflowId);
    WorkflowStartOptions o = r.startEvent() == null ? WorkflowStartOptions.NONE : r.startEvent().startOptions();
    Map<String, SearchAttributeValue> attributes = o.searchAttributes();
    Map<String, Payload> memo = new TreeMap<>(o.memo());
    Map<Long, WorkflowDescription.PendingActivity> activities = new LinkedHashMap<>();
    Map<Long, WorkflowDescription.PendingTimer> timers = new LinkedHashMap<>();
    String lastFailure = null;
    long length = 0;
    for (HistoryEvent he : history(r.run())) {
      length = he.eventId();
      switch (he.event()) {
        case Event.ActivityTaskScheduled s -> activities.put(s.seq(), new WorkflowDescription.PendingActivity(
            Long.toString(s.seq()), s.activityType(), s.taskQueue(), he.timestamp()));
        case Event.ActivityTaskCompleted c -> activities.remove(c.seq());
        case Event.ActivityTaskFailed f -> {
          activities.remove(f.seq());
          lastFailure = f.failure().summary();
        }
        case Event.ActivityTaskTimedOut t -> {
          activities.remove(t.seq());
          lastFailure = "activity #" + t.seq() + " " + t.timeoutType() + " timeout";
        }
        case Event.ActivityTaskCanceled c -> activities.remove(c.seq());
        case Event.ActivityTaskCancelRequested c -> activities.remove(c.seq());
        case Event.TimerStarted t -> timers.put(t.seq(), new WorkflowDescription.PendingTimer(Long.toString(t.seq()), t.fireTime()));
        case Event.TimerFired f -> timers.remove(f.seq());
        case Event.TimerCanceled c -> timers.remove(c.seq());
        case Event.WorkflowExecutionFailed f -> lastFailure = f.failure().summary();
        case Event.UpsertWorkflowSearchAttributes u -> attributes = SearchAttributeCodec.apply(attributes, u.searchAttributes());
        case Event.WorkflowPropertiesModified m -> m.upsertedMemo().forEach((k, v) -> {
          if (v == null) {
            memo.remove(k);
          } else {
            memo.put(k, v);
          }
        });
        default -> { }
      }
    }
    if (r.status().isClosed()) {
      activities.clear();
      timers.clear();
    }
    activities.replaceAll((seq, a) -> withProgress(r.run(), seq, a));
    return new WorkflowDescription(execution(r.run()), r.workflowType(), r.taskQueue(), r.status(), r.startTime(),
        r.closeTime(), length, List.copyOf(activities.values()), List.copyOf(timers.values()), lastFailure,
        r.taskFailure(), o.workflowExecutionTimeout(), o.workflowRunTimeout(), o.workflowExecutionExpirationTime(),
        retryOptions(o.retryPolicy()), memo(memo), SearchAttributeCodec.decode(attributes));
  }

  /** Where describe reads pending activities' attempts, failures and heartbeats (issue 15); null: history only. */
  private volatile HeartbeatStore activityProgress;

  public WorkflowService activityProgress(HeartbeatStore heartbeats) {
    this.activityProgress = heartbeats;
    return this;
  }

  private WorkflowDescription.PendingActivity withProgress(RunKey run, long seq, WorkflowDescription.PendingActivity a) {
    HeartbeatStore progress = activityProgress;
    if (progress == null) {
      return a;
    }
    HeartbeatStore.ActivityProgress p = progress.progress(run, seq).orElse(null);
    if (p == null) {
      return a;
    }
    return new WorkflowDescription.PendingActivity(a.activityId(), a.activityType(), a.taskQueue(), a.scheduledTime(),
        p.attempt(), failure(p.lastFailure()), details(p.heartbeatDetails()), p.lastHeartbeatTime(),
        p.nextAttemptScheduleTime());
  }

  private static WorkflowDescription.Failure failure(FailureInfo f) {
    return f == null ? null : new WorkflowDescription.Failure(f.kind().name(), f.type(), f.message(), f.nonRetryable(),
        failure(f.cause()));
  }

  /** Heartbeat details as plain JSON values; encoded ones (a codec's) are not shown. */
  private static Object details(Payload details) {
    if (details == null || (details.metadata() != null && !details.metadata().isEmpty())) {
      return null;
    }
    try {
      return DataConverter.get().mapper().readValue(details.json(), Object.class);
    } catch (Exception e) {
      return null;
    }
  }

  private static RetryOptions retryOptions(ActivityParameters.RetryPolicy p) {
    return p == null ? null : RetryOptions.newBuilder().setInitialInterval(p.initialInterval())
        .setBackoffCoefficient(p.backoffCoefficient()).setMaximumInterval(p.maximumInterval())
        .setMaximumAttempts(p.maximumAttempts()).setDoNotRetry(p.doNotRetry().toArray(String[]::new)).build();
  }

  /** The memo's JSON values as plain Java values, in key order. */
  private static Map<String, Object> memo(Map<String, Payload> memo) {
    Map<String, Object> out = new LinkedHashMap<>();
    memo.forEach((k, v) -> out.put(k, DataConverter.get().fromPayload(v, Object.class)));
    return Collections.unmodifiableMap(out);
  }

  public List<WorkflowExecutionInfo> list(ListExecutionsRequest request) {
    return store.listRuns(namespace, request).stream()
        .map(r -> new WorkflowExecutionInfo(execution(r.run()), r.workflowType(), r.taskQueue(), r.status(),
            r.startTime(), r.closeTime()))
        .toList();
  }

  /**
   * One page of a list query.
   *
   * @throws InvalidRequestException {@code InvalidQuery}, {@code UnsupportedQuery},
   *     {@code QueryRequiresScan} (unless {@code allowScan}), {@code InvalidField} (page size, token)
   */
  public WorkflowExecutionPage listPage(String query, String pageToken, int pageSize, boolean allowScan) {
    if (pageSize < 1 || pageSize > MAX_QUERY_PAGE) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_FIELD,
          "pageSize must be 1 to " + MAX_QUERY_PAGE + ", was " + pageSize);
    }
    QueryPlan plan = QueryPlan.of(ListQueryParser.parse(query)).requireBounded(allowScan);
    VisibilityPage page = store.queryRuns(namespace, plan, PageToken.decode(pageToken), pageSize);
    return new WorkflowExecutionPage(page.rows().stream().map(WorkflowService::metadata).toList(), page.nextPageToken());
  }

  /** How many runs the query matches: every page read, a page of {@value #MAX_QUERY_PAGE} at a time. */
  public long count(String query, boolean allowScan) {
    QueryPlan plan = QueryPlan.of(ListQueryParser.parse(query)).requireBounded(allowScan);
    long n = 0;
    PageToken token = null;
    do {
      VisibilityPage page = store.queryRuns(namespace, plan, token, MAX_QUERY_PAGE);
      n += page.rows().size();
      token = PageToken.decode(page.nextPageToken());
    } while (token != null);
    return n;
  }

  private static WorkflowExecutionMetadata metadata(VisibilityRow row) {
    RunRecord r = row.record();
    return new WorkflowExecutionMetadata(execution(r.run()), r.workflowType(), r.taskQueue(), r.status(),
        r.startTime(), r.closeTime(), SearchAttributeCodec.decode(row.searchAttributes()));
  }

  static WorkflowExecution execution(RunKey run) {
    return new WorkflowExecution(run.workflowId(), run.runId());
  }
}
