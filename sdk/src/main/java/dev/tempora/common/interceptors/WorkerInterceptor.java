package dev.tempora.common.interceptors;

/**
 * Wraps a worker's calls into workflow and activity code, as Temporal's {@code
 * WorkerInterceptor}: for tracing, metrics, auth context or logging MDC without touching the
 * engine. Registered with {@code Worker.registerWorkerInterceptors} (a {@code WorkerSetup} does it
 * for the coordinator and activity Lambdas alike). With several, the last registered is the
 * outermost: its inbound interceptor sees each call first (and, since each init wraps the outbound
 * calls it is given, its outbound wrapper sees workflow code's calls last, as in Temporal).
 */
public interface WorkerInterceptor {
  /** Called once per workflow run (and again for each replay of it in a new runner). */
  default WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return next;
  }

  /** Called once per activity attempt. */
  default ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return next;
  }
}
