package dev.tempora.internal.aws;

import java.time.Duration;
import java.util.Map;

/**
 * Names and settings of a deployment, from environment variables (all optional but the worker
 * setup): TEMPORA_NAMESPACE, TEMPORA_TABLE, TEMPORA_QUEUE_PREFIX (queues are
 * {prefix}workflow-tasks.fifo, {prefix}timers, {prefix}activities-{taskQueue}),
 * TEMPORA_SCHEDULE_GROUP, TEMPORA_SCHEDULER_ROLE_ARN, TEMPORA_COORDINATOR_FUNCTION,
 * TEMPORA_RUNNER_CACHE_SIZE, TEMPORA_WORKER_SETUP, TEMPORA_RETENTION_DAYS (how long closed runs are kept).
 */
public record AwsConfig(
    String namespace,
    String tableName,
    String queuePrefix,
    String scheduleGroup,
    String schedulerRoleArn,
    String coordinatorFunctionName,
    int runnerCacheSize,
    long deadlockMillis,
    String workerSetupClass,
    Duration retention) {

  /** The form before retention was configurable: closed runs are kept 30 days. */
  public AwsConfig(String namespace, String tableName, String queuePrefix, String scheduleGroup,
      String schedulerRoleArn, String coordinatorFunctionName, int runnerCacheSize, long deadlockMillis,
      String workerSetupClass) {
    this(namespace, tableName, queuePrefix, scheduleGroup, schedulerRoleArn, coordinatorFunctionName, runnerCacheSize,
        deadlockMillis, workerSetupClass, DynamoDbHistoryStore.DEFAULT_RETENTION);
  }

  public AwsConfig withRunnerCacheSize(int size) {
    return new AwsConfig(namespace, tableName, queuePrefix, scheduleGroup, schedulerRoleArn, coordinatorFunctionName,
        size, deadlockMillis, workerSetupClass, retention);
  }

  /** How long a closed run and all its items are kept before DynamoDB's TTL and the stream relay delete them. */
  public AwsConfig withRetention(Duration r) {
    return new AwsConfig(namespace, tableName, queuePrefix, scheduleGroup, schedulerRoleArn, coordinatorFunctionName,
        runnerCacheSize, deadlockMillis, workerSetupClass, r);
  }

  public static AwsConfig defaults() {
    return new AwsConfig("default", "tempora", "tempora-", "tempora", "arn:aws:iam::000000000000:role/tempora-scheduler",
        "tempora-coordinator", 1000, 5_000, null);
  }

  public static AwsConfig fromEnvironment(Map<String, String> env) {
    AwsConfig d = defaults();
    return new AwsConfig(
        env.getOrDefault("TEMPORA_NAMESPACE", d.namespace()),
        env.getOrDefault("TEMPORA_TABLE", d.tableName()),
        env.getOrDefault("TEMPORA_QUEUE_PREFIX", d.queuePrefix()),
        env.getOrDefault("TEMPORA_SCHEDULE_GROUP", d.scheduleGroup()),
        env.getOrDefault("TEMPORA_SCHEDULER_ROLE_ARN", d.schedulerRoleArn()),
        env.getOrDefault("TEMPORA_COORDINATOR_FUNCTION", d.coordinatorFunctionName()),
        Integer.parseInt(env.getOrDefault("TEMPORA_RUNNER_CACHE_SIZE", Integer.toString(d.runnerCacheSize()))),
        d.deadlockMillis(),
        env.get("TEMPORA_WORKER_SETUP"),
        Duration.ofDays(Long.parseLong(env.getOrDefault("TEMPORA_RETENTION_DAYS",
            Long.toString(d.retention().toDays())))));
  }

  public String workflowTaskQueueName() {
    return queuePrefix + "workflow-tasks.fifo";
  }

  public String timersQueueName() {
    return queuePrefix + "timers";
  }

  public String activityQueueName(String taskQueue) {
    return queuePrefix + "activities-" + taskQueue;
  }
}
