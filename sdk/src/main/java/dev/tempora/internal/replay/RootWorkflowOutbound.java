package dev.tempora.internal.replay;

import dev.tempora.common.interceptors.WorkflowOutboundCallsInterceptor;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.PayloadTooLargeException;
import dev.tempora.workflow.Promise;
import java.time.Duration;
import java.util.function.Supplier;

/** The innermost outbound interceptor: turns workflow code's calls into the run's commands. */
final class RootWorkflowOutbound implements WorkflowOutboundCallsInterceptor {
  private final WorkflowContext context;

  RootWorkflowOutbound(WorkflowContext context) {
    this.context = context;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
    DataConverter converter = context.converter();
    Payload args;
    try {
      args = converter.toArgsPayload(input.args());
    } catch (PayloadTooLargeException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PayloadTooLarge");
    }
    ActivityParameters params = WorkflowContext.parameters(input.options());
    String taskQueue = input.options().getTaskQueue() != null ? input.options().getTaskQueue()
        : context.info().taskQueue();
    PromiseImpl<Payload> scheduled = context.scheduleActivity(input.activityName(), taskQueue, args, params,
        input.options().getCancellationType());
    String activityId = Long.toString(context.lastSeq());
    Promise<R> result = scheduled.thenApply(p -> (R) converter.fromPayload(p, input.resultType()));
    return new ActivityOutput<>(activityId, result);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> ChildWorkflowOutput<R> executeChildWorkflow(ChildWorkflowInput<R> input) {
    DataConverter converter = context.converter();
    Payload args;
    try {
      args = converter.toArgsPayload(input.arguments());
    } catch (PayloadTooLargeException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PayloadTooLarge");
    }
    PromiseImpl<WorkflowExecution> started = new PromiseImpl<>();
    PromiseImpl<Payload> result = context.startChild(input.workflowType(), input.options(), args, started);
    return new ChildWorkflowOutput<>(result.thenApply(p -> (R) converter.fromPayload(p, input.resultType())), started);
  }

  @Override
  public Promise<Void> newTimer(Duration duration) {
    return context.timer(duration);
  }

  @Override
  public void sleep(Duration duration) {
    context.sleep(duration);
  }

  @Override
  public void await(String reason, Supplier<Boolean> unblockCondition) {
    context.await(unblockCondition);
  }

  @Override
  public boolean await(Duration timeout, String reason, Supplier<Boolean> unblockCondition) {
    return context.await(timeout, unblockCondition);
  }

  @Override
  public SignalExternalOutput signalExternalWorkflow(SignalExternalInput input) {
    Object[] args = input.args() == null ? new Object[0] : input.args();
    context.signalExternal(input.execution().workflowId(), input.execution().runId(), input.signalName(),
        context.converter().toArgsPayload(args));
    PromiseImpl<Void> sent = new PromiseImpl<>();
    sent.complete(null);
    return new SignalExternalOutput(sent);
  }
}
