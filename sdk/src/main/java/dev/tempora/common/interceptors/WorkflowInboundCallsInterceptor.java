package dev.tempora.common.interceptors;

/**
 * Calls into workflow code: the workflow method, signal, query and update handlers (typed or
 * dynamic), as Temporal's interface. Workflow code replays, so these calls happen again on
 * replay for what history already holds (check {@code Workflow.isReplaying()} to record or emit
 * only once); {@link #handleQuery} runs outside the workflow's threads and must not block.
 * Arguments of a dynamic target are one {@code EncodedValues}.
 */
public interface WorkflowInboundCallsInterceptor {
  record WorkflowInput(Object[] arguments) {}

  record WorkflowOutput(Object result) {}

  record SignalInput(String signalName, Object[] arguments) {}

  record QueryInput(String queryName, Object[] arguments) {}

  record QueryOutput(Object result) {}

  record UpdateInput(String updateName, Object[] arguments) {}

  record UpdateOutput(Object result) {}

  /**
   * Called first, in the run's main workflow thread, with the outbound calls the workflow code's
   * {@code Workflow.*} calls go to: wrap them here (pass your wrapper on to the next interceptor's init).
   */
  void init(WorkflowOutboundCallsInterceptor outboundCalls);

  WorkflowOutput execute(WorkflowInput input);

  void handleSignal(SignalInput input);

  QueryOutput handleQuery(QueryInput input);

  /** Runs the update's validator (new updates only: a replayed update was accepted). Throw to reject. */
  void validateUpdate(UpdateInput input);

  UpdateOutput executeUpdate(UpdateInput input);
}
