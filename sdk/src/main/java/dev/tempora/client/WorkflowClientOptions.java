package dev.tempora.client;

import dev.tempora.converter.DataConverter;
import dev.tempora.converter.DefaultDataConverter;

/**
 * Settings of a workflow client, as Temporal's {@code WorkflowClientOptions}; the in-memory test
 * environment's workers use its data converter too ({@code
 * TestEnvironmentOptions.setWorkflowClientOptions}).
 */
public final class WorkflowClientOptions {
  private final DataConverter dataConverter;

  private WorkflowClientOptions(Builder b) {
    this.dataConverter = b.dataConverter;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static WorkflowClientOptions getDefaultInstance() {
    return newBuilder().build();
  }

  public DataConverter getDataConverter() {
    return dataConverter;
  }

  public static final class Builder {
    private DataConverter dataConverter = DefaultDataConverter.STANDARD_INSTANCE;

    /** How arguments and results become payloads (and which codecs they go through). */
    public Builder setDataConverter(DataConverter converter) {
      this.dataConverter = converter == null ? DefaultDataConverter.STANDARD_INSTANCE : converter;
      return this;
    }

    public WorkflowClientOptions build() {
      return new WorkflowClientOptions(this);
    }
  }
}
