package dev.tempora.internal.client;

import dev.tempora.common.interceptors.WorkflowClientCallsInterceptor;
import dev.tempora.common.interceptors.WorkflowClientInterceptor;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowException;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.client.SignalOptions;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.UpdateOptions;
import dev.tempora.client.WorkflowUpdateHandle;
import dev.tempora.client.WorkflowUpdateStage;
import dev.tempora.activity.RetryOptions;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.failure.TerminatedFailure;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Payload;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.internal.visibility.SearchAttributeCodec;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.FailureConverter;
import dev.tempora.internal.history.RunKey;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/** An untyped stub: a workflow id, and the run it is bound to once started. */
final class WorkflowStubImpl implements WorkflowStub {
  private static final Duration FOREVER = Duration.ofDays(365 * 100);
  /** Attempts of a signal's send (the first and two retries), all with the call's one request id. */
  static final int SIGNAL_ATTEMPTS = 3;
  private static final long RETRY_BACKOFF_MILLIS = 100;
  private final WorkflowService service;
  private final String workflowType;
  private final WorkflowOptions options;
  private final String workflowId;
  private volatile WorkflowExecution execution;
  /** The client's interceptors over {@link RootCalls}: every call below goes through them. */
  private final WorkflowClientCallsInterceptor calls;

  private final DataConverter converter;

  WorkflowStubImpl(WorkflowService service, String workflowType, WorkflowOptions options, String workflowId) {
    this(service, workflowType, options, workflowId, DataConverter.get(), List.of());
  }

  WorkflowStubImpl(WorkflowService service, String workflowType, WorkflowOptions options, String workflowId,
      DataConverter converter, List<WorkflowClientInterceptor> interceptors) {
    this.converter = converter;
    this.service = service;
    this.workflowType = workflowType;
    this.options = options;
    this.workflowId = workflowId;
    WorkflowClientCallsInterceptor head = new RootCalls();
    for (WorkflowClientInterceptor i : interceptors) {
      head = i.workflowClientCallsInterceptor(head);
    }
    this.calls = head;
  }

  /** The workflow id, and the run once the stub is bound to one (null: the id's current run). */
  private WorkflowExecution addressed() {
    WorkflowExecution e = execution;
    return e != null ? e : new WorkflowExecution(workflowId, null);
  }

  /** The innermost client calls: what the stub does without interceptors. */
  private final class RootCalls implements WorkflowClientCallsInterceptor {
    @Override
    public WorkflowStartOutput start(WorkflowStartInput input) {
      return new WorkflowStartOutput(doStart(input));
    }

    @Override
    public WorkflowSignalWithStartOutput signalWithStart(WorkflowSignalWithStartInput input) {
      return new WorkflowSignalWithStartOutput(new WorkflowStartOutput(doSignalWithStart(input)));
    }

    @Override
    public WorkflowSignalOutput signal(WorkflowSignalInput input) {
      doSignal(input.signalOptions(), input.signalName(), input.arguments());
      return new WorkflowSignalOutput();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> QueryOutput<R> query(QueryInput<R> input) {
      return new QueryOutput<>((R) converter().fromPayload(service.query(input.workflowExecution().workflowId(),
          input.queryType(), converter().toArgsPayload(input.arguments())), input.resultType()));
    }

    @Override
    public <R> WorkflowUpdateHandle<R> startUpdate(StartUpdateInput<R> input) {
      return doStartUpdate(input);
    }

    @Override
    public <R> GetResultOutput<R> getResult(GetResultInput<R> input) {
      return new GetResultOutput<>(doResult(input.workflowExecution(), input.timeout(), input.resultType()));
    }

    @Override
    public void cancel(CancelInput input) {
      service.cancel(input.workflowExecution().workflowId());
    }

    @Override
    public void terminate(TerminateInput input) {
      service.terminate(input.workflowExecution().workflowId(), input.reason());
    }
  }

  private DataConverter converter() {
    return converter;
  }

  private void requireOptions(String operation) {
    if (options == null || workflowType == null) {
      throw new IllegalStateException(operation + " needs a stub made with WorkflowOptions (newWorkflowStub(Class, WorkflowOptions))");
    }
  }

