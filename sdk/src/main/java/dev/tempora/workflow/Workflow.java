package dev.tempora.workflow;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.LocalActivityOptions;
import dev.tempora.common.SearchAttributeUpdate;
import dev.tempora.common.SearchAttributes;
import dev.tempora.internal.visibility.SearchAttributeCodec;
import dev.tempora.internal.replay.WorkflowContext;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.internal.replay.ChildWorkflowStubImpl;
import dev.tempora.internal.replay.ExternalWorkflowStubImpl;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.FailureConverter;
import dev.tempora.internal.replay.UntypedActivityStubImpl;
import dev.tempora.internal.replay.WorkflowInternal;
import dev.tempora.internal.replay.WorkflowStubs;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * What workflow code uses instead of threads, clocks, randomness and I/O. Every method here is
 * deterministic: on replay it returns what it returned the first time.
 */
public final class Workflow {
  /** What {@link #getVersion} returns for a run that started before the change (its history has no marker). */
  public static final int DEFAULT_VERSION = WorkflowContext.DEFAULT_VERSION;

  private Workflow() {}

  /** A typed stub whose calls schedule activities; a call blocks until the activity's outcome. */
  public static <T> T newActivityStub(Class<T> activityInterface, ActivityOptions options) {
    return WorkflowInternal.context().newActivityStub(activityInterface, options);
  }

  /** An untyped stub: activities called by type name (a dynamic activity may serve any). */
  public static ActivityStub newUntypedActivityStub(ActivityOptions options) {
    return new UntypedActivityStubImpl(options);
  }

  /**
   * A typed stub whose calls run local activities: inside this workflow task (on AWS, inside the
   * coordinator's invocation), no queue hop; the outcome is recorded as a {@code LocalActivity}
   * marker and replayed from it, never run again on replay. A call blocks until the outcome.
   */
  public static <T> T newLocalActivityStub(Class<T> activityInterface, LocalActivityOptions options) {
    return WorkflowInternal.context().newLocalActivityStub(activityInterface, options);
  }

  /** A durable sleep: a timer in history. Throws {@code CanceledFailure} if the scope is cancelled. */
  public static void sleep(Duration duration) {
    WorkflowInternal.context().outbound().sleep(duration);
  }

  /**
   * A durable timer: a promise that completes when {@code delay} has passed in workflow time. If
   * its cancellation scope is cancelled first, the timer is cancelled (TimerCanceled in history)
   * and the promise fails with {@code CanceledFailure}. A delay of zero or less completes at once.
   */
  public static Promise<Void> newTimer(Duration delay) {
    return WorkflowInternal.context().outbound().newTimer(delay);
  }

  /** Blocks until the condition holds. The condition must read only workflow state. */
  public static void await(Supplier<Boolean> condition) {
    WorkflowInternal.context().outbound().await("Workflow.await", condition);
  }

  /**
   * Blocks until the condition holds or the timeout passes.
   *
   * @return true if the condition held, false on timeout
   */
  public static boolean await(Duration timeout, Supplier<Boolean> condition) {
    return WorkflowInternal.context().outbound().await(timeout, "Workflow.await", condition);
  }

  /** Workflow time: the time of the current workflow task, the same on replay. */
  public static long currentTimeMillis() {
    return WorkflowInternal.context().currentTimeMillis();
  }

  /** A UUID drawn from the workflow's seeded generator. */
  public static UUID randomUUID() {
    return WorkflowInternal.context().randomUUID();
  }

  /** A {@link Random} seeded from history, for deterministic randomness. */
  public static Random newRandom() {
    return WorkflowInternal.context().newRandom();
  }

  /**
   * Runs {@code fn} once and records its result in history; replays return the recorded result
   * without running it again. For small non-deterministic values (an id, a clock reading).
   */
  public static <R> R sideEffect(Class<R> resultClass, Functions.Func<R> fn) {
    return WorkflowInternal.context().sideEffect(resultClass, fn);
  }

