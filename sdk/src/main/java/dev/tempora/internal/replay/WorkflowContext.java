package dev.tempora.internal.replay;

import dev.tempora.activity.ActivityCancellationType;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.LocalActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.failure.ChildWorkflowFailure;
import dev.tempora.failure.TerminatedFailure;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.internal.history.RunIds;
import dev.tempora.workflow.ChildWorkflowCancellationType;
import dev.tempora.workflow.ChildWorkflowOptions;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.converter.PayloadDecodingException;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.common.SearchAttributeUpdate;
import dev.tempora.internal.visibility.SearchAttributeCodec;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.FailureConverter;
import dev.tempora.internal.converter.PayloadTooLargeException;
import dev.tempora.internal.metadata.ActivityInterfaceMetadata;
import dev.tempora.internal.metadata.ProxyObjectMethods;
import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.common.converter.EncodedValues;
import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.common.interceptors.WorkflowInboundCallsInterceptor;
import dev.tempora.common.interceptors.WorkflowOutboundCallsInterceptor;
import dev.tempora.workflow.CancellationScope;
import dev.tempora.workflow.DynamicQueryHandler;
import dev.tempora.workflow.DynamicSignalHandler;
import dev.tempora.workflow.DynamicUpdateHandler;
import dev.tempora.workflow.ContinueAsNewOptions;
import dev.tempora.workflow.Functions;
import dev.tempora.workflow.WorkflowInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one run as its code sees it: pending activities and timers, the command counter,
 * workflow time, the seeded random source, cancellation. Inbound events are applied here and the
 * {@code Workflow.*} calls of its threads land here. Touched by one thread at a time (the runner
 * or the workflow thread holding the turn).
 */
public final class WorkflowContext {
  private static final Logger log = LoggerFactory.getLogger(WorkflowContext.class);
  private final DataConverter converter;
  /** {@code Workflow.DEFAULT_VERSION}: the version of code that ran before a change. */
  public static final int DEFAULT_VERSION = -1;

  private record PendingActivity(String type, PromiseImpl<Payload> promise, CancellationScopeImpl scope) {}

  private record PendingChild(String type, String workflowId, String runId, PromiseImpl<Payload> result,
      PromiseImpl<WorkflowExecution> started, CancellationScopeImpl scope, ChildWorkflowCancellationType cancellation) {}

  private record PendingTimer(PromiseImpl<Void> promise, CancellationScopeImpl scope, Instant fireAt) {}

  private final WorkflowInfo info;
  private final WorkflowLimits limits;
  private final WorkflowInterfaceMetadata metadata;
  private final Supplier<?> factory;
  private final DeterministicRunner runner;
  private final CancellationScopeImpl rootScope = new CancellationScopeImpl(null, true, () -> {});
  private final List<Command> commands = new ArrayList<>();
  private final Map<Long, PendingActivity> activities = new HashMap<>();
  private final Map<Long, PendingTimer> timers = new HashMap<>();
  private final Map<Long, PendingChild> children = new HashMap<>();
  private final Set<String> signalRequestIds = new HashSet<>();
  private final Set<String> updateIds = new HashSet<>();
  /** Updates the running task's validators rejected, by id: not recorded, reported to their callers. */
  private final Map<String, FailureInfo> rejectedUpdates = new LinkedHashMap<>();
  private Map<Long, Event.MarkerRecorded> recordedMarkers = Map.of();
  /** The versions the replayed task's Version markers recorded, by change id. */
  private Map<String, Integer> recordedVersions = Map.of();
  /** What getVersion returned for each change id in this run: later calls return the same. */
  private final Map<String, Integer> versions = new HashMap<>();
  private Object instance;
  private Random random;
  private long seq;
  private Instant now;
  private boolean replaying;
  private boolean started;
  private boolean cancelRequested;
  private boolean closed;
  private int signalsReceived;
  /** Payload bytes of the commands of the task running now. */
  private long taskPayloadBytes;
  /** The running task's command and payload limits (see {@link #beginTask}). */
  private int taskCommandLimit;
  private long taskPayloadLimit;
  /** The history's events and payload bytes when the running task began (WorkflowInfo shows them). */
  private long taskHistoryLength;
  private long taskHistorySize;
  /** Why the running task fails; set by the thread that found out, thrown by the runner. */
  private WorkflowTaskFailedException taskFailure;
  private WorkflowStartOptions startOptions = WorkflowStartOptions.NONE;
  /** A DynamicWorkflow's run: its entry point takes the arguments undecoded. */
  private final boolean dynamic;
  private final List<WorkerInterceptor> interceptors;
  private final DynamicHandlers handlers = new DynamicHandlers();
  /** The head of the inbound interceptors (the root alone without any), set as the run starts. */
  private WorkflowInboundCallsInterceptor inbound;
  /** The head of the outbound interceptors, as the inbound chain's init passed it down. */
  private WorkflowOutboundCallsInterceptor outbound;
  /** Runs local activity attempts in a new task (the coordinator's); a replayer has none. */
  private LocalActivities localActivities = LocalActivities.NONE;
  /** Search attributes and memo after this run's upserts; null: as the start set them. */
  private Map<String, SearchAttributeValue> searchAttributes;
  private Map<String, Payload> memo;

  WorkflowContext(WorkflowInfo info, WorkflowImplementation impl, long deadlockMillis, WorkflowLimits limits) {
    this.info = info;
    this.limits = limits;
    this.metadata = impl.metadata();
    this.factory = impl.factory();
    this.converter = impl.converter();
    this.runner = new DeterministicRunner(deadlockMillis);
    this.dynamic = impl.dynamic();
    this.interceptors = impl.interceptors();
  }

  /** The converter of this run's payloads (its worker's). */
  public DataConverter converter() {
    return converter;
  }

  DeterministicRunner runner() {
    return runner;
  }

  void localActivities(LocalActivities l) {
    this.localActivities = l;
  }

  // ---------------------------------------------------------------- task lifecycle (runner side)

  /**
   * Starts a task (new or replayed). A replayed task may produce what its recorded batch holds,
   * even past today's per-task limits (the limit may have been raised when it was recorded);
   * beyond that the code is not the code that recorded it, and the limits still bound memory.
   */
  void beginTask(Instant taskTime, boolean replay, Map<Long, Event.MarkerRecorded> markers,
      Map<String, Integer> versionMarkers, int recordedCommands, long recordedPayloadBytes, long historyLength,
      long historySize) {
    now = taskTime;
    taskHistoryLength = historyLength;
    taskHistorySize = historySize;
    replaying = replay;
    recordedMarkers = markers;
    recordedVersions = versionMarkers;
    taskPayloadBytes = 0;
    taskCommandLimit = Math.max(limits.commandsPerTask(), recordedCommands);
    taskPayloadLimit = Math.max(limits.payloadBytesPerTask(), recordedPayloadBytes);
  }

