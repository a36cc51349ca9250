package dev.tempora.client;

import dev.tempora.common.interceptors.WorkflowClientInterceptor;
import java.util.List;

/** Settings of a {@link WorkflowClient} made by {@link WorkflowClient#newInstance}: its interceptors. */
public final class WorkflowClientOptions {
  private final List<WorkflowClientInterceptor> interceptors;

  private WorkflowClientOptions(Builder b) {
    this.interceptors = List.copyOf(b.interceptors);
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static WorkflowClientOptions getDefaultInstance() {
    return newBuilder().build();
  }

  /** In the order set; the last is the outermost (it sees each call first), as in Temporal. */
  public List<WorkflowClientInterceptor> getInterceptors() {
    return interceptors;
  }

  public static final class Builder {
    private List<WorkflowClientInterceptor> interceptors = List.of();

    public Builder setInterceptors(WorkflowClientInterceptor... interceptors) {
      this.interceptors = List.of(interceptors);
      return this;
    }

    public WorkflowClientOptions build() {
      return new WorkflowClientOptions(this);
    }
  }
}
