package dev.tempora.common.interceptors;

/**
 * Wraps a client's calls to workflows, as Temporal's {@code WorkflowClientInterceptor} (its
 * calls-interceptor part). Set with {@code WorkflowClientOptions.setInterceptors}; with several,
 * the last is the outermost.
 */
public interface WorkflowClientInterceptor {
  default WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
    return next;
  }
}
