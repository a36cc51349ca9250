package dev.tempora.client.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Where a deployed engine is and how to reach it: its names (table, queue prefix, the coordinator
 * function that answers queries, Scheduler group and role, namespace, served task queues), the AWS
 * region and credentials (default: the SDK's default chains) and optional endpoint overrides (a
 * local stack, a VPC endpoint). Made explicitly ({@link #newBuilder()}), from the environment
 * variables the engine's Lambdas get from the CDK construct ({@link #fromEnvironment()}), or from a
 * CloudFormation stack's outputs ({@link #fromStack(String)}, {@link #fromOutputsFile(Path, String)},
 * {@link #fromStackOutputs(Map)}).
 */
public final class AwsServiceStubsOptions {
  /** Environment variables of the engine's functions (TemporaEngine in infra-cdk sets them). */
  public static final String ENV_NAMESPACE = "TEMPORA_NAMESPACE";
  public static final String ENV_TABLE = "TEMPORA_TABLE";
  public static final String ENV_QUEUE_PREFIX = "TEMPORA_QUEUE_PREFIX";
  public static final String ENV_SCHEDULE_GROUP = "TEMPORA_SCHEDULE_GROUP";
  public static final String ENV_SCHEDULER_ROLE_ARN = "TEMPORA_SCHEDULER_ROLE_ARN";
  public static final String ENV_COORDINATOR_FUNCTION = "TEMPORA_COORDINATOR_FUNCTION";
  public static final String ENV_TASK_QUEUES = "TEMPORA_TASK_QUEUES";
  public static final String ENV_TASK_TOKEN_KEY = "TEMPORA_TASK_TOKEN_KEY";
  public static final String ENV_WORKER_SETUP = "TEMPORA_WORKER_SETUP";

  /**
   * Stack output keys read by {@link #fromStackOutputs(Map)}. {@code TableName}, {@code
   * QueryFunction} and {@code WorkflowTaskQueue} (its URL gives the queue prefix and the region)
   * are required; the others are optional: {@code Namespace}, {@code QueuePrefix}, {@code
   * ScheduleGroup}, {@code SchedulerRoleArn} (needed to create schedules), {@code TaskQueues}
   * (comma-separated), {@code ApiUrl} (the HTTP API), {@code Region}.
   */
  public static final Set<String> OUTPUT_KEYS = Set.of("TableName", "QueryFunction", "WorkflowTaskQueue", "Namespace",
      "QueuePrefix", "ScheduleGroup", "SchedulerRoleArn", "TaskQueues", "ApiUrl", "Region");

  /** The AWS services a client talks to, for {@link Builder#setEndpointOverride}. */
  public enum Service { DYNAMODB, SQS, LAMBDA, SCHEDULER }

  private final String namespace;
  private final String tableName;
  private final String queuePrefix;
  private final String coordinatorFunction;
  private final String scheduleGroup;
  private final String schedulerRoleArn;
  private final Set<String> taskQueues;
  private final String taskTokenKey;
  private final URI apiUrl;
  private final String workerSetup;
  private final String region;
  private final AwsCredentialsProvider credentialsProvider;
  private final Map<Service, URI> endpointOverrides;

  private AwsServiceStubsOptions(Builder b) {
    if (b.tableName == null || b.tableName.isBlank()) {
      throw new IllegalArgumentException("MissingSetting: the engine's table name is not set (TEMPORA_TABLE, stack output TableName)");
    }
    if (b.queuePrefix == null) {
      throw new IllegalArgumentException("MissingSetting: the engine's queue prefix is not set (TEMPORA_QUEUE_PREFIX, "
          + "stack output WorkflowTaskQueue or QueuePrefix)");
    }
    if (b.coordinatorFunction == null || b.coordinatorFunction.isBlank()) {
      throw new IllegalArgumentException("MissingSetting: the coordinator function that answers queries is not set "
          + "(TEMPORA_COORDINATOR_FUNCTION, stack output QueryFunction)");
    }
    namespace = b.namespace;
    tableName = b.tableName;
    queuePrefix = b.queuePrefix;
    coordinatorFunction = b.coordinatorFunction;
    scheduleGroup = b.scheduleGroup != null ? b.scheduleGroup : defaultScheduleGroup(b.queuePrefix);
    schedulerRoleArn = b.schedulerRoleArn;
    taskQueues = Set.copyOf(b.taskQueues);
    taskTokenKey = b.taskTokenKey;
    apiUrl = b.apiUrl;
    workerSetup = b.workerSetup;
    region = b.region;
    credentialsProvider = b.credentialsProvider;
    endpointOverrides = Map.copyOf(b.endpointOverrides);
  }

  /** The construct's naming: the timers' Scheduler group is the queue prefix and {@code timers} (at most 64 characters). */
  private static String defaultScheduleGroup(String queuePrefix) {
    String name = queuePrefix + "timers";
    return name.length() <= 64 ? name : name.substring(0, 64);
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder().setNamespace(namespace).setTableName(tableName).setQueuePrefix(queuePrefix)
        .setCoordinatorFunction(coordinatorFunction).setScheduleGroup(scheduleGroup).setSchedulerRoleArn(schedulerRoleArn)
        .setTaskQueues(taskQueues).setTaskTokenKey(taskTokenKey).setApiUrl(apiUrl).setWorkerSetup(workerSetup).setRegion(region)
        .setCredentialsProvider(credentialsProvider);
    endpointOverrides.forEach(b::setEndpointOverride);
    return b;
  }

  /** From this process's environment variables (inside a Lambda of the engine, or a shell that exports them). */
  public static AwsServiceStubsOptions fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** From environment variables: the {@code ENV_*} names; the region comes from the SDK's chain (AWS_REGION). */
  public static AwsServiceStubsOptions fromEnvironment(Map<String, String> env) {
    return newBuilder()
        .setNamespace(env.getOrDefault(ENV_NAMESPACE, "default"))
        .setTableName(env.get(ENV_TABLE))
        .setQueuePrefix(env.get(ENV_QUEUE_PREFIX))
        .setCoordinatorFunction(env.get(ENV_COORDINATOR_FUNCTION))
        .setScheduleGroup(env.get(ENV_SCHEDULE_GROUP))
        .setSchedulerRoleArn(env.get(ENV_SCHEDULER_ROLE_ARN))
        .setTaskQueues(list(env.getOrDefault(ENV_TASK_QUEUES, "")))
        .setTaskTokenKey(env.get(ENV_TASK_TOKEN_KEY))
        .setWorkerSetup(env.get(ENV_WORKER_SETUP))
        .build();
  }

  /** From a stack's outputs, by key ({@link #OUTPUT_KEYS}). */
  public static AwsServiceStubsOptions fromStackOutputs(Map<String, String> outputs) {
    Builder b = newBuilder();
    String queueUrl = outputs.get("WorkflowTaskQueue");
    if (queueUrl != null) {
      // https://sqs.eu-west-1.amazonaws.com/123456789012/{prefix}workflow-tasks.fifo
      String name = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
      if (!name.endsWith("workflow-tasks.fifo")) {
        throw new IllegalArgumentException("InvalidStackOutputs: WorkflowTaskQueue is not a workflow-tasks queue URL: " + queueUrl);
      }
      b.setQueuePrefix(name.substring(0, name.length() - "workflow-tasks.fifo".length()));
      String host = URI.create(queueUrl).getHost();
      if (host != null && host.startsWith("sqs.") && host.endsWith(".amazonaws.com")) {
        b.setRegion(host.substring(4, host.length() - ".amazonaws.com".length()));
      }
    }
    if (outputs.containsKey("QueuePrefix")) b.setQueuePrefix(outputs.get("QueuePrefix"));
    if (outputs.containsKey("Region")) b.setRegion(outputs.get("Region"));
    if (outputs.containsKey("ApiUrl")) b.setApiUrl(URI.create(outputs.get("ApiUrl")));
    return b.setNamespace(outputs.getOrDefault("Namespace", "default"))
        .setTableName(outputs.get("TableName"))
        .setCoordinatorFunction(outputs.get("QueryFunction"))
        .setScheduleGroup(outputs.get("ScheduleGroup"))
        .setSchedulerRoleArn(outputs.get("SchedulerRoleArn"))
        .setTaskQueues(list(outputs.getOrDefault("TaskQueues", "")))
        .build();
  }

  /**
   * From the JSON file {@code cdk deploy --outputs-file F} writes ({@code {"StackName": {"Key":
   * "value", ...}}}); {@code stackName} may be null when the file holds one stack.
   */
  public static AwsServiceStubsOptions fromOutputsFile(Path file, String stackName) {
    try {
      return fromStackOutputs(StackOutputs.fromOutputsFile(file, stackName));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the outputs file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * From a deployed stack's outputs, read with CloudFormation's DescribeStacks, with the default
   * credentials chain and region.
   */
  public static AwsServiceStubsOptions fromStack(String stackName) {
    return fromStack(stackName, null, null);
  }

  /** As {@link #fromStack(String)}, with this region and credentials (null: the defaults). */
  public static AwsServiceStubsOptions fromStack(String stackName, String region,
      AwsCredentialsProvider credentialsProvider) {
    StackOutputs.Described d = StackOutputs.describe(stackName, region, credentialsProvider);
    Map<String, String> outputs = new LinkedHashMap<>(d.outputs());
    outputs.putIfAbsent("Region", d.region());
    return fromStackOutputs(outputs).toBuilder().setCredentialsProvider(credentialsProvider).build();
  }

  private static Set<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  public String getNamespace() {
    return namespace;
  }

  public String getTableName() {
    return tableName;
  }

  public String getQueuePrefix() {
    return queuePrefix;
  }

  public String getCoordinatorFunction() {
    return coordinatorFunction;
  }

  public String getScheduleGroup() {
    return scheduleGroup;
  }

  /** Null when not known: creating or updating schedules then fails with a message saying so. */
  public String getSchedulerRoleArn() {
    return schedulerRoleArn;
  }

  /** The activity task queues the engine serves; empty: not known (any well-formed name is accepted). */
  public Set<String> getTaskQueues() {
    return taskQueues;
  }

  /** The task-token key (base64) when the deployment sets one; null: the key kept in the table. */
  public String getTaskTokenKey() {
    return taskTokenKey;
  }

  /** The engine's HTTP API (stack output ApiUrl), or null. */
  public URI getApiUrl() {
    return apiUrl;
  }

  /** The engine's {@code WorkerSetup} class name, or null. */
  public String getWorkerSetup() {
    return workerSetup;
  }

  /** Null: the SDK's default region chain (AWS_REGION, the profile's region, ...). */
  public String getRegion() {
    return region;
  }

  /** Null: the SDK's default credentials chain. */
  public AwsCredentialsProvider getCredentialsProvider() {
    return credentialsProvider;
  }

  public Map<Service, URI> getEndpointOverrides() {
    return endpointOverrides;
  }

  @Override
  public String toString() {
    return "AwsServiceStubsOptions[namespace=" + namespace + ", table=" + tableName + ", queuePrefix=" + queuePrefix
        + ", coordinatorFunction=" + coordinatorFunction + ", region=" + region + ", endpoints=" + endpointOverrides + "]";
  }

  public static final class Builder {
    private String namespace = "default";
    private String tableName;
    private String queuePrefix;
    private String coordinatorFunction;
    private String scheduleGroup;
    private String schedulerRoleArn;
    private Set<String> taskQueues = Set.of();
    private String taskTokenKey;
    private URI apiUrl;
    private String workerSetup;
    private String region;
    private AwsCredentialsProvider credentialsProvider;
    private final Map<Service, URI> endpointOverrides = new LinkedHashMap<>();

    private Builder() {}

    public Builder setNamespace(String namespace) {
      this.namespace = namespace == null ? "default" : namespace;
      return this;
    }

    public Builder setTableName(String tableName) {
      this.tableName = tableName;
      return this;
    }

    /** Queues are {prefix}workflow-tasks.fifo, {prefix}timers, {prefix}activities-{taskQueue}. */
    public Builder setQueuePrefix(String queuePrefix) {
      this.queuePrefix = queuePrefix;
      return this;
    }

    /** The function (name or ARN) that answers queries: the construct's query alias. */
    public Builder setCoordinatorFunction(String coordinatorFunction) {
      this.coordinatorFunction = coordinatorFunction;
      return this;
    }

    public Builder setScheduleGroup(String scheduleGroup) {
      this.scheduleGroup = scheduleGroup;
      return this;
    }

    public Builder setSchedulerRoleArn(String schedulerRoleArn) {
      this.schedulerRoleArn = schedulerRoleArn;
      return this;
    }

    public Builder setTaskQueues(Set<String> taskQueues) {
      this.taskQueues = taskQueues == null ? Set.of() : taskQueues;
      return this;
    }

    public Builder setTaskTokenKey(String base64Key) {
      this.taskTokenKey = base64Key;
      return this;
    }

    public Builder setApiUrl(URI apiUrl) {
      this.apiUrl = apiUrl;
      return this;
    }

    /**
     * The engine's {@code WorkerSetup} class (on this classpath): the client registers its workflow
     * types and checks starts, signals, queries and updates against them, argument types included,
     * as the engine's HTTP API does. Optional: without it the client checks requests against the
     * workflow catalog the engine's coordinator publishes in its table (types, handler names,
     * argument counts, served task queues), so a producer needs only the workflow interfaces.
     */
    public Builder setWorkerSetup(String workerSetupClassName) {
      this.workerSetup = workerSetupClassName;
      return this;
    }

    public Builder setRegion(String region) {
      this.region = region;
      return this;
    }

    public Builder setCredentialsProvider(AwsCredentialsProvider credentialsProvider) {
      this.credentialsProvider = credentialsProvider;
      return this;
    }

    /** Sends this service's requests to {@code endpoint} (a local stack, a VPC endpoint); null removes it. */
    public Builder setEndpointOverride(Service service, URI endpoint) {
      if (endpoint == null) {
        endpointOverrides.remove(service);
      } else {
        endpointOverrides.put(service, endpoint);
      }
      return this;
    }

    public AwsServiceStubsOptions build() {
      return new AwsServiceStubsOptions(this);
    }
  }
}
