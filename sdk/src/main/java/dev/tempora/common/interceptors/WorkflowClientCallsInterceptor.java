package dev.tempora.common.interceptors;

import dev.tempora.client.SignalOptions;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowUpdateHandle;
import dev.tempora.client.WorkflowUpdateStage;
import java.lang.reflect.Type;
import java.time.Duration;

/**
 * What a workflow stub (typed or untyped) asks of the engine, as Temporal's interface: start,
 * signal, signal-with-start, query, update, wait for the result, cancel, terminate. An execution's run id is null
 * when the stub addresses the workflow id's current run.
 */
public interface WorkflowClientCallsInterceptor {
  record WorkflowStartInput(String workflowId, String workflowType, Object[] arguments, WorkflowOptions options) {}

  record WorkflowStartOutput(WorkflowExecution workflowExecution) {}

  /** {@code signalOptions}: the caller's request id, if any (the same id is recorded once). */
  record WorkflowSignalInput(WorkflowExecution workflowExecution, String signalName, Object[] arguments,
      SignalOptions signalOptions) {}

  record WorkflowSignalOutput() {}

  record WorkflowSignalWithStartInput(WorkflowStartInput workflowStartInput, String signalName,
      Object[] signalArguments, SignalOptions signalOptions) {}

  record WorkflowSignalWithStartOutput(WorkflowStartOutput workflowStartOutput) {}

  record QueryInput<R>(WorkflowExecution workflowExecution, String queryType, Object[] arguments, Type resultType) {}

  record QueryOutput<R>(R result) {}

  record StartUpdateInput<R>(WorkflowExecution workflowExecution, String updateName, String updateId,
      Object[] arguments, WorkflowUpdateStage waitForStage, Type resultType) {}

  record GetResultInput<R>(WorkflowExecution workflowExecution, Duration timeout, Type resultType) {}

  record GetResultOutput<R>(R result) {}

  record CancelInput(WorkflowExecution workflowExecution) {}

  record TerminateInput(WorkflowExecution workflowExecution, String reason) {}

  WorkflowStartOutput start(WorkflowStartInput input);

  WorkflowSignalOutput signal(WorkflowSignalInput input);

  WorkflowSignalWithStartOutput signalWithStart(WorkflowSignalWithStartInput input);

  <R> QueryOutput<R> query(QueryInput<R> input);

  <R> WorkflowUpdateHandle<R> startUpdate(StartUpdateInput<R> input);

  <R> GetResultOutput<R> getResult(GetResultInput<R> input);

  void cancel(CancelInput input);

  void terminate(TerminateInput input);
}
