package dev.tempora.internal.replay;

import dev.tempora.internal.converter.DataConverter;
import java.time.Instant;

/**
 * What one run may hold and one workflow task may produce: Temporal's defaults (its dynamic
 * config keys are named on each field), plus three guards of our own that keep a runaway loop in
 * workflow code from exhausting memory before any other limit is reached. Exceeding a pending-
 * operation or per-task limit fails the workflow task ({@link WorkflowTaskFailedException}, its
 * message starting with the limit's name, e.g. {@code PendingActivitiesLimitExceeded: ...});
 * exceeding the history limits terminates the run ({@code HistoryLimitExceeded: ...}).
 *
 * <p>Single payloads (2 MB, Temporal's {@code limit.blobSize.error}) are limited where they are
 * encoded: {@link DataConverter#MAX_PAYLOAD_BYTES}.
 *
 * @param pendingActivities activities scheduled and not yet resolved ({@code limit.numPendingActivities.error})
 * @param pendingChildWorkflows child workflows started and not yet closed ({@code limit.numPendingChildExecutions.error});
 *     defined for issue 11, not enforced yet
 * @param pendingSignalsToSend signals to other workflows not yet delivered ({@code limit.numPendingSignals.error});
 *     defined for issue 11, not enforced yet
 * @param pendingCancelRequests cancel requests to other workflows not yet delivered ({@code
 *     limit.numPendingCancelRequests.error}); defined for issue 11, not enforced yet
 * @param signalsReceived signals a run records in its life ({@code history.maximumSignalsPerExecution}); more
 *     are refused
 * @param historyEvents events in a run's history ({@code limit.historyCount.error}); a task that would pass it
 *     terminates the run instead
 * @param historyBytes payload bytes in a run's history ({@code limit.historySize.error}), as {@link HistorySize}
 *     counts them
 * @param historyEventsWarn events at which a warning is logged ({@code limit.historyCount.warn})
 * @param historyBytesWarn payload bytes at which a warning is logged ({@code limit.historySize.warn})
 * @param commandsPerTask commands one workflow task may produce (ours; see {@link #DEFAULTS})
 * @param payloadBytesPerTask payload bytes of the commands of one workflow task (ours; see {@link #DEFAULTS})
 * @param workflowThreads threads of a run's {@code Async} calls alive at once (ours; see {@link #DEFAULTS})
 */