  /**
   * Which version of a change this run follows, so workflow code can change while runs are in
   * flight (as Temporal's {@code Workflow.getVersion}): branch on the result, keeping the old
   * branch for as long as runs that started before the change may be open.
   *
   * <pre>{@code
   * int v = Workflow.getVersion("fee", Workflow.DEFAULT_VERSION, 1);
   * if (v == Workflow.DEFAULT_VERSION) { activities.charge(amount); } else { activities.chargeWithFee(amount); }
   * }</pre>
   *
   * The first call for {@code changeId} in a run records a "Version" marker with {@code
   * maxSupported} and returns it; on replay it returns the recorded version, or {@link
   * #DEFAULT_VERSION} (recording nothing) when the run reached this point before the change was
   * deployed. Later calls with the same change id return the same version. A version outside
   * [minSupported, maxSupported] fails the workflow task with {@code UnsupportedVersion}: the run
   * waits (parked, shown by describe) until code that supports its version is deployed. To retire
   * an old branch once no run needs it, raise {@code minSupported}.
   */
  public static int getVersion(String changeId, int minSupported, int maxSupported) {
    return WorkflowInternal.context().getVersion(changeId, minSupported, maxSupported);
  }

  /** A promise the workflow completes itself, for example from a signal handler. */
  public static <V> CompletablePromise<V> newPromise() {
    return WorkflowInternal.newPromise();
  }

  /** A logger that stays quiet while the workflow replays history. */
  public static Logger getLogger(Class<?> type) {
    return WorkflowInternal.replaySafeLogger(type);
  }

  /** True while the current workflow task replays recorded history. */
  public static boolean isReplaying() {
    return WorkflowInternal.context().isReplaying();
  }

  /**
   * Registers a dynamic handler, as Temporal's: a {@link DynamicSignalHandler}, {@link
   * DynamicQueryHandler} or {@link DynamicUpdateHandler} (an object may be several) receives every
   * signal, query or update of a name without a method of its own, its arguments undecoded. A
   * later registration of the same kind replaces the earlier. Signals recorded before a signal
   * handler was registered are delivered to it on registration. Register in the workflow method,
   * before it first blocks, so an update of the run's first task finds its handler.
   */
  public static void registerListener(Object listener) {
    WorkflowInternal.context().registerListener(listener);
  }

  public static WorkflowInfo getInfo() {
    return WorkflowInternal.context().info();
  }

  /**
   * A cron workflow's last completed run's result (kept across failed runs), converted to
   * {@code resultClass}; null in the first run or when no run has completed yet.
   */
  public static <R> R getLastCompletionResult(Class<R> resultClass) {
    Payload last = WorkflowInternal.context().startOptions().lastCompletionResult();
    return last == null ? null : resultClass.cast(WorkflowInternal.context().converter().fromPayload(last, resultClass));
  }

  /** A cron workflow's previous run's failure (failed or timed out), if it did not complete. */
  public static Optional<Exception> getPreviousRunFailure() {
    FailureInfo failure = WorkflowInternal.context().startOptions().previousFailure();
    return failure == null ? Optional.empty() : Optional.of(FailureConverter.toException(failure));
  }

  /** A scope, child of the current one, whose {@link CancellationScope#run()} runs {@code body}. */
  public static CancellationScope newCancellationScope(Runnable body) {
    return WorkflowInternal.context().newCancellationScope(body, false);
  }

  /** A scope not cancelled with its parent: for cleanup that must run after a cancellation. */
  public static CancellationScope newDetachedCancellationScope(Runnable body) {
    return WorkflowInternal.context().newCancellationScope(body, true);
  }

  /**
   * Closes this run with {@code WorkflowExecutionContinuedAsNew} and starts a new run of the same
   * workflow id and type with {@code args} and an empty history, atomically with the close; does
   * not return. Options, timeouts and memo carry over. For workflows that would otherwise grow
   * their history without bound (see {@link WorkflowInfo#isContinueAsNewSuggested()}).
   */
  public static void continueAsNew(Object... args) {
    WorkflowInternal.context().continueAsNew(null, null, args);
  }

  /** As {@link #continueAsNew(Object...)}, changing what {@code options} sets for the next run. */
  public static void continueAsNew(ContinueAsNewOptions options, Object... args) {
    WorkflowInternal.context().continueAsNew(null, options, args);
  }

  /** As {@link #continueAsNew(ContinueAsNewOptions, Object...)}, the next run being of {@code workflowType}. */
  public static void continueAsNew(String workflowType, ContinueAsNewOptions options, Object... args) {
    WorkflowInternal.context().continueAsNew(workflowType, options, args);
  }

