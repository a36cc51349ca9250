package dev.tempora.client;

import dev.tempora.common.interceptors.WorkflowClientInterceptor;
import dev.tempora.converter.DataConverter;
import dev.tempora.converter.DefaultDataConverter;
import java.util.List;

/**
 * Settings of a workflow client, as Temporal's {@code WorkflowClientOptions}: its data converter and
 * its interceptors. The in-memory test environment's workers use its data converter too ({@code
 * TestEnvironmentOptions.setWorkflowClientOptions}); {@link WorkflowClient#newInstance} makes a
 * client with these options over an existing client's engine.
 */
public final class WorkflowClientOptions {
  private final DataConverter dataConverter;
  private final List<WorkflowClientInterceptor> interceptors;

  private WorkflowClientOptions(Builder b) {
    this.dataConverter = b.dataConverter;
    this.interceptors = List.copyOf(b.interceptors);
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

  /** In the order set; the last is the outermost (it sees each call first), as in Temporal. */
  public List<WorkflowClientInterceptor> getInterceptors() {
    return interceptors;
  }

  public static final class Builder {
    private DataConverter dataConverter = DefaultDataConverter.STANDARD_INSTANCE;
    private List<WorkflowClientInterceptor> interceptors = List.of();

    /** How arguments and results become payloads (and which codecs they go through). */
    public Builder setDataConverter(DataConverter converter) {
      this.dataConverter = converter == null ? DefaultDataConverter.STANDARD_INSTANCE : converter;
      return this;
    }

    public Builder setInterceptors(WorkflowClientInterceptor... interceptors) {
      this.interceptors = List.of(interceptors);
      return this;
    }

    public WorkflowClientOptions build() {
      return new WorkflowClientOptions(this);
    }
  }
}