public record WorkflowLimits(
    int pendingActivities,
    int pendingChildWorkflows,
    int pendingSignalsToSend,
    int pendingCancelRequests,
    int signalsReceived,
    int historyEvents,
    long historyBytes,
    int historyEventsWarn,
    long historyBytesWarn,
    int commandsPerTask,
    long payloadBytesPerTask,
    int workflowThreads) {

  private static final long MB = 1024 * 1024;

  /**
   * Temporal's defaults, and ours:
   * <ul>
   *   <li>10,000 commands per task. Temporal bounds a task's commands by its 4 MB gRPC message, about
   *       10,000 of the smallest commands; a task is one history batch, so 10,000 also keeps one task
   *       to a fifth of the 51,200-event history, and what a loop of {@code Workflow.sideEffect} or
   *       timers can allocate in one task to a few MB.
   *   <li>4 MB of command payloads per task: Temporal's gRPC message limit for a task's completion
   *       (and its 4 MB {@code DefaultTransactionSizeLimit} per history write). Two maximal payloads
   *       fit; it bounds what 2,000 activities' inputs can hold in memory at once.
   *   <li>10,000 {@code Async} threads alive per run: each {@code Async} call is a thread that may
   *       exist long before it produces a command (a fan-out loop creates all of them before the
   *       first one schedules its activity), so neither the pending-activity limit nor the command
   *       limit would stop a loop of two billion {@code Async} calls. 10,000 leaves room for 2,000
   *       pending activities, 2,000 children and as many timers, each awaited in its own thread.
   * </ul>
   */
  public static final WorkflowLimits DEFAULTS = new WorkflowLimits(2_000, 2_000, 2_000, 2_000, 10_000,
      51_200, 50 * MB, 10_240, 10 * MB, 10_000, 4 * MB, 10_000);

  /**
   * When {@code WorkflowInfo.isContinueAsNewSuggested()} turns true: 4,000 events or 4 MB of payloads
   * ({@code limit.historyCount.suggestContinueAsNew}, {@code limit.historySize.suggestContinueAsNew}).
   */
  public static final int SUGGEST_CONTINUE_AS_NEW_EVENTS = 4_000;
  public static final long SUGGEST_CONTINUE_AS_NEW_BYTES = 4 * MB;

  /**
   * The latest time a timer or an activity timeout may fire: EventBridge Scheduler's {@code at()}
   * and the ISO-8601 timestamps in the table hold four-digit years. A duration reaching past it
   * (or past {@link Instant#MAX}) fails the workflow task with {@code InvalidDuration}.
   */
  public static final Instant LATEST_FIRE_TIME = Instant.parse("9999-12-31T23:59:59Z");

  private static volatile WorkflowLimits current = DEFAULTS;

  public WorkflowLimits {
    if (pendingActivities < 1 || pendingChildWorkflows < 1 || pendingSignalsToSend < 1 || pendingCancelRequests < 1
        || signalsReceived < 1 || historyEvents < 1 || historyBytes < 1 || historyEventsWarn < 1
        || historyBytesWarn < 1 || commandsPerTask < 1 || payloadBytesPerTask < 1 || workflowThreads < 1) {
      throw new IllegalArgumentException("every workflow limit must be positive: " + this);
    }
  }

  /** The limits runners made without explicit limits use: {@link #DEFAULTS} unless a test {@link #override overrode} them. */
  public static WorkflowLimits current() {
    return current;
  }

  /**
   * For tests: runners made until the returned scope closes use {@code limits} (the engines make
   * their runners without explicit limits). Not for concurrent tests with different limits.
   */
  public static Scope override(WorkflowLimits limits) {
    WorkflowLimits previous = current;
    current = limits;
    return () -> current = previous;
  }

  /** Restores the limits an {@link #override} replaced. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  public WorkflowLimits withPendingActivities(int n) {
    return new WorkflowLimits(n, pendingChildWorkflows, pendingSignalsToSend, pendingCancelRequests, signalsReceived,
        historyEvents, historyBytes, historyEventsWarn, historyBytesWarn, commandsPerTask, payloadBytesPerTask,
        workflowThreads);
  }

  public WorkflowLimits withSignalsReceived(int n) {
    return new WorkflowLimits(pendingActivities, pendingChildWorkflows, pendingSignalsToSend, pendingCancelRequests, n,
        historyEvents, historyBytes, historyEventsWarn, historyBytesWarn, commandsPerTask, payloadBytesPerTask,
        workflowThreads);
  }

  /** History limits; the warn levels are set to a fifth of them, as Temporal's are. */
  public WorkflowLimits withHistory(int events, long bytes) {
    return new WorkflowLimits(pendingActivities, pendingChildWorkflows, pendingSignalsToSend, pendingCancelRequests,
        signalsReceived, events, bytes, Math.max(1, events / 5), Math.max(1, bytes / 5), commandsPerTask,
        payloadBytesPerTask, workflowThreads);
  }

  public WorkflowLimits withCommandsPerTask(int n) {
    return new WorkflowLimits(pendingActivities, pendingChildWorkflows, pendingSignalsToSend, pendingCancelRequests,
        signalsReceived, historyEvents, historyBytes, historyEventsWarn, historyBytesWarn, n, payloadBytesPerTask,
        workflowThreads);
  }

  public WorkflowLimits withPayloadBytesPerTask(long n) {
    return new WorkflowLimits(pendingActivities, pendingChildWorkflows, pendingSignalsToSend, pendingCancelRequests,
        signalsReceived, historyEvents, historyBytes, historyEventsWarn, historyBytesWarn, commandsPerTask, n,
        workflowThreads);
  }

  public WorkflowLimits withWorkflowThreads(int n) {
    return new WorkflowLimits(pendingActivities, pendingChildWorkflows, pendingSignalsToSend, pendingCancelRequests,
        signalsReceived, historyEvents, historyBytes, historyEventsWarn, historyBytesWarn, commandsPerTask,
        payloadBytesPerTask, n);
  }
}
