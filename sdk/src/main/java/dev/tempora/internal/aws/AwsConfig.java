package dev.tempora.internal.aws;

import dev.tempora.internal.client.RequestValidator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Names and settings of a deployment, from environment variables (all optional but the worker
 * setup): TEMPORA_NAMESPACE, TEMPORA_TABLE, TEMPORA_QUEUE_PREFIX (queues are
 * {prefix}workflow-tasks.fifo, {prefix}timers, {prefix}activities-{taskQueue}),
 * TEMPORA_SCHEDULE_GROUP, TEMPORA_SCHEDULER_ROLE_ARN, TEMPORA_COORDINATOR_FUNCTION,
 * TEMPORA_RUNNER_CACHE_SIZE, TEMPORA_WORKER_SETUP, TEMPORA_TASK_QUEUES, TEMPORA_RETENTION_DAYS.
 *
 * <p>{@code servedTaskQueues} (TEMPORA_TASK_QUEUES, comma-separated) are the activity task queues
 * the deployment has queues and workers for; a start on any other is refused before anything is
 * written. Empty means not configured: any well-formed name is accepted. {@code retention}
 * (TEMPORA_RETENTION_DAYS, default 30) is how long a closed run and all its items are kept.
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
    Set<String> servedTaskQueues,
    Duration retention) {

  public AwsConfig {
    servedTaskQueues = servedTaskQueues == null ? Set.of() : Set.copyOf(servedTaskQueues);
    servedTaskQueues.forEach(RequestValidator::taskQueueName);
    retention = retention == null ? DynamoDbHistoryStore.DEFAULT_RETENTION : retention;
  }

  /** Without a retention setting: closed runs are kept 30 days. */
  public AwsConfig(String namespace, String tableName, String queuePrefix, String scheduleGroup,
      String schedulerRoleArn, String coordinatorFunctionName, int runnerCacheSize, long deadlockMillis,
      String workerSetupClass, Set<String> servedTaskQueues) {
    this(namespace, tableName, queuePrefix, scheduleGroup, schedulerRoleArn, coordinatorFunctionName, runnerCacheSize,
        deadlockMillis, workerSetupClass, servedTaskQueues, null);
  }

  public AwsConfig withRunnerCacheSize(int size) {
    return new AwsConfig(namespace, tableName, queuePrefix, scheduleGroup, schedulerRoleArn, coordinatorFunctionName,
        size, deadlockMillis, workerSetupClass, servedTaskQueues, retention);
  }

  public AwsConfig withServedTaskQueues(Collection<String> taskQueues) {
    return new AwsConfig(namespace, tableName, queuePrefix, scheduleGroup, schedulerRoleArn, coordinatorFunctionName,
        runnerCacheSize, deadlockMillis, workerSetupClass, Set.copyOf(taskQueues), retention);
  }

  /** How long a closed run and all its items are kept before DynamoDB's TTL and the stream relay delete them. */
  public AwsConfig withRetention(Duration r) {
    return new AwsConfig(namespace, tableName, queuePrefix, scheduleGroup, schedulerRoleArn, coordinatorFunctionName,
        runnerCacheSize, deadlockMillis, workerSetupClass, servedTaskQueues, r);
  }

  public static AwsConfig defaults() {
    return new AwsConfig("default", "tempora", "tempora-", "tempora", "arn:aws:iam::000000000000:role/tempora-scheduler",
        "tempora-coordinator", 1000, 5_000, null, Set.of(), DynamoDbHistoryStore.DEFAULT_RETENTION);
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
        taskQueues(env.getOrDefault("TEMPORA_TASK_QUEUES", "")),
        Duration.ofDays(Long.parseLong(env.getOrDefault("TEMPORA_RETENTION_DAYS",
            Long.toString(d.retention().toDays())))));
  }

  private static Set<String> taskQueues(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(q -> !q.isEmpty())
        .collect(Collectors.toSet());
  }

  public String workflowTaskQueueName() {
    return queuePrefix + "workflow-tasks.fifo";
  }

  public String timersQueueName() {
    return queuePrefix + "timers";
  }

  /** Schedule ticks (from Scheduler) and firings (with SQS delays) (ADR 14). */
  public String schedulesQueueName() {
    return queuePrefix + "schedules";
  }

  public String activityQueueName(String taskQueue) {
    return queuePrefix + "activities-" + taskQueue;
  }
}
