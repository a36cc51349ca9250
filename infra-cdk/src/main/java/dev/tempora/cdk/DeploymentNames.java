package dev.tempora.cdk;

import java.util.regex.Pattern;

/**
 * The physical names the runtime derives from its environment, computed here the same way so that
 * what is deployed is what the functions look for. The runtime ({@code AwsConfig} in the sdk)
 * resolves queues by name from {@code TEMPORA_QUEUE_PREFIX}: {@code {prefix}workflow-tasks.fifo},
 * {@code {prefix}timers} and {@code {prefix}activities-{taskQueue}}; the dead-letter queues follow
 * the devserver's convention ({@code <base>-dlq}, {@code <base>-dlq.fifo}) so that the same tools
 * find them on both stacks.
 */
public record DeploymentNames(String queuePrefix) {
  /** SQS queue names: letters, digits, hyphens and underscores, at most 80 characters (".fifo" included). */
  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final int MAX_QUEUE_NAME = 80;
  /** Longest fixed part a name adds to the prefix: "workflow-tasks-dlq.fifo". */
  static final int LONGEST_FIXED_SUFFIX = "workflow-tasks-dlq.fifo".length();

  public DeploymentNames {
    if (queuePrefix == null || queuePrefix.isEmpty() || !QUEUE_NAME.matcher(queuePrefix).matches()) {
      throw new IllegalArgumentException("queue prefix must be non-empty letters, digits, '-' or '_' (SQS queue names), got '"
          + queuePrefix + "'");
    }
    if (queuePrefix.length() + LONGEST_FIXED_SUFFIX > MAX_QUEUE_NAME) {
      throw new IllegalArgumentException("queue prefix '" + queuePrefix + "' is too long: queue names such as '"
          + queuePrefix + "workflow-tasks-dlq.fifo' must fit SQS's " + MAX_QUEUE_NAME + " characters");
    }
  }

  public String workflowTaskQueue() {
    return queuePrefix + "workflow-tasks.fifo";
  }

  public String workflowTaskDeadLetterQueue() {
    return queuePrefix + "workflow-tasks-dlq.fifo";
  }

  public String timersQueue() {
    return queuePrefix + "timers";
  }

  public String timersDeadLetterQueue() {
    return queuePrefix + "timers-dlq";
  }

  /** Schedule ticks from Scheduler and the firings they put back with SQS delays (ADR 14). */
  public String schedulesQueue() {
    return queuePrefix + "schedules";
  }

  public String schedulesDeadLetterQueue() {
    return queuePrefix + "schedules-dlq";
  }

  public String activityQueue(String taskQueue) {
    checkTaskQueue(taskQueue);
    return queuePrefix + "activities-" + taskQueue;
  }

  public String activityDeadLetterQueue(String taskQueue) {
    return activityQueue(taskQueue) + "-dlq";
  }

  /** Dead letters of the EventBridge start rules (events that could not be delivered or started nothing). */
  public String eventStartDeadLetterQueue() {
    return queuePrefix + "event-starts-dlq";
  }

  /** Dead letters of the table stream relay (descriptions of stream batches it failed on). */
  public String tableStreamDeadLetterQueue() {
    return queuePrefix + "table-stream-dlq";
  }

  /** The Scheduler group long timers are created in (names: letters, digits, '-', '_', '.'; at most 64). */
  public String scheduleGroup() {
    String name = queuePrefix + "timers";
    return name.length() <= 64 ? name : name.substring(0, 64);
  }

  /** Throws, saying which limit it breaks, unless the task queue's queue names are valid SQS names. */
  public void checkTaskQueue(String taskQueue) {
    if (taskQueue == null || taskQueue.isEmpty() || !QUEUE_NAME.matcher(taskQueue).matches()) {
      throw new IllegalArgumentException("activity task queue name must be non-empty letters, digits, '-' or '_' "
          + "(it becomes part of an SQS queue name), got '" + taskQueue + "'");
    }
    String longest = queuePrefix + "activities-" + taskQueue + "-dlq";
    if (longest.length() > MAX_QUEUE_NAME) {
      throw new IllegalArgumentException("activity task queue '" + taskQueue + "' makes the queue name '" + longest
          + "' longer than SQS's " + MAX_QUEUE_NAME + " characters; use a shorter task queue name or queue prefix");
    }
  }
}