  /** Whether the stub is bound to a run: made with a workflow id only, or already started. */
  boolean isBound() {
    return options == null || execution != null;
  }

  @Override
  public WorkflowExecution start(Object... args) {
    requireOptions("start");
    execution = calls.start(new WorkflowClientCallsInterceptor.WorkflowStartInput(workflowId, workflowType,
        args == null ? new Object[0] : args, options)).workflowExecution();
    return execution;
  }

  private WorkflowExecution doStart(WorkflowClientCallsInterceptor.WorkflowStartInput in) {
    WorkflowOptions o = in.options();
    return service.start(in.workflowId(), in.workflowType(), o.getTaskQueue(), converter().toArgsPayload(in.arguments()),
        o.getWorkflowIdReusePolicy(), startOptions(o));
  }

  @Override
  public WorkflowExecution signalWithStart(String signalName, Object[] signalArgs, Object[] startArgs) {
    return signalWithStart(SignalOptions.getDefaultInstance(), signalName, signalArgs, startArgs);
  }

  @Override
  public WorkflowExecution signalWithStart(SignalOptions signalOptions, String signalName, Object[] signalArgs,
      Object[] startArgs) {
    requireOptions("signalWithStart");
    execution = calls.signalWithStart(new WorkflowClientCallsInterceptor.WorkflowSignalWithStartInput(
        new WorkflowClientCallsInterceptor.WorkflowStartInput(workflowId, workflowType,
            startArgs == null ? new Object[0] : startArgs, options),
        signalName, signalArgs == null ? new Object[0] : signalArgs, signalOptions)).workflowStartOutput()
        .workflowExecution();
    return execution;
  }

  private WorkflowExecution doSignalWithStart(WorkflowClientCallsInterceptor.WorkflowSignalWithStartInput in) {
    WorkflowClientCallsInterceptor.WorkflowStartInput start = in.workflowStartInput();
    WorkflowOptions o = start.options();
    return service.signalWithStart(start.workflowId(), start.workflowType(), o.getTaskQueue(),
        converter().toArgsPayload(start.arguments()), o.getWorkflowIdReusePolicy(), startOptions(o), in.signalName(),
        converter().toArgsPayload(in.signalArguments()), requestId(in.signalOptions()));
  }

  /** The options as the service takes them: the retry policy as history records it, memo values as JSON. */
  static WorkflowStartOptions startOptions(WorkflowOptions o) {
    RetryOptions r = o.getRetryOptions();
    ActivityParameters.RetryPolicy retry = r == null ? null : new ActivityParameters.RetryPolicy(r.getInitialInterval(),
        r.getBackoffCoefficient(), r.getMaximumInterval(), r.getMaximumAttempts(), r.getDoNotRetry());
    Map<String, Payload> memo = new LinkedHashMap<>();
    if (o.getMemo() != null) {
      o.getMemo().forEach((k, v) -> memo.put(k, DataConverter.get().toPayload(v)));
    }
    Map<String, SearchAttributeValue> attributes = SearchAttributeCodec.encode(o.getTypedSearchAttributes());
    if (retry == null && memo.isEmpty() && o.getWorkflowExecutionTimeout() == null && o.getWorkflowRunTimeout() == null
        && o.getCronSchedule() == null && o.getStartDelay() == null && attributes.isEmpty()) {
      return WorkflowStartOptions.NONE;
    }
    if (memo.containsKey(null)) {
      RequestValidator.memo(memo); // refuses the null key (the options' map would lose it)
    }
    // The start delay travels as the first task's backoff; the service checks and records it.
    return new WorkflowStartOptions(o.getWorkflowExecutionTimeout(), o.getWorkflowRunTimeout(), null, retry, memo, 1,
        o.getStartDelay(), o.getCronSchedule(), null, null, attributes);
  }

  @Override
  public void signal(String signalName, Object... args) {
    signal(SignalOptions.getDefaultInstance(), signalName, args);
  }

