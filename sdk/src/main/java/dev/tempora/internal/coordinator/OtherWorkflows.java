package dev.tempora.internal.coordinator;

import dev.tempora.client.WorkflowIdReusePolicy;
import dev.tempora.history.Event;
import dev.tempora.history.Payload;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;

/**
 * Port: what a workflow's commands do to other workflows (child starts, signals, cancels, the
 * parent close policy), through the same path as a client's requests (the workflow service).
 * Every operation is idempotent, because an outbox may dispatch a batch again after a crash.
 */
public interface OtherWorkflows {
  /** For runtimes with no children to start: every command on another workflow fails loudly. */
  OtherWorkflows NONE = new OtherWorkflows() {
    public String startChild(RunKey child, Event.WorkflowExecutionStarted start, WorkflowIdReusePolicy policy) {
      throw new UnsupportedOperationException("this runtime starts no child workflows");
    }
    public void send(WorkflowTaskMessage message) {
      throw new UnsupportedOperationException("this runtime sends no messages to other workflows");
    }
    public void signal(String namespace, String workflowId, String runId, String signalName, Payload input,
        String requestId) {
      throw new UnsupportedOperationException("this runtime signals no other workflows");
    }
    public void requestCancel(String namespace, String workflowId, String runId, String requestId) {
      throw new UnsupportedOperationException("this runtime cancels no other workflows");
    }
    public void terminate(RunKey run, String reason) {
      throw new UnsupportedOperationException("this runtime terminates no other workflows");
    }
  };

  /**
   * Starts run {@code child} (its run id is fixed by the parent's command, so a second call finds it
   * started and only re-sends its start message). Returns null when the child runs (now or since
   * an earlier call), or why it cannot start: a name, a colon, what happened
   * ({@code WorkflowExecutionAlreadyStarted: ...}, {@code InvalidRequest: ...}).
   */
  String startChild(RunKey child, Event.WorkflowExecutionStarted start, WorkflowIdReusePolicy policy);

  /** Sends a message to a known run (a child's close to its parent, a parent's cancel to its child). */
  void send(WorkflowTaskMessage message);

  /** Signals the run (or, runId null, the id's open run); the request id makes a re-send one signal. */
  void signal(String namespace, String workflowId, String runId, String signalName, Payload input, String requestId);

  /** Asks the run (or, runId null, the id's open run) to cancel. */
  void requestCancel(String namespace, String workflowId, String runId, String requestId);

  /** Terminates the run if it is open. */
  void terminate(RunKey run, String reason);
}