  /** Whether an inbound event still means something to this run (not a duplicate, not stale). */
  boolean accepts(Event e) {
    return switch (e) {
      case Event.WorkflowExecutionStarted s -> !started;
      case Event.ActivityTaskCompleted c -> activities.containsKey(c.seq());
      case Event.ActivityTaskFailed f -> activities.containsKey(f.seq());
      case Event.ActivityTaskTimedOut t -> activities.containsKey(t.seq());
      case Event.ActivityTaskCanceled c -> activities.containsKey(c.seq());
      case Event.TimerFired f -> timers.containsKey(f.seq());
      // No "started" check: a signal may share its task with the start (signal-with-start), and
      // the FIFO queue puts the start first.
      case Event.WorkflowSignaled s -> !signalRequestIds.contains(s.requestId());
      case Event.WorkflowCancelRequested r -> !cancelRequested;
      case Event.WorkflowExecutionUpdateAccepted u -> !updateIds.contains(u.updateId());
      case Event.ChildWorkflowExecutionStarted c -> children.containsKey(c.seq()) && !children.get(c.seq()).started.isCompleted();
      case Event.StartChildWorkflowExecutionFailed f -> children.containsKey(f.seq());
      case Event.ChildWorkflowExecutionCompleted c -> children.containsKey(c.seq());
      case Event.ChildWorkflowExecutionFailed f -> children.containsKey(f.seq());
      case Event.ChildWorkflowExecutionCanceled c -> children.containsKey(c.seq());
      case Event.ChildWorkflowExecutionTimedOut t -> children.containsKey(t.seq());
      case Event.ChildWorkflowExecutionTerminated t -> children.containsKey(t.seq());
      default -> false;
    };
  }

  /** Applies an inbound event. Tolerates events that became stale earlier in the same task. */
  void apply(Event e) {
    switch (e) {
      case Event.WorkflowExecutionStarted s -> start(s);
      case Event.ActivityTaskCompleted c -> {
        PendingActivity a = takeActivity(c.seq());
        if (a != null) {
          a.promise.complete(c.result());
        }
      }
      case Event.ActivityTaskFailed f -> {
        PendingActivity a = takeActivity(f.seq());
        if (a != null) {
          a.promise.completeExceptionally(new ActivityFailure(a.type, Long.toString(f.seq()), f.attempt(),
              FailureConverter.toException(f.failure())));
        }
      }
      case Event.ActivityTaskTimedOut t -> {
        PendingActivity a = takeActivity(t.seq());
        if (a != null) {
          a.promise.completeExceptionally(new ActivityFailure(a.type, Long.toString(t.seq()), t.attempt(),
              new TimeoutFailure(t.timeoutType(), FailureConverter.toException(t.lastFailure()))));
        }
      }
      case Event.ActivityTaskCanceled c -> {
        PendingActivity a = takeActivity(c.seq());
        if (a != null) {
          a.promise.completeExceptionally(new ActivityFailure(a.type, Long.toString(c.seq()), c.attempt(),
              new CanceledFailure(a.scope.canceledMessage("activity canceled"))));
        }
      }
      case Event.TimerFired f -> {
        PendingTimer t = timers.remove(f.seq());
        if (t != null) {
          t.scope.done(f.seq());
          t.promise.complete(null);
        }
      }
      case Event.WorkflowSignaled s -> signal(s);
      case Event.WorkflowExecutionUpdateAccepted u -> update(u);
      case Event.WorkflowCancelRequested r -> {
        if (!cancelRequested) {
          cancelRequested = true;
          rootScope.cancel();
        }
      }
      case Event.WorkflowExecutionTerminated t -> markClosed();
      case Event.WorkflowExecutionTimedOut t -> markClosed();
      case Event.ChildWorkflowExecutionStarted c -> {
        PendingChild p = children.get(c.seq());
        if (p != null) {
          p.started.complete(new WorkflowExecution(c.workflowId(), c.runId()));
        }
      }
      case Event.StartChildWorkflowExecutionFailed f -> {
        PendingChild p = takeChild(f.seq());
        if (p != null) {
          ChildWorkflowFailure failure = new ChildWorkflowFailure(p.type, p.workflowId, null,
              ApplicationFailure.newNonRetryableFailure(f.cause(), failureName(f.cause())));
          p.started.completeExceptionally(failure);
          p.result.completeExceptionally(failure);
        }
      }
      case Event.ChildWorkflowExecutionCompleted c -> {
        PendingChild p = takeChild(c.seq());
        if (p != null) {
          p.result.complete(c.result());
        }
      }
      case Event.ChildWorkflowExecutionFailed f -> failChild(f.seq(), FailureConverter.toException(f.failure()));
      case Event.ChildWorkflowExecutionCanceled c -> failChild(c.seq(), new CanceledFailure("child workflow canceled"));
      case Event.ChildWorkflowExecutionTimedOut t -> failChild(t.seq(), new TimeoutFailure(TimeoutType.START_TO_CLOSE, null));
      case Event.ChildWorkflowExecutionTerminated t -> failChild(t.seq(), new TerminatedFailure(t.reason()));
      default -> throw new IllegalArgumentException("not an inbound event: " + e.describe());
    }
  }

  /** Runs the threads until all are blocked; throws if workflow code failed the task. */
  void runUntilBlocked() {
    runner.runUntilBlocked();
    throwIfTaskFailed();
  }

  /** Throws the task's failure if a thread set one. */
  private void throwIfTaskFailed() {
    if (taskFailure != null) {
      // Not cleared: the runner is discarded after a failed task, and code still running must unwind.
      throw taskFailure;
    }
  }

  List<Command> takeCommands() {
    List<Command> out = List.copyOf(commands);
    commands.clear();
    taskPayloadBytes = 0;
    return out;
  }

  int signalsReceived() {
    return signalsReceived;
  }

  /** Whether workflow code that still runs must unwind: its task failed or its runner was discarded. */
  boolean mustUnwind() {
    return taskFailure != null || runner.isDestroyed();
  }

  boolean isStarted() {
    return started;
  }

  /**
   * Whether an inbound event refers to a command this code has not issued yet: the activity or
   * timer it resolves has a seq beyond the last one produced. A runner seeing such an event is
   * behind the history (another coordinator committed the command), not looking at a stale event.
   */
  boolean isAhead(Event e) {
    long ref = switch (e) {
      case Event.ActivityTaskCompleted c -> c.seq();
      case Event.ActivityTaskFailed f -> f.seq();
      case Event.ActivityTaskTimedOut t -> t.seq();
      case Event.ActivityTaskCanceled c -> c.seq();
      case Event.TimerFired f -> f.seq();
      case Event.ChildWorkflowExecutionStarted c -> c.seq();
      case Event.StartChildWorkflowExecutionFailed f -> f.seq();
      case Event.ChildWorkflowExecutionCompleted c -> c.seq();
      case Event.ChildWorkflowExecutionFailed f -> f.seq();
      case Event.ChildWorkflowExecutionCanceled c -> c.seq();
      case Event.ChildWorkflowExecutionTimedOut t -> t.seq();
      case Event.ChildWorkflowExecutionTerminated t -> t.seq();
      default -> 0;
    };
    return ref > seq;
  }

  boolean isClosed() {
    return closed;
  }

  /** When the open timer {@code seq} is due (as its TimerStarted says), or null if it is not open. */
  Instant timerFireTime(long seq) {
    PendingTimer t = timers.get(seq);
    return t == null ? null : t.fireAt;
  }

  void markClosed() {
    closed = true;
    runner.stop();
  }

  void destroy() {
    runner.destroy();
  }

  private PendingActivity takeActivity(long s) {
    PendingActivity a = activities.remove(s);
    if (a != null) {
      a.scope.done(s);
    }
    return a;
  }