  /**
   * A stub whose workflow method continues this run as new (it does not return): the next run is
   * of the interface's workflow type, with {@code options} applied.
   */
  public static <T> T newContinueAsNewStub(Class<T> workflowInterface, ContinueAsNewOptions options) {
    return WorkflowInternal.context().newContinueAsNewStub(workflowInterface, options);
  }

  /** {@link #newContinueAsNewStub(Class, ContinueAsNewOptions)} with nothing changed. */
  public static <T> T newContinueAsNewStub(Class<T> workflowInterface) {
    return newContinueAsNewStub(workflowInterface, null);
  }

  /**
   * A typed stub of a child workflow: calling its workflow method starts the child (recorded in
   * this workflow's history, started once after the task commits) and waits for its result; a
   * failure comes back as {@code ChildWorkflowFailure}. Use {@code Async.function(child::run, ...)}
   * to run children in parallel. One stub starts one child.
   */
  public static <T> T newChildWorkflowStub(Class<T> workflowInterface, ChildWorkflowOptions options) {
    return WorkflowStubs.newChildStub(workflowInterface, options);
  }

  /** A typed child stub with the default options (see {@link ChildWorkflowOptions}). */
  public static <T> T newChildWorkflowStub(Class<T> workflowInterface) {
    return newChildWorkflowStub(workflowInterface, ChildWorkflowOptions.getDefaultInstance());
  }

  /** An untyped child stub for workflow type {@code workflowType}. */
  public static ChildWorkflowStub newUntypedChildWorkflowStub(String workflowType, ChildWorkflowOptions options) {
    return new ChildWorkflowStubImpl(workflowType, options);
  }

  public static ChildWorkflowStub newUntypedChildWorkflowStub(String workflowType) {
    return newUntypedChildWorkflowStub(workflowType, ChildWorkflowOptions.getDefaultInstance());
  }

  /** A typed stub of another workflow (its open run): its signal methods signal it, as recorded commands. */
  public static <T> T newExternalWorkflowStub(Class<T> workflowInterface, String workflowId) {
    return WorkflowStubs.newExternalStub(workflowInterface, new WorkflowExecution(workflowId, null));
  }

  public static <T> T newExternalWorkflowStub(Class<T> workflowInterface, WorkflowExecution execution) {
    return WorkflowStubs.newExternalStub(workflowInterface, execution);
  }

  /** An untyped stub of another workflow (its open run): signal it or ask it to cancel. */
  public static ExternalWorkflowStub newUntypedExternalWorkflowStub(String workflowId) {
    return new ExternalWorkflowStubImpl(new WorkflowExecution(workflowId, null));
  }

  public static ExternalWorkflowStub newUntypedExternalWorkflowStub(WorkflowExecution execution) {
    return new ExternalWorkflowStubImpl(execution);
  }

  /** The execution of a child stub once the child started (fails if it could not start), or of an external stub. */
  public static Promise<WorkflowExecution> getWorkflowExecution(Object childOrExternalStub) {
    return WorkflowStubs.execution(childOrExternalStub);
  }

  /**
   * Sets or removes search attributes of this run (as Temporal's): list queries find the run by
   * them ({@code CustomerId = 'c-7'}) once the workflow task commits; describe shows them. The
   * change is recorded in history (UpsertWorkflowSearchAttributes) and replayed.
   *
   * <pre>{@code
   * Workflow.upsertTypedSearchAttributes(ORDER_STATE.valueSet("shipped"), PRIORITY.valueUnset());
   * }</pre>
   */
  public static void upsertTypedSearchAttributes(SearchAttributeUpdate<?>... updates) {
    WorkflowInternal.context().upsertSearchAttributes(updates);
  }

  /** This run's search attributes: those of its start, with its upserts applied. */
  public static SearchAttributes getTypedSearchAttributes() {
    return SearchAttributeCodec.decode(WorkflowInternal.context().searchAttributes());
  }

  /**
   * Sets memo entries of this run (a null value removes one), recorded in history
   * (WorkflowPropertiesModified) and shown by describe. Memo is not searchable.
   */
  public static void upsertMemo(Map<String, Object> memo) {
    WorkflowInternal.context().upsertMemo(memo);
  }

  /** The memo value under {@code key} (the start's or upserted) as {@code valueClass}; null if absent. */
  public static <T> T getMemo(String key, Class<T> valueClass) {
    Payload p = WorkflowInternal.context().memo().get(key);
    return p == null ? null : valueClass.cast(DataConverter.get().fromPayload(p, valueClass));
  }
}
