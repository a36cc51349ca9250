package dev.tempora.common.interceptors;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.workflow.ChildWorkflowOptions;
import dev.tempora.workflow.Promise;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Calls from workflow code out to the engine, as Temporal's interface (the subset Tempora
 * intercepts: activities, child workflows, timers, sleeps, waits and signals to other workflows). They are
 * workflow code: they run again on replay, and an interceptor must stay deterministic (it may
 * add, drop or reorder nothing that records a command differently on replay).
 */
public interface WorkflowOutboundCallsInterceptor {
  /** An activity call through a stub: its type, result type, arguments and the stub's options. */
  record ActivityInput<R>(String activityName, Class<R> resultClass, Type resultType, Object[] args,
      ActivityOptions options) {}

  /** The scheduled activity's id (its command number) and the promise of its result. */
  record ActivityOutput<R>(String activityId, Promise<R> result) {}

  /** A child workflow's start: {@code workflowId} as the options give it (null: the engine's default). */
  record ChildWorkflowInput<R>(String workflowId, String workflowType, Class<R> resultClass, Type resultType,
      Object[] arguments, ChildWorkflowOptions options) {}

  /** The promise of the child's result, and of its execution once it started. */
  record ChildWorkflowOutput<R>(Promise<R> result, Promise<WorkflowExecution> workflowExecution) {}

  record SignalExternalInput(WorkflowExecution execution, String signalName, Object[] args) {}

  /** Completed once the signal is a command of the running task (the engine sends it after the commit). */
  record SignalExternalOutput(Promise<Void> result) {}

  <R> ActivityOutput<R> executeActivity(ActivityInput<R> input);

  <R> ChildWorkflowOutput<R> executeChildWorkflow(ChildWorkflowInput<R> input);

  Promise<Void> newTimer(Duration duration);

  void sleep(Duration duration);

  void await(String reason, Supplier<Boolean> unblockCondition);

  boolean await(Duration timeout, String reason, Supplier<Boolean> unblockCondition);

  SignalExternalOutput signalExternalWorkflow(SignalExternalInput input);
}