  private PendingChild takeChild(long s) {
    PendingChild p = children.remove(s);
    if (p != null) {
      p.scope.done(s);
      // A close may overtake the started message (a crash delayed the parent's copy of it): the run id is known.
      p.started.complete(new WorkflowExecution(p.workflowId, p.runId));
    }
    return p;
  }

  private void failChild(long s, RuntimeException cause) {
    PendingChild p = takeChild(s);
    if (p != null) {
      p.result.completeExceptionally(new ChildWorkflowFailure(p.type, p.workflowId, p.runId, cause));
    }
  }

  /** The name a start failure's cause begins with ({@code WorkflowExecutionAlreadyStarted: ...}). */
  private static String failureName(String cause) {
    int colon = cause.indexOf(':');
    return colon > 0 ? cause.substring(0, colon) : "StartChildWorkflowExecutionFailed";
  }

  private void start(Event.WorkflowExecutionStarted s) {
    started = true;
    random = new Random(s.randomSeed());
    Method m = metadata.workflowMethod();
    newThread("main", rootScope, () -> {
      initInterceptors();
      // Constructed in the workflow thread: field initialisers may call Workflow.newActivityStub.
      instance = factory.get();
      // As in Temporal, signals that came with the start (signal-with-start) are handled before
      // the workflow method runs: their handlers' threads, made after this one, take their first
      // turns now, so the method sees the state they filled.
      WorkflowThread main = WorkflowInternal.currentThread();
      runner.yieldUntil(main, () -> runner.othersStarted(main));
      Object[] args = dynamic ? new Object[] {encoded(s.input())}
          : converter.fromArgsPayload(s.input(), m.getGenericParameterTypes());
      Object result = inbound.execute(new WorkflowInboundCallsInterceptor.WorkflowInput(args)).result();
      if (!closed) {
        Payload p;
        try {
          p = converter.toPayload(result);
        } catch (PayloadTooLargeException e) {
          throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PayloadTooLarge");
        }
        addClosingCommand(new Command.CompleteWorkflow(p));
      }
    });
  }

