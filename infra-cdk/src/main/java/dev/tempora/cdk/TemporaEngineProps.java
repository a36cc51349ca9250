package dev.tempora.cdk;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * What {@link TemporaEngine} deploys: the user's code and registration, the activity task queues,
 * the event bindings, and sizing. Only {@link Builder#code} is required.
 */
public final class TemporaEngineProps {
  private final Code code;
  private final String workerSetupClass;
  private final String namespace;
  private final String queuePrefix;
  private final List<ActivityTaskQueue> activityTaskQueues;
  private final List<EventStart> eventStarts;
  private final int coordinatorMemorySize;
  private final Duration coordinatorTimeout;
  private final Integer coordinatorReservedConcurrency;
  private final int runnerCacheSize;
  private final int maxReceiveCount;
  private final IKey tableEncryptionKey;
  private final RemovalPolicy tableRemovalPolicy;
  private final Architecture architecture;
  private final RetentionDays logRetention;
  private final IAlarmAction alarmAction;

  private TemporaEngineProps(Builder b) {
    this.code = Objects.requireNonNull(b.code, "code (the jar with your workflows, activities and the Tempora handlers)");
    this.workerSetupClass = b.workerSetupClass;
    this.namespace = Objects.requireNonNull(b.namespace, "namespace");
    this.queuePrefix = b.queuePrefix;
    this.activityTaskQueues = b.activityTaskQueues.isEmpty()
        ? List.of(ActivityTaskQueue.of("default")) : List.copyOf(b.activityTaskQueues);
    this.eventStarts = List.copyOf(b.eventStarts);
    this.coordinatorMemorySize = b.coordinatorMemorySize;
    this.coordinatorTimeout = Objects.requireNonNull(b.coordinatorTimeout, "coordinatorTimeout");
    this.coordinatorReservedConcurrency = b.coordinatorReservedConcurrency;
    this.runnerCacheSize = b.runnerCacheSize;
    this.maxReceiveCount = b.maxReceiveCount;
    this.tableEncryptionKey = b.tableEncryptionKey;
    this.tableRemovalPolicy = Objects.requireNonNull(b.tableRemovalPolicy, "tableRemovalPolicy");
    this.architecture = Objects.requireNonNull(b.architecture, "architecture");
    this.logRetention = Objects.requireNonNull(b.logRetention, "logRetention");
    this.alarmAction = b.alarmAction;
    validate();
  }

  private void validate() {
    if (namespace.isBlank() || namespace.contains("#")) {
      throw new IllegalArgumentException("namespace must be non-blank and must not contain '#' (it prefixes table keys), got '"
          + namespace + "'");
    }
    Set<String> names = new HashSet<>();
    for (ActivityTaskQueue q : activityTaskQueues) {
      if (!names.add(q.name())) {
        throw new IllegalArgumentException("activity task queue '" + q.name() + "' is listed twice");
      }
    }
    Set<String> ids = new HashSet<>();
    for (EventStart s : eventStarts) {
      if (!ids.add(s.id())) {
        throw new IllegalArgumentException("event start id '" + s.id() + "' is used twice");
      }
    }
    if (coordinatorMemorySize < 128 || coordinatorMemorySize > 10_240) {
      throw new IllegalArgumentException("coordinatorMemorySize must be 128..10240 MB, got " + coordinatorMemorySize);
    }
    if (coordinatorTimeout.toSeconds().longValue() < 1 || coordinatorTimeout.toSeconds().longValue() > 900) {
      throw new IllegalArgumentException("coordinatorTimeout must be 1 s..15 min, got " + coordinatorTimeout.toSeconds().longValue() + " s");
    }
    if (coordinatorReservedConcurrency != null && coordinatorReservedConcurrency < 1) {
      throw new IllegalArgumentException("coordinatorReservedConcurrency must be at least 1, got " + coordinatorReservedConcurrency);
    }
    if (runnerCacheSize < 0) {
      throw new IllegalArgumentException("runnerCacheSize must not be negative, got " + runnerCacheSize);
    }
    if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new IllegalArgumentException("maxReceiveCount must be 1..1000 (SQS), got " + maxReceiveCount);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The deployment package: a jar (or directory) with the user's code, the Tempora handlers and the sdk. */
  public Code code() { return code; }

  /** The {@code WorkerSetup} class (TEMPORA_WORKER_SETUP), or null to find it through ServiceLoader. */
  public String workerSetupClass() { return workerSetupClass; }

  public String namespace() { return namespace; }

  /** The queue name prefix, or null to derive one from the construct path. */
  public String queuePrefix() { return queuePrefix; }

  public List<ActivityTaskQueue> activityTaskQueues() { return activityTaskQueues; }

  public List<EventStart> eventStarts() { return eventStarts; }

  public int coordinatorMemorySize() { return coordinatorMemorySize; }

  public Duration coordinatorTimeout() { return coordinatorTimeout; }

  public Integer coordinatorReservedConcurrency() { return coordinatorReservedConcurrency; }

  public int runnerCacheSize() { return runnerCacheSize; }

  public int maxReceiveCount() { return maxReceiveCount; }

  public IKey tableEncryptionKey() { return tableEncryptionKey; }

  public RemovalPolicy tableRemovalPolicy() { return tableRemovalPolicy; }

  public Architecture architecture() { return architecture; }

  public RetentionDays logRetention() { return logRetention; }

  public IAlarmAction alarmAction() { return alarmAction; }

  public static final class Builder {
    private Code code;
    private String workerSetupClass;
    private String namespace = "default";
    private String queuePrefix;
    private final List<ActivityTaskQueue> activityTaskQueues = new ArrayList<>();
    private final List<EventStart> eventStarts = new ArrayList<>();
    private int coordinatorMemorySize = 1024;
    private Duration coordinatorTimeout = Duration.minutes(1);
    private Integer coordinatorReservedConcurrency;
    private int runnerCacheSize = 1000;
    private int maxReceiveCount = 5;
    private IKey tableEncryptionKey;
    private RemovalPolicy tableRemovalPolicy = RemovalPolicy.RETAIN;
    private Architecture architecture = Architecture.ARM_64;
    private RetentionDays logRetention = RetentionDays.ONE_MONTH;
    private IAlarmAction alarmAction;

    private Builder() {}

    /** Required: e.g. {@code Code.fromAsset("target/my-workflows-lambda.jar")}, a shaded jar. */
    public Builder code(Code code) {
      this.code = code;
      return this;
    }

    /** Your {@code dev.tempora.worker.WorkerSetup} class; leave unset to use ServiceLoader. */
    public Builder workerSetupClass(String className) {
      this.workerSetupClass = className;
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** Prefix of every queue name (TEMPORA_QUEUE_PREFIX); unique per engine in an account and region. */
    public Builder queuePrefix(String prefix) {
      this.queuePrefix = prefix;
      return this;
    }

    /** Adds an activity task queue (default if none is added: one queue named {@code default}). */
    public Builder activityTaskQueue(ActivityTaskQueue queue) {
      this.activityTaskQueues.add(Objects.requireNonNull(queue, "queue"));
      return this;
    }

    public Builder activityTaskQueues(List<ActivityTaskQueue> queues) {
      queues.forEach(this::activityTaskQueue);
      return this;
    }

    public Builder eventStart(EventStart start) {
      this.eventStarts.add(Objects.requireNonNull(start, "start"));
      return this;
    }

    public Builder eventStarts(List<EventStart> starts) {
      starts.forEach(this::eventStart);
      return this;
    }

    /** Memory of the coordinator (replays workflow code: CPU scales with memory). Default 1024 MB. */
    public Builder coordinatorMemorySize(int megabytes) {
      this.coordinatorMemorySize = megabytes;
      return this;
    }

    /** Timeout of one coordinator batch. Default 1 minute. */
    public Builder coordinatorTimeout(Duration timeout) {
      this.coordinatorTimeout = timeout;
      return this;
    }

    public Builder coordinatorReservedConcurrency(Integer reserved) {
      this.coordinatorReservedConcurrency = reserved;
      return this;
    }

    /** Live workflow runners a warm coordinator keeps (TEMPORA_RUNNER_CACHE_SIZE). Default 1000. */
    public Builder runnerCacheSize(int size) {
      this.runnerCacheSize = size;
      return this;
    }

    /** Receives before a message moves to its queue's DLQ. Default 5. */
    public Builder maxReceiveCount(int count) {
      this.maxReceiveCount = count;
      return this;
    }

    /** A customer-managed key for the table; default is the AWS-managed key (aws/dynamodb). */
    public Builder tableEncryptionKey(IKey key) {
      this.tableEncryptionKey = key;
      return this;
    }

    /** What happens to the table when the stack is deleted. Default RETAIN: histories are data. */
    public Builder tableRemovalPolicy(RemovalPolicy policy) {
      this.tableRemovalPolicy = policy;
      return this;
    }

    /** Default ARM_64 (cheaper per GB-second; SnapStart supports it). */
    public Builder architecture(Architecture architecture) {
      this.architecture = architecture;
      return this;
    }

    public Builder logRetention(RetentionDays retention) {
      this.logRetention = retention;
      return this;
    }

    /** Where the alarms notify (e.g. an SNS action); default none: alarms only show in CloudWatch. */
    public Builder alarmAction(IAlarmAction action) {
      this.alarmAction = action;
      return this;
    }

    public TemporaEngineProps build() {
      return new TemporaEngineProps(this);
    }
  }
}