  @Override
  public void signal(SignalOptions signalOptions, String signalName, Object... args) {
    calls.signal(new WorkflowClientCallsInterceptor.WorkflowSignalInput(addressed(), signalName,
        args == null ? new Object[0] : args, signalOptions));
  }

  private void doSignal(SignalOptions signalOptions, String signalName, Object[] args) {
    Payload payload = converter().toArgsPayload(args);
    boolean callersId = signalOptions != null && signalOptions.getRequestId() != null;
    String requestId = requestId(signalOptions);
    // A send that failed may still have delivered (a timeout after SQS accepted it): sending
    // again with the same request id is the same message, recorded once.
    for (int attempt = 1; ; attempt++) {
      try {
        service.signal(workflowId, signalName, payload, requestId);
        return;
      } catch (WorkflowNotFoundException e) {
        // An earlier attempt, or the caller's earlier call with this id, went through and the run
        // has closed since: the signal is done.
        if ((attempt > 1 || callersId) && recorded(requestId)) {
          return;
        }
        throw e;
      } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException | WorkflowException e) {
        throw e; // a refusal or a closed run: the same call cannot succeed later
      } catch (RuntimeException e) {
        if (attempt >= SIGNAL_ATTEMPTS) {
          throw e;
        }
        pause(RETRY_BACKOFF_MILLIS << (attempt - 1));
      }
    }
  }

  /** Whether the current run has recorded a signal with this request id. */
  private boolean recorded(String requestId) {
    return service.signalRecorded(service.currentRun(workflowId).run(), requestId);
  }