  private void signal(Event.WorkflowSignaled s) {
    signalRequestIds.add(s.requestId());
    signalsReceived++;
    Method m = metadata.signals().get(s.signalName());
    if (m == null) {
      if (handlers.signal != null) {
        dynamicSignal(s);
        return;
      }
      // As Temporal does: kept for a dynamic signal handler the code may register later. A dynamic
      // workflow's signal-with-start comes before its handler as a rule; a typed one's is news.
      String message = "workflow {} {} has no handler for signal '{}' (its signals: {}); kept until a "
          + "DynamicSignalHandler is registered";
      if (dynamic) {
        log.debug(message, info.workflowType(), info.workflowId(), s.signalName(), metadata.signals().keySet());
      } else {
        log.warn(message, info.workflowType(), info.workflowId(), s.signalName(), metadata.signals().keySet());
      }
      handlers.keep(s);
      return;
    }
    Object[] args;
    try {
      args = converter.fromArgsPayload(s.input(), m.getGenericParameterTypes());
    } catch (PayloadDecodingException e) {
      // Not the signal's bytes but this deployment's converter (a missing key): the task fails and
      // is retried, so a deployment with the key handles the signal instead of losing it.
      failTask("PayloadNotDecodable: signal '" + s.signalName() + "': " + e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      // As Temporal's SDK does: a signal whose input cannot be converted is dropped with an error,
      // not retried forever (no deployment can fix its bytes). It stays in history, and a replay
      // drops it the same way.
      log.error("workflow {} {}: signal '{}' dropped, its input cannot be converted (SignalInputInvalid): {}",
          info.workflowType(), info.workflowId(), s.signalName(), e.getMessage());
      return;
    }
    newThread("signal " + s.signalName(), rootScope,
        () -> inbound.handleSignal(new WorkflowInboundCallsInterceptor.SignalInput(s.signalName(), args)));
  }

  private void dynamicSignal(Event.WorkflowSignaled s) {
    Object[] args;
    try {
      args = new Object[] {encoded(s.input())};
    } catch (PayloadDecodingException e) {
      failTask("PayloadNotDecodable: signal '" + s.signalName() + "': " + e.getMessage()); // as a typed signal's
      return;
    }
    newThread("signal " + s.signalName(), rootScope,
        () -> inbound.handleSignal(new WorkflowInboundCallsInterceptor.SignalInput(s.signalName(), args)));
  }

  /**
   * Runs an update in a thread of its own: in a new task, its validator first (a rejection is
   * noted for the runner, which leaves the update out of the batch, and the thread ends without
   * touching anything), then its handler, whose return or failure becomes the update's completion
   * command. On replay the validator does not run: the update is in history, so it was accepted.
   */
  private void update(Event.WorkflowExecutionUpdateAccepted u) {
    updateIds.add(u.updateId());
    boolean validate = !replaying;
    Method m = metadata.updates().get(u.updateName());
    if (m == null) {
      // A dynamic handler may take it: looked for after the code's next turn, so a DynamicWorkflow
      // that registers its handlers as it starts has them for an update of its first task.
      newThread("update " + u.updateName(), rootScope, () -> {
        yieldOnce();
        if (handlers.update == null) {
          unknownUpdate(u, validate);
          return;
        }
        Object[] args;
        try {
          args = new Object[] {encoded(u.input())};
        } catch (IllegalArgumentException e) {
          if (validate) {
            reject(u, ApplicationFailure.newNonRetryableFailure("update '" + u.updateName() + "': " + e.getMessage(),
                "InvalidArguments"));
            return;
          }
          throw e;
        }
        runUpdate(u, validate, args);
      });
      return;
    }
    Object[] args;
    try {
      args = converter.fromArgsPayload(u.input(), m.getGenericParameterTypes());
    } catch (IllegalArgumentException e) {
      if (validate) {
        reject(u, ApplicationFailure.newNonRetryableFailure("update '" + u.updateName() + "': " + e.getMessage(),
            "InvalidArguments"));
        return;
      }
      throw e;
    }
    newThread("update " + u.updateName(), rootScope, () -> runUpdate(u, validate, args));
  }

  /** No update method and no dynamic handler: rejected when new, a failed task on replay. */
  private void unknownUpdate(Event.WorkflowExecutionUpdateAccepted u, boolean validate) {
    if (validate) {
      reject(u, ApplicationFailure.newNonRetryableFailure("workflow type " + info.workflowType() + " has no update '"
          + u.updateName() + "'", "UnknownUpdate"));
      return;
    }
    failTask("UnknownUpdate: history has update '" + u.updateName() + "' (" + u.updateId() + "), which workflow "
        + info.workflowType() + " does not declare");
  }

  /** The update's thread: its validator (new updates only), then its handler, through the inbound interceptors. */
  private void runUpdate(Event.WorkflowExecutionUpdateAccepted u, boolean validate, Object[] args) {
    WorkflowInboundCallsInterceptor.UpdateInput input =
        new WorkflowInboundCallsInterceptor.UpdateInput(u.updateName(), args);
    if (validate) {
      try {
        inbound.validateUpdate(input);
      } catch (RuntimeException e) {
        reject(u, e);
        return;
      }
    }
    Payload result;
    try {
      result = converter.toPayload(inbound.executeUpdate(input).result());
    } catch (RuntimeException e) {
      if (!WorkflowInternal.failsWorkflow(e) && !(e instanceof PayloadTooLargeException)) {
        throw e; // a bug in the handler fails the workflow task, as other workflow code does
      }
      if (!closed) {
        addCommand(new Command.CompleteUpdate(u.updateId(), null, FailureConverter.toInfo(e)));
      }
      return;
    }
    if (!closed) {
      addCommand(new Command.CompleteUpdate(u.updateId(), result, null));
    }
  }

  /** Hands the turn to the other threads once (a pass of the runner), then goes on. */
  private void yieldOnce() {
    boolean[] yielded = {false};
    WorkflowInternal.yieldUntil(() -> {
      boolean again = yielded[0];
      yielded[0] = true;
      return again;
    });
  }

  private void reject(Event.WorkflowExecutionUpdateAccepted u, Throwable why) {
    updateIds.remove(u.updateId());
    rejectedUpdates.put(u.updateId(), FailureConverter.toInfo(why));
  }

  /** The updates the task rejected (by id), emptied: the runner leaves them out of its batch. */
  Map<String, FailureInfo> takeRejectedUpdates() {
    Map<String, FailureInfo> out = Map.copyOf(rejectedUpdates);
    rejectedUpdates.clear();
    return out;
  }

  /**
   * A thread for an {@code Async} call, within {@link WorkflowLimits#workflowThreads()}. (Signal
   * handlers' threads are not counted: the signal limit bounds them, and a task may bring
   * thousands of signals at once.)
   */
  void newAsyncThread(CancellationScopeImpl scope, Runnable body) {
    if (runner.aliveAsyncThreads() >= limits.workflowThreads()) {
      failTask("WorkflowThreadsLimitExceeded: workflow code started " + (runner.aliveAsyncThreads() + 1)
          + " Async threads that have not ended; the limit is " + limits.workflowThreads());
    }
    newThread("async", scope, true, body);
  }

  private void newThread(String name, CancellationScopeImpl scope, Runnable body) {
    newThread(name, scope, false, body);
  }

  private void newThread(String name, CancellationScopeImpl scope, boolean async, Runnable body) {
    runner.newThread(name, this, scope, async, () -> {
      try {
        body.run();
      } catch (DestroyWorkflowThreadError e) {
        throw e;
      } catch (Throwable t) {
        onUnhandled(t);
      }
    });
  }

  private void onUnhandled(Throwable t) {
    if (closed) {
      return;
    }
    if (t instanceof CanceledFailure && cancelRequested) {
      addClosingCommand(new Command.CancelWorkflow());
    } else if (WorkflowInternal.failsWorkflow(t)) {
      addClosingCommand(new Command.FailWorkflow(FailureConverter.toInfo(t)));
    } else if (taskFailure == null) {
      taskFailure = new WorkflowTaskFailedException("WorkflowCodeFailed: workflow code of " + info.workflowType()
          + " threw " + t, t);
      runner.stop();
    }
  }

  private void addClosingCommand(Command c) {
    addCommand(c);
    markClosed();
  }

  /** Adds a command of the running task, within the per-task limits. */
  private void addCommand(Command c) {
    if (commands.size() >= taskCommandLimit) {
      failTask("CommandsPerTaskLimitExceeded: workflow code produced " + (commands.size() + 1)
          + " commands in one workflow task; the limit is " + taskCommandLimit);
    }
    long bytes = HistorySize.bytes(c.toEvent(now));
    if (taskPayloadBytes + bytes > taskPayloadLimit) {
      failTask("TaskPayloadLimitExceeded: the commands of one workflow task carry " + (taskPayloadBytes + bytes)
          + " bytes of payloads; the limit is " + taskPayloadLimit);
    }
    taskPayloadBytes += bytes;
    commands.add(c);
  }

  /**
   * Fails the running task with {@code reason} (a name, a colon, what happened). In a workflow
   * thread, it stops handing out turns and unwinds the thread with an Error that workflow code
   * does not catch by accident (if it does, its next Tempora call parks it, see {@link
   * WorkflowInternal#currentThread()}); in the runner (applying an event) it throws the failure.
   */
  private void failTask(String reason) {
    WorkflowTaskFailedException f = new WorkflowTaskFailedException(reason);
    if (taskFailure == null) {
      taskFailure = f;
    }
    runner.stop();
    if (!WorkflowInternal.inWorkflowThread()) {
      throw f;
    }
    WorkflowInternal.CURRENT.get().unwinding = true;
    throw new DestroyWorkflowThreadError();
  }

  /**
   * Fails the task with {@code InvalidDuration} unless {@code d} from now ends by {@link
   * WorkflowLimits#LATEST_FIRE_TIME}: every timer, timeout and retry interval is a fire time
   * somewhere (a timer event, a schedule), and one past it cannot be stored or scheduled.
   */
  private void checkDuration(String what, Duration d) {
    if (d == null) {
      return;
    }
    Instant end;
    try {
      end = now.plus(d);
    } catch (DateTimeException | ArithmeticException e) {
      end = null;
    }
    if (end == null || end.isAfter(WorkflowLimits.LATEST_FIRE_TIME)) {
      failTask("InvalidDuration: " + what + " of " + d + " from " + now + " ends after "
          + WorkflowLimits.LATEST_FIRE_TIME + ", the latest time Tempora can schedule");
    }
  }

  Object invoke(Method m, Object[] args) {
    try {
      return m.invoke(instance, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ queries (caller's thread)

  Payload query(String name, Payload args) {
    Method m = metadata.queries().get(name);
    if (m == null && handlers.query == null) {
      throw new IllegalArgumentException("workflow " + info.workflowType() + " has no query '" + name + "' (known: "
          + metadata.queries().keySet() + ")");
    }
    if (instance == null) {
      throw new IllegalStateException("workflow " + info.workflowId() + " has not started yet");
    }
    Object[] decoded = m != null ? converter.fromArgsPayload(args, m.getGenericParameterTypes())
        : new Object[] {encoded(args)};
    return converter.toPayload(inbound.handleQuery(new WorkflowInboundCallsInterceptor.QueryInput(name, decoded))
        .result());
  }

  // ---------------------------------------------------- interceptors and dynamic handlers

  /**
   * Arguments for dynamic code, read with this run's converter (ADR 20). Their codecs are decoded
   * now, so a payload this deployment cannot decode fails here, by name, as a typed handler's does.
   */
  private EncodedValues encoded(Payload args) {
    EncodedValues values = new EncodedValues(args, converter.custom());
    values.getSize();
    return values;
  }

  /**
   * Builds the worker's inbound interceptors over the root (the last registered outermost, as in
   * Temporal) and inits them with the root outbound calls, which each may wrap. Runs in the main
   * thread before the instance is made: its field initialisers' stubs go through the chain.
   */
  private void initInterceptors() {
    WorkflowInboundCallsInterceptor head = new RootWorkflowInbound(this, handlers);
    for (WorkerInterceptor i : interceptors) {
      head = i.interceptWorkflow(head);
    }
    inbound = head;
    head.init(new RootWorkflowOutbound(this));
  }

  WorkflowInterfaceMetadata metadata() {
    return metadata;
  }

  /** Set by the root inbound interceptor's init: where {@code Workflow.*} calls go. */
  void outbound(WorkflowOutboundCallsInterceptor head) {
    outbound = head;
  }

  /** Where workflow code's activity, timer, wait and external-signal calls go: the outbound interceptors. */
  public WorkflowOutboundCallsInterceptor outbound() {
    WorkflowInternal.currentThread();
    if (outbound == null) {
      outbound = new RootWorkflowOutbound(this); // only before the run's main thread began
    }
    return outbound;
  }

  /** The number of the last command made (an activity's id is its command's number). */
  long lastSeq() {
    return seq;
  }

  /**
   * {@code Workflow.registerListener}: a dynamic signal, query or update handler (an object may be
   * several), replacing an earlier one of its kind. Signals that waited for a signal handler are
   * delivered to it now, each in a thread of its own, in the order they were recorded.
   */
  public void registerListener(Object listener) {
    WorkflowInternal.currentThread();
    boolean taken = false;
    if (listener instanceof DynamicQueryHandler q) {
      handlers.query = q;
      taken = true;
    }
    if (listener instanceof DynamicUpdateHandler u) {
      handlers.update = u;
      taken = true;
    }
    if (listener instanceof DynamicSignalHandler s) {
      handlers.signal = s;
      taken = true;
      for (Event.WorkflowSignaled waiting : handlers.takeWaiting()) {
        dynamicSignal(waiting);
      }
    }
    if (!taken) {
      throw new IllegalArgumentException("registerListener takes a DynamicSignalHandler, DynamicQueryHandler or "
          + "DynamicUpdateHandler; " + listener + " is none of them");
    }
  }

  // --------------------------------------------------------- Workflow.* (workflow thread holding the turn)

  /** The run's identity, and its history's size as of the running task (the same on replay). */
  public WorkflowInfo info() {
    return info.atHistory(taskHistoryLength, taskHistorySize,
        taskHistoryLength >= WorkflowLimits.SUGGEST_CONTINUE_AS_NEW_EVENTS
            || taskHistorySize >= WorkflowLimits.SUGGEST_CONTINUE_AS_NEW_BYTES);
  }

  /**
   * {@code Workflow.continueAsNew}: the closing command that starts the next run of the workflow id
   * ({@code workflowType} null: this run's type). The calling thread does not return into workflow
   * code: it waits until the runner is discarded, as after any close.
   */
  public void continueAsNew(String workflowType, ContinueAsNewOptions options, Object[] args) {
    WorkflowThread self = WorkflowInternal.currentThread();
    // Handlers of the signals this task brought run first (their first turn, as at the start), so
    // a signal recorded in this run is seen by the code before the run closes.
    runner.yieldUntil(self, () -> runner.othersStarted(self));
    if (!closed) {
      Payload input;
      try {
        input = converter.toArgsPayload(args == null ? new Object[0] : args);
      } catch (PayloadTooLargeException e) {
        throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PayloadTooLarge");
      }
      WorkflowStartOptions next = null;
      if (options != null) {
        if (options.getWorkflowRunTimeout() != null && (options.getWorkflowRunTimeout().isNegative()
            || options.getWorkflowRunTimeout().isZero())) {
          failTask("InvalidContinueAsNewOptions: workflowRunTimeout must be positive, was "
              + options.getWorkflowRunTimeout());
        }
        checkDuration("continue-as-new workflowRunTimeout", options.getWorkflowRunTimeout());
        RetryOptions r = options.getRetryOptions();
        ActivityParameters.RetryPolicy retry = r == null ? null : new ActivityParameters.RetryPolicy(
            r.getInitialInterval(), r.getBackoffCoefficient(), r.getMaximumInterval(), r.getMaximumAttempts(),
            r.getDoNotRetry());
        Map<String, Payload> memo = new LinkedHashMap<>();
        if (options.getMemo() != null) {
          options.getMemo().forEach((k, v) -> memo.put(k, DataConverter.get().toPayload(v))); // plain (ADR 20)
        }
        next = new WorkflowStartOptions(null, options.getWorkflowRunTimeout(), null, retry, memo);
      }
      // As Temporal's: the next run starts with this run's memo and search attributes, upserts included.
      if (this.memo != null && (next == null || next.memo().isEmpty())) {
        next = next == null ? new WorkflowStartOptions(null, null, null, null, this.memo)
            : new WorkflowStartOptions(null, next.workflowRunTimeout(), null, next.retryPolicy(), this.memo);
      }
      if (searchAttributes != null) {
        next = (next == null ? new WorkflowStartOptions(null, null, null, null, Map.of()) : next)
            .withSearchAttributes(searchAttributes);
      }
      addClosingCommand(new Command.ContinueAsNew(Command.ContinueAsNew.runIdAfter(info.runId()),
          workflowType != null ? workflowType : info.workflowType(), input,
          options == null ? null : options.getTaskQueue(), next));
    }
    WorkflowInternal.yieldUntil(() -> false);
    throw new DestroyWorkflowThreadError();
  }

  /** {@code Workflow.newContinueAsNewStub}: the interface's workflow method continues as new. */
  @SuppressWarnings("unchecked")
  public <T> T newContinueAsNewStub(Class<T> iface, ContinueAsNewOptions options) {
    WorkflowInterfaceMetadata md = WorkflowInterfaceMetadata.ofInterface(iface);
    return (T) Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return ProxyObjectMethods.invoke(proxy, method, args, "ContinueAsNewStub<" + md.workflowType() + ">");
      }
      if (!method.equals(md.workflowMethod())) {
        throw new UnsupportedOperationException("a continue-as-new stub only has its workflow method; "
            + method.getName() + " is not it");
      }
      WorkflowInternal.context().continueAsNew(md.workflowType(), options, args);
      return null;
    });
  }

  /** The run's start options (a cron run's last completion result and previous failure). */
  void startOptions(WorkflowStartOptions options) {
    this.startOptions = options;
  }

  public WorkflowStartOptions startOptions() {
    return startOptions;
  }

  public boolean isReplaying() {
    return replaying;
  }

  public long currentTimeMillis() {
    return now.toEpochMilli();
  }

  public Random newRandom() {
    return new Random(random.nextLong());
  }

  public UUID randomUUID() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (b[i] & 0xff);
      lsb = (lsb << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  @SuppressWarnings("unchecked")
  public <R> R sideEffect(Class<R> resultClass, Functions.Func<R> fn) {
    long s = ++seq;
    Event.MarkerRecorded recorded = replaying ? recordedMarkers.get(s) : null;
    Payload data = recorded != null ? recorded.data() : converter.toPayload(fn.apply());
    addCommand(new Command.RecordMarker(s, "SideEffect", data));
    return (R) converter.fromPayload(data, resultClass);
  }

  /**
   * {@code Workflow.getVersion}, with Temporal's rules. The first call for a change id decides the
   * run's version of it: new code (not replaying) records a Version marker with {@code
   * maxSupported}; replaying code returns the version the marker of the task being replayed
   * recorded, or {@code DEFAULT_VERSION} without a command when that task has none (the history
   * predates the change). Later calls with the same change id return the same version and record
   * nothing. A version outside [minSupported, maxSupported] fails the workflow task
   * ({@code UnsupportedVersion}): the run parks until code that supports it is deployed.
   */
  public int getVersion(String changeId, int minSupported, int maxSupported) {
    WorkflowInternal.currentThread();
    if (changeId == null || changeId.isEmpty()) {
      throw new IllegalArgumentException("getVersion needs a change id");
    }
    if (minSupported > maxSupported) {
      throw new IllegalArgumentException("getVersion(\"" + changeId + "\"): minSupported " + minSupported
          + " is above maxSupported " + maxSupported);
    }
    Integer version = versions.get(changeId);
    if (version == null) {
      if (replaying) {
        version = recordedVersions.getOrDefault(changeId, DEFAULT_VERSION);
      } else {
        version = maxSupported;
      }
      // DEFAULT_VERSION is what a history without a marker means: no marker for it.
      if (version != DEFAULT_VERSION) {
        addCommand(new VersionMarker(changeId, version).toCommand());
      }
      versions.put(changeId, version);
    }
    if (version < minSupported || version > maxSupported) {
      failTask("UnsupportedVersion: version " + version + " of change '" + changeId + "' is recorded for this run, "
          + "but the code of " + info.workflowType() + " supports " + minSupported + " to " + maxSupported
          + (version == DEFAULT_VERSION ? " (" + DEFAULT_VERSION + ": the run started before the change)" : "")
          + "; deploy code that supports it");
    }
    return version;
  }

  public void sleep(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return;
    }
    newTimer(d).get();
  }

  public void await(Supplier<Boolean> condition) {
    CancellationScopeImpl scope = WorkflowInternal.currentThread().scope;
    WorkflowInternal.yieldUntil(() -> condition.get() || scope.isCancelRequested());
    if (!condition.get()) {
      throw new CanceledFailure(scope.canceledMessage("Workflow.await canceled"));
    }
  }

  public boolean await(Duration timeout, Supplier<Boolean> condition) {
    if (condition.get()) {
      return true;
    }
    long timerSeq = seq + 1;
    PromiseImpl<Void> timer = newTimer(timeout);
    WorkflowInternal.yieldUntil(() -> condition.get() || timer.isCompleted());
    if (condition.get()) {
      cancelTimer(timerSeq);
      return true;
    }
    RuntimeException f = timer.failureNow();
    if (f != null) {
      throw f;
    }
    return false;
  }

  /**
   * {@code Workflow.newTimer}: a timer in history whose promise completes when it fires, or fails
   * with {@code CanceledFailure} when its scope is cancelled (TimerCanceled recorded). A duration of
   * zero or less completes at once and records nothing, as a zero sleep does.
   */
  public PromiseImpl<Void> timer(Duration d) {
    if (d.isNegative() || d.isZero()) {
      WorkflowInternal.currentThread();
      PromiseImpl<Void> p = new PromiseImpl<>();
      p.complete(null);
      return p;
    }
    return newTimer(d);
  }

  PromiseImpl<Void> newTimer(Duration d) {
    long s = ++seq;
    PromiseImpl<Void> p = new PromiseImpl<>();
    CancellationScopeImpl scope = WorkflowInternal.currentThread().scope;
    if (scope.isCancelRequested()) {
      p.completeExceptionally(new CanceledFailure(scope.canceledMessage("timer canceled before it started")));
      return p;
    }
    checkDuration("timer", d);
    addCommand(new Command.StartTimer(s, d));
    timers.put(s, new PendingTimer(p, scope, now.plus(d)));
    scope.onCancel(s, () -> cancelTimer(s));
    return p;
  }

  private void cancelTimer(long s) {
    PendingTimer t = timers.remove(s);
    if (t == null) {
      return;
    }
    t.scope.done(s);
    addCommand(new Command.CancelTimer(s));
    t.promise.completeExceptionally(new CanceledFailure(t.scope.canceledMessage("timer canceled")));
  }

  public CancellationScope newCancellationScope(Runnable body, boolean detached) {
    return new CancellationScopeImpl(WorkflowInternal.currentThread().scope, detached, body);
  }

  @SuppressWarnings("unchecked")
  public <T> T newActivityStub(Class<T> iface, ActivityOptions options) {
    ActivityInterfaceMetadata md = ActivityInterfaceMetadata.ofInterface(iface);
    return (T) Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return ProxyObjectMethods.invoke(proxy, method, args, "ActivityStub<" + iface.getSimpleName() + ">");
      }
      String type = md.typesByMethod().get(method);
      return WorkflowInternal.context().outbound().executeActivity(new WorkflowOutboundCallsInterceptor.ActivityInput<>(
          type, method.getReturnType(), method.getGenericReturnType(), args == null ? new Object[0] : args, options))
          .result().get();
    });
  }

  PromiseImpl<Payload> scheduleActivity(String type, String taskQueue, Payload input, ActivityParameters params,
      ActivityCancellationType cancellation) {
    long s = ++seq;
    PromiseImpl<Payload> p = new PromiseImpl<>();
    CancellationScopeImpl scope = WorkflowInternal.currentThread().scope;
    if (scope.isCancelRequested()) {
      p.completeExceptionally(new ActivityFailure(type, Long.toString(s), 0,
          new CanceledFailure(scope.canceledMessage("activity canceled before it was scheduled"))));
      return p;
    }
    checkDuration("activity " + type + " scheduleToStartTimeout", params.scheduleToStartTimeout());
    checkDuration("activity " + type + " startToCloseTimeout", params.startToCloseTimeout());
    checkDuration("activity " + type + " scheduleToCloseTimeout", params.scheduleToCloseTimeout());
    checkDuration("activity " + type + " heartbeatTimeout", params.heartbeatTimeout());
    checkDuration("activity " + type + " retry initialInterval", params.retryPolicy().initialInterval());
    checkDuration("activity " + type + " retry maximumInterval", params.retryPolicy().maximumInterval());
    if (!replaying && activities.size() >= limits.pendingActivities()) {
      // Like Temporal: one more than the limit fails the task (retried), it is not refused to the
      // code; and it is checked on new commands only, so a history recorded under a higher limit replays.
      failTask("PendingActivitiesLimitExceeded: workflow scheduled " + (activities.size() + 1)
          + " pending activities; the limit is " + limits.pendingActivities());
    }
    addCommand(new Command.ScheduleActivity(s, type, taskQueue, input, params));
    activities.put(s, new PendingActivity(type, p, scope));
    scope.onCancel(s, () -> cancelActivity(s, type, cancellation));
    return p;
  }

  /** {@code Workflow.newLocalActivityStub}: calls run in this task, see {@link #executeLocalActivity}. */
  @SuppressWarnings("unchecked")
  public <T> T newLocalActivityStub(Class<T> iface, LocalActivityOptions options) {
    ActivityInterfaceMetadata md = ActivityInterfaceMetadata.ofInterface(iface);
    if (options == null) {
      throw new IllegalArgumentException("newLocalActivityStub needs LocalActivityOptions");
    }
    return (T) Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return ProxyObjectMethods.invoke(proxy, method, args, "LocalActivityStub<" + iface.getSimpleName() + ">");
      }
      String type = md.typesByMethod().get(method);
      Payload input;
      try {
        input = converter.toArgsPayload(args);
      } catch (PayloadTooLargeException e) {
        throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PayloadTooLarge");
      }
      Payload result = WorkflowInternal.context().executeLocalActivity(type, input, options);
      return converter.fromPayload(result, method.getGenericReturnType());
    });
  }

  /**
   * Runs a local activity as Temporal does, in the calling thread's turn: each try (one attempt,
   * or several with backoffs below the local retry threshold) records a LocalActivity marker with
   * the next command seq. On replay the marker of the replayed task is read and nothing runs. A
   * failure to retry after a longer backoff is followed by a timer (a durable wait; the next
   * attempt runs in the task its firing brings) and another try.
   */
  Payload executeLocalActivity(String type, Payload input, LocalActivityOptions o) {
    RetryOptions r = o.getRetryOptions() != null ? o.getRetryOptions() : RetryOptions.getDefaultInstance();
    ActivityParameters.RetryPolicy policy = new ActivityParameters.RetryPolicy(r.getInitialInterval(),
        r.getBackoffCoefficient(), r.getMaximumInterval(), r.getMaximumAttempts(), r.getDoNotRetry());
    checkDuration("local activity " + type + " startToCloseTimeout", o.getStartToCloseTimeout());
    checkDuration("local activity " + type + " scheduleToCloseTimeout", o.getScheduleToCloseTimeout());
    checkDuration("local activity " + type + " retry initialInterval", policy.initialInterval());
    checkDuration("local activity " + type + " retry maximumInterval", policy.maximumInterval());
    Instant scheduled = now;
    int attempt = 1;
    while (true) {
      long s = ++seq;
      CancellationScopeImpl scope = WorkflowInternal.currentThread().scope;
      if (scope.isCancelRequested()) {
        throw new ActivityFailure(type, Long.toString(s), attempt,
            new CanceledFailure(scope.canceledMessage("local activity canceled before it ran")));
      }
      LocalActivityMarker m;
      if (replaying) {
        Event.MarkerRecorded recorded = recordedMarkers.get(s);
        if (recorded == null || !LocalActivityMarker.NAME.equals(recorded.markerName())) {
          // Not what the replayed task did: the command matching names the difference; the code waits.
          addCommand(new Command.RecordMarker(s, LocalActivityMarker.NAME, Payload.NULL));
          WorkflowInternal.yieldUntil(() -> false);
          throw new DestroyWorkflowThreadError();
        }
        try {
          m = LocalActivityMarker.of(recorded);
        } catch (IllegalArgumentException e) {
          failTask("InvalidHistory: " + e.getMessage());
          return null;
        }
      } else {
        m = runLocally(s, type, input, o, policy, attempt, scheduled);
      }
      addCommand(m.toCommand(s));
      if (m.completed()) {
        return m.result() == null ? Payload.NULL : m.result();
      }
      if (m.backoff() == null) {
        RuntimeException cause = FailureConverter.toException(m.failure());
        throw new ActivityFailure(type, Long.toString(s), m.attempt(),
            m.timeoutType() != null && !(cause instanceof TimeoutFailure) ? new TimeoutFailure(m.timeoutType(), cause)
                : cause);
      }
      try {
        newTimer(m.backoff()).get();
      } catch (CanceledFailure e) {
        // As an ordinary activity cancelled while it waits for its next attempt.
        throw new ActivityFailure(type, Long.toString(s), m.attempt(), e);
      }
      attempt = m.attempt() + 1;
      scheduled = m.scheduledTime();
    }
  }

  /**
   * Runs attempts from {@code attempt} until one completes, the failure is final, or the next
   * backoff reaches the local retry threshold (then the marker carries it, and a timer follows).
   * Waits between attempts are real time inside the task; workflow time stands still, as in any task.
   */
  private LocalActivityMarker runLocally(long s, String type, Payload input, LocalActivityOptions o,
      ActivityParameters.RetryPolicy policy, int attempt, Instant scheduled) {
    Payload recordedInput = o.isDoNotIncludeArgumentsIntoMarker() ? null : input;
    String id = Long.toString(s);
    // Schedule-to-close counts from the first attempt's task (workflow time) plus the real time spent here.
    Duration before = Duration.between(scheduled, now);
    long startNanos = System.nanoTime();
    WorkflowThread self = WorkflowInternal.currentThread();
    while (true) {
      Duration attemptTimeout = o.getStartToCloseTimeout();
      if (o.getScheduleToCloseTimeout() != null) {
        Duration left = o.getScheduleToCloseTimeout().minus(before).minusNanos(System.nanoTime() - startNanos);
        if (left.isNegative() || left.isZero()) {
          return new LocalActivityMarker(id, type, recordedInput, attempt, scheduled, null,
              FailureConverter.toInfo(new TimeoutFailure(TimeoutType.SCHEDULE_TO_CLOSE, null)),
              TimeoutType.SCHEDULE_TO_CLOSE, null);
        }
        attemptTimeout = attemptTimeout == null || left.compareTo(attemptTimeout) < 0 ? left : attemptTimeout;
      }
      LocalActivities.Outcome outcome;
      self.inLocalActivity = true;
      try {
        outcome = localActivities.run(new LocalActivities.Attempt(info, id, type, input, attempt, scheduled,
            attemptTimeout));
      } finally {
        self.inLocalActivity = false;
      }
      if (outcome instanceof LocalActivities.Outcome.Completed c) {
        return new LocalActivityMarker(id, type, recordedInput, attempt, scheduled, c.result(), null, null, null);
      }
      LocalActivities.Outcome.Failed f = (LocalActivities.Outcome.Failed) outcome;
      FailureInfo failure = f.failure();
      boolean nonRetryable = failure.nonRetryable()
          || (failure.type() != null && policy.doNotRetry().contains(failure.type()));
      boolean attemptsLeft = policy.maximumAttempts() == 0 || attempt < policy.maximumAttempts();
      Duration backoff = policy.backoffBefore(attempt + 1);
      Duration spent = before.plusNanos(System.nanoTime() - startNanos);
      boolean beforeDeadline = o.getScheduleToCloseTimeout() == null
          || spent.plus(backoff).compareTo(o.getScheduleToCloseTimeout()) < 0;
      if (nonRetryable || !attemptsLeft) {
        return new LocalActivityMarker(id, type, recordedInput, attempt, scheduled, null, failure, f.timeout(), null);
      }
      if (!beforeDeadline) {
        return new LocalActivityMarker(id, type, recordedInput, attempt, scheduled, null, failure,
            f.timeout() != null ? f.timeout() : TimeoutType.SCHEDULE_TO_CLOSE, null);
      }
      if (backoff.compareTo(o.getLocalRetryThreshold()) >= 0) {
        return new LocalActivityMarker(id, type, recordedInput, attempt, scheduled, null, failure, f.timeout(), backoff);
      }
      self.inLocalActivity = true;
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failTask("WorkflowTaskInterrupted: the coordinator stopped while local activity " + type + " backed off");
      } finally {
        self.inLocalActivity = false;
      }
      attempt++;
    }
  }

  /**
   * Cancels pending activity {@code s} as its cancellation type says (Temporal's semantics).
   * TRY_CANCEL (the default) records the request and fails the promise at once; the activity learns
   * of it at its next heartbeat, and its outcome, when it comes, is dropped. WAIT_CANCELLATION_COMPLETED
   * records the request and leaves the activity pending: its outcome (canceled, or completed or
   * failed if it finished anyway) settles the promise. ABANDON records nothing and fails the promise.
   */
  private void cancelActivity(long s, String type, ActivityCancellationType cancellation) {
    if (!activities.containsKey(s)) {
      return;
    }
    switch (cancellation) {
      case TRY_CANCEL -> {
        addCommand(new Command.RequestCancelActivity(s));
        failCanceled(s, type);
      }
      case WAIT_CANCELLATION_COMPLETED -> addCommand(new Command.RequestCancelActivity(s));
      case ABANDON -> failCanceled(s, type);
    }
  }

  private void failCanceled(long s, String type) {
    PendingActivity a = activities.remove(s);
    a.promise.completeExceptionally(new ActivityFailure(type, Long.toString(s), 0,
        new CanceledFailure(a.scope.canceledMessage("activity canceled"))));
  }

  /**
   * Starts a child workflow (a command; the outbox starts it after the commit) and returns the
   * promise of its result; {@code started} completes with its execution once it has started. The
   * child's id, unless the options give one, is the parent's id, {@code -child-} and the command's number.
   */
  PromiseImpl<Payload> startChild(String type, ChildWorkflowOptions o, Payload input,
      PromiseImpl<WorkflowExecution> started) {
    long s = ++seq;
    String workflowId = o.getWorkflowId() != null ? o.getWorkflowId() : info.workflowId() + "-child-" + s;
    String runId = RunIds.child(info.runId(), s);
    PromiseImpl<Payload> result = new PromiseImpl<>();
    CancellationScopeImpl scope = WorkflowInternal.currentThread().scope;
    if (scope.isCancelRequested()) {
      ChildWorkflowFailure f = new ChildWorkflowFailure(type, workflowId, null,
          new CanceledFailure(scope.canceledMessage("child workflow canceled before it started")));
      started.completeExceptionally(f);
      result.completeExceptionally(f);
      return result;
    }
    checkDuration("child workflow " + type + " workflowExecutionTimeout", o.getWorkflowExecutionTimeout());
    checkDuration("child workflow " + type + " workflowRunTimeout", o.getWorkflowRunTimeout());
    String taskQueue = o.getTaskQueue() != null ? o.getTaskQueue() : info.taskQueue();
    addCommand(new Command.StartChild(s, workflowId, type, taskQueue, input, childStartOptions(o),
        o.getParentClosePolicy().name(), o.getWorkflowIdReusePolicy().name()));
    children.put(s, new PendingChild(type, workflowId, runId, result, started, scope, o.getCancellationType()));
    scope.onCancel(s, () -> cancelChild(s));
    return result;
  }

  /** Cancels pending child {@code s} as its cancellation type says (Temporal's semantics). */
  private void cancelChild(long s) {
    PendingChild p = children.get(s);
    if (p == null) {
      return;
    }
    if (p.cancellation != ChildWorkflowCancellationType.ABANDON) {
      addCommand(new Command.RequestCancelExternal(s, p.workflowId, p.runId));
    }
    if (p.cancellation != ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED) {
      children.remove(s);
      p.result.completeExceptionally(new ChildWorkflowFailure(p.type, p.workflowId, p.runId,
          new CanceledFailure(p.scope.canceledMessage("child workflow canceled"))));
    }
  }

  /**
   * {@code Workflow.upsertTypedSearchAttributes}: changes the run's attributes now (the code reads
   * them back at once) and records the change, which the visibility store applies on dispatch.
   */
  public void upsertSearchAttributes(SearchAttributeUpdate<?>... updates) {
    WorkflowInternal.currentThread();
    if (updates.length == 0) {
      throw new IllegalArgumentException("upsertTypedSearchAttributes needs at least one update");
    }
    Map<String, SearchAttributeValue> changes = SearchAttributeCodec.encode(updates);
    searchAttributes = SearchAttributeCodec.apply(searchAttributes(), changes);
    addCommand(new Command.UpsertSearchAttributes(++seq, changes));
  }

  /** The run's search attributes: the start's, with this run's upserts so far applied. */
  public Map<String, SearchAttributeValue> searchAttributes() {
    return searchAttributes != null ? searchAttributes : startOptions.searchAttributes();
  }

  /** {@code Workflow.upsertMemo}: a null value removes the key. */
  public void upsertMemo(Map<String, Object> changes) {
    WorkflowInternal.currentThread();
    if (changes == null || changes.isEmpty()) {
      throw new IllegalArgumentException("upsertMemo needs at least one entry");
    }
    Map<String, Payload> payloads = new LinkedHashMap<>();
    changes.forEach((k, v) -> payloads.put(k, v == null ? null : DataConverter.get().toPayload(v)));
    Map<String, Payload> next = new HashMap<>(memo());
    payloads.forEach((k, v) -> {
      if (v == null) {
        next.remove(k);
      } else {
        next.put(k, v);
      }
    });
    memo = next;
    addCommand(new Command.UpsertMemo(++seq, payloads));
  }

  /** The run's memo: the start's, with this run's upserts applied. */
  public Map<String, Payload> memo() {
    return memo != null ? memo : startOptions.memo();
  }

  /** Signals another workflow (a command, sent once by the outbox); {@code runId} null: the id's open run. */
  void signalExternal(String workflowId, String runId, String signalName, Payload input) {
    addCommand(new Command.SignalExternal(++seq, workflowId, runId, signalName, input));
  }

  /** Asks another workflow to cancel (a command, sent once by the outbox). */
  void cancelExternal(String workflowId, String runId) {
    addCommand(new Command.RequestCancelExternal(++seq, workflowId, runId));
  }

  private static WorkflowStartOptions childStartOptions(ChildWorkflowOptions o) {
    RetryOptions r = o.getRetryOptions();
    ActivityParameters.RetryPolicy retry = r == null ? null : new ActivityParameters.RetryPolicy(r.getInitialInterval(),
        r.getBackoffCoefficient(), r.getMaximumInterval(), r.getMaximumAttempts(), r.getDoNotRetry());
    Map<String, Payload> memo = new HashMap<>();
    o.getMemo().forEach((k, v) -> memo.put(k, DataConverter.get().toPayload(v))); // memo stays plain JSON (ADR 20)
    Map<String, SearchAttributeValue> attributes = SearchAttributeCodec.encode(o.getTypedSearchAttributes());
    if (retry == null && memo.isEmpty() && o.getWorkflowExecutionTimeout() == null && o.getWorkflowRunTimeout() == null
        && attributes.isEmpty()) {
      return null;
    }
    return new WorkflowStartOptions(o.getWorkflowExecutionTimeout(), o.getWorkflowRunTimeout(), null, retry, memo)
        .withSearchAttributes(attributes);
  }

  static ActivityParameters parameters(ActivityOptions o) {
    RetryOptions r = o.getRetryOptions() != null ? o.getRetryOptions() : RetryOptions.getDefaultInstance();
    return new ActivityParameters(o.getScheduleToStartTimeout(), o.getStartToCloseTimeout(),
        o.getScheduleToCloseTimeout(), o.getHeartbeatTimeout(),
        new ActivityParameters.RetryPolicy(r.getInitialInterval(), r.getBackoffCoefficient(), r.getMaximumInterval(),
            r.getMaximumAttempts(), r.getDoNotRetry()));
  }
}
