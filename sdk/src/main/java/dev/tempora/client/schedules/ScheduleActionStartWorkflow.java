package dev.tempora.client.schedules;

import dev.tempora.client.WorkflowOptions;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;

/**
 * A schedule's action: start a workflow of this type on the options' task queue with these
 * arguments. The workflow id of each action is the schedule id, a dash and the scheduled time
 * ({@code nightly-2026-03-29T00:00:00Z}), whatever the options say, so a time is acted on once.
 */
public final class ScheduleActionStartWorkflow {
  private final String workflowType;
  private final WorkflowOptions options;
  private final Payload input;

  private ScheduleActionStartWorkflow(Builder b) {
    workflowType = b.workflowType;
    options = b.options;
    input = b.input;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public String getWorkflowType() { return workflowType; }
  public WorkflowOptions getOptions() { return options; }
  /** The arguments as the data converter encoded them (a JSON array). */
  public Payload getInput() { return input; }

  public static final class Builder {
    private String workflowType;
    private WorkflowOptions options = WorkflowOptions.newBuilder().build();
    private Payload input = new Payload("[]");

    public Builder setWorkflowType(String v) { workflowType = v; return this; }

    /** The type of a workflow interface. */
    public Builder setWorkflowType(Class<?> workflowInterface) {
      workflowType = WorkflowInterfaceMetadata.ofInterface(workflowInterface).workflowType();
      return this;
    }

    public Builder setOptions(WorkflowOptions v) { options = v; return this; }

    public Builder setArguments(Object... args) {
      input = DataConverter.get().toArgsPayload(args == null ? new Object[0] : args);
      return this;
    }

    /** Arguments already encoded: a JSON array (the HTTP API and CLI pass them so). */
    public Builder setInput(Payload v) { input = v; return this; }

    public ScheduleActionStartWorkflow build() {
      return new ScheduleActionStartWorkflow(this);
    }
  }
}
