package dev.tempora.cdk;

/**
 * The Lambda handler classes the engine deploys, by name (Lambda resolves them in the user's jar at
 * run time, so this module does not depend on the handler modules).
 */
public final class Handlers {
  /** Consumes the FIFO workflow-task queue: one workflow task per workflow in a batch. */
  public static final String WORKFLOW_TASKS = "dev.tempora.lambda.coordinator.WorkflowTaskHandler";
  /** Consumes the schedules queue: ticks of each schedule's Scheduler schedule, and the firings that start its actions. */
  public static final String SCHEDULES = "dev.tempora.lambda.coordinator.ScheduleQueueHandler";
  /** Consumes the timers queue and forwards due timers into their workflow's FIFO group. */
  public static final String TIMERS = "dev.tempora.lambda.coordinator.TimerQueueHandler";
  /** Answers synchronous query and describe invocations (the function TEMPORA_COORDINATOR_FUNCTION names). */
  public static final String QUERIES = "dev.tempora.lambda.coordinator.QueryInvocationHandler";
  /** API Gateway HTTP API (payload format 2.0): start, signal, query, describe, result, cancel, terminate, list. */
  public static final String HTTP_API = "dev.tempora.lambda.coordinator.HttpApiHandler";
  /** EventBridge rule target: starts one workflow per matching event, with an id derived from the event id. */
  public static final String EVENT_START = "dev.tempora.lambda.coordinator.EventBridgeStartHandler";
  /**
   * Consumes the table's stream: re-sends start messages a failed send lost, repairs run records
   * after a close, and deletes closed runs' items when their retention ends.
   */
  public static final String STREAM_RELAY = "dev.tempora.lambda.coordinator.TableStreamHandler::handleRequest";
  /** Consumes one activity task queue. */
  public static final String ACTIVITIES = "dev.tempora.lambda.activity.ActivityTaskHandler";

  private Handlers() {}
}