  /** The caller's request id, or one made now for this call and all its retries. */
  private String requestId(SignalOptions signalOptions) {
    String given = signalOptions == null ? null : signalOptions.getRequestId();
    return given != null ? given : service.newId();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkflowException(null, "interrupted while retrying a signal", e);
    }
  }

  @Override
  public <R> R query(String queryName, Class<R> resultClass, Object... args) {
    return queryTyped(queryName, resultClass, args);
  }

  @SuppressWarnings("unchecked")
  <R> R queryTyped(String queryName, Type resultType, Object... args) {
    return calls.<R>query(new WorkflowClientCallsInterceptor.QueryInput<>(addressed(), queryName,
        args == null ? new Object[0] : args, resultType)).result();
  }

  @Override
  public <R> R update(String updateName, Class<R> resultClass, Object... args) {
    return updateTyped(updateName, resultClass, args);
  }

  <R> R updateTyped(String updateName, Type resultType, Object... args) {
    return this.<R>startUpdate(updateName, null, WorkflowUpdateStage.COMPLETED, resultType, args).getResult();
  }

  @Override
  public <R> WorkflowUpdateHandle<R> startUpdate(String updateName, WorkflowUpdateStage waitForStage,
      Class<R> resultClass, Object... args) {
    return startUpdate(updateName, null, waitForStage, resultClass, args);
  }

  @Override
  public <R> WorkflowUpdateHandle<R> startUpdate(UpdateOptions<R> options, Object... args) {
    return startUpdate(options.getUpdateName(), options.getUpdateId(), options.getWaitForStage(),
        options.getResultClass(), args);
  }

  private <R> WorkflowUpdateHandle<R> startUpdate(String updateName, String updateId, WorkflowUpdateStage waitForStage,
      Type resultType, Object[] args) {
    if (waitForStage == null || waitForStage == WorkflowUpdateStage.ADMITTED) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_FIELD,
          "waitForStage must be ACCEPTED or COMPLETED (as Temporal's client)");
    }
    return calls.startUpdate(new WorkflowClientCallsInterceptor.StartUpdateInput<R>(addressed(), updateName, updateId,
        args == null ? new Object[0] : args, waitForStage, resultType));
  }

  private <R> WorkflowUpdateHandle<R> doStartUpdate(WorkflowClientCallsInterceptor.StartUpdateInput<R> in) {
    WorkflowService.UpdateOutcome outcome = service.update(in.workflowExecution().workflowId(), in.updateName(),
        converter().toArgsPayload(in.arguments()), in.updateId(), in.waitForStage(), UpdateHandleImpl.WAIT_BOUND);
    UpdateHandleImpl<R> handle = new UpdateHandleImpl<>(service, service.runKey(outcome.execution()), in.resultType(),
        outcome, converter);
    handle.throwIfRejected();
    return handle;
  }

  @Override
  public void cancel() {
    calls.cancel(new WorkflowClientCallsInterceptor.CancelInput(addressed()));
  }

  @Override
  public void terminate(String reason) {
    calls.terminate(new WorkflowClientCallsInterceptor.TerminateInput(addressed(), reason));
  }

  @Override
  public <R> R getResult(Class<R> resultClass) {
    return getResult(FOREVER, resultClass);
  }

  @Override
  public <R> R getResult(Type resultType) {
    return result(FOREVER, resultType);
  }

  @Override
  public <R> R getResult(Duration timeout, Class<R> resultClass) {
    RequestValidator.duration("timeout", timeout, Instant.now());
    // Longer than a century is forever (and stays within what the waiters count in nanoseconds).
    return result(timeout.compareTo(FOREVER) > 0 ? FOREVER : timeout, resultClass);
  }

  private <R> R result(Duration timeout, Type resultType) {
    return calls.<R>getResult(new WorkflowClientCallsInterceptor.GetResultInput<>(getExecution(), timeout, resultType))
        .result();
  }

  @SuppressWarnings("unchecked")
  private <R> R doResult(WorkflowExecution bound, Duration timeout, Type resultType) {
    RunKey run = service.runKey(bound);
    while (true) {
      Event closing = service.awaitClose(run, timeout);
      Optional<RunKey> retry = service.retriedBy(run, closing, timeout);
      if (retry.isPresent()) {
        run = retry.get(); // as Temporal's client: the result is the last attempt's
        continue;
      }
      WorkflowExecution exec = new WorkflowExecution(run.workflowId(), run.runId());
      String type = service.runRecord(run).workflowType();
      switch (closing) {
        case Event.WorkflowExecutionCompleted c -> {
          return (R) converter().fromPayload(c.result(), resultType);
        }
        case Event.WorkflowExecutionFailed f -> throw new WorkflowFailedException(exec, type,
            WorkflowExecutionStatus.FAILED, FailureConverter.toException(f.failure()));
        case Event.WorkflowExecutionCanceled c -> throw new WorkflowFailedException(exec, type,
            WorkflowExecutionStatus.CANCELED, new CanceledFailure("workflow canceled"));
        case Event.WorkflowExecutionTerminated t -> throw new WorkflowFailedException(exec, type,
            WorkflowExecutionStatus.TERMINATED, new TerminatedFailure(t.reason()));
        // As Temporal reports a workflow timeout: a TimeoutFailure of type START_TO_CLOSE.
        case Event.WorkflowExecutionTimedOut t -> throw new WorkflowFailedException(exec, type,
            WorkflowExecutionStatus.TIMED_OUT, new TimeoutFailure(TimeoutType.START_TO_CLOSE, null));
        case Event.WorkflowExecutionContinuedAsNew c -> run = new RunKey(run.namespace(), run.workflowId(), c.newRunId());
        default -> throw new WorkflowException(workflowId, "unexpected closing event " + closing.describe(), null);
      }
    }
  }

  @Override
  public <R> CompletableFuture<R> getResultAsync(Class<R> resultClass) {
    WorkflowExecution bound = getExecution();
    return CompletableFuture.supplyAsync(() -> {
      execution = bound;
      return getResult(resultClass);
    }, Executors.newVirtualThreadPerTaskExecutor());
  }

  @Override
  public WorkflowDescription describe() {
    return service.describe(workflowId);
  }

  @Override
  public List<HistoryEvent> fetchHistory() {
    return service.history(service.runKey(getExecution()));
  }

  @Override
  public WorkflowExecution getExecution() {
    WorkflowExecution e = execution;
    if (e == null) {
      e = WorkflowService.execution(service.currentRun(workflowId).run());
    }
    return e;
  }
}
