package dev.tempora.cdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.ITopic;

/**
 * What {@link TemporaEngine} deploys: the user's code and registration, the activity task queues,
 * the event bindings, sizing, limits and where alarms notify. Only {@link Builder#code} is required.
 *
 * <p>Limits, all with defaults: reserved concurrency of every function (the coordinator
 * {@value #DEFAULT_COORDINATOR_CONCURRENCY}, the HTTP API {@value #DEFAULT_HTTP_API_CONCURRENCY}, the timer
 * forwarder, queries, event starts and the table stream relay {@value #DEFAULT_SMALL_CONCURRENCY} each; activity
 * functions per {@link ActivityTaskQueue}), the HTTP API's stage throttling
 * ({@value #DEFAULT_API_RATE_LIMIT} requests/s, bursts of {@value #DEFAULT_API_BURST_LIMIT}), how long a work
 * queue keeps a message (4 days; its dead-letter queue keeps one 14 days), and the history
 * {@link Builder#retention retention} (30 days after a run closes).
 */
public final class TemporaEngineProps {
  public static final int DEFAULT_COORDINATOR_CONCURRENCY = 100;
  public static final int DEFAULT_HTTP_API_CONCURRENCY = 100;
  /** The timer forwarder, queries, event starts and the table stream relay: short, light invocations. */
  public static final int DEFAULT_SMALL_CONCURRENCY = 20;
  public static final double DEFAULT_API_RATE_LIMIT = 100;
  public static final int DEFAULT_API_BURST_LIMIT = 200;
  public static final Duration DEFAULT_QUEUE_RETENTION = Duration.days(4);
  public static final Duration DEFAULT_WORKFLOW_TASK_AGE_ALARM = Duration.minutes(5);
  public static final Duration DEFAULT_RETENTION = Duration.days(30);
  /** Lambda's smallest maximum concurrency of an SQS event source. */
  static final int MIN_SQS_CONSUMER_CONCURRENCY = 2;
  /** Alarm when more than this share of activity attempts fail, in percent. */
  public static final double DEFAULT_ACTIVITY_FAILURE_RATE_ALARM_PERCENT = 20;
  /** Alarm when timers fire this late (p99). */
  public static final Duration DEFAULT_TIMER_LATENESS_ALARM = Duration.minutes(1);
  /** Lambda's limit of layers per function. */
  static final int MAX_LAYERS = 5;
  /** Variables Lambda sets itself and refuses in a function's configuration. */
  static final Set<String> LAMBDA_RESERVED_VARIABLES = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
      "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
      "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
      "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
      "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

  /**
   * The deployment package of one activity task queue's function, instead of {@link Builder#code}: a
   * GPU queue's libraries then ride only in its own function.
   *
   * @param code the package: the Tempora activity handler, the sdk, the queue's activities and a WorkerSetup
   * @param workerSetupClass the WorkerSetup class in that package (TEMPORA_WORKER_SETUP), or null for the
   *     engine's {@link Builder#workerSetupClass} (or ServiceLoader when that is unset too)
   */
  public record ActivityCode(Code code, String workerSetupClass) {
    public ActivityCode {
      Objects.requireNonNull(code, "code");
    }
  }

  private final Code code;
  private final String workerSetupClass;
  private final String namespace;
  private final String queuePrefix;
  private final List<ActivityTaskQueue> activityTaskQueues;
  private final List<EventStart> eventStarts;
  private final int coordinatorMemorySize;
  private final Duration coordinatorTimeout;
  private final int coordinatorReservedConcurrency;
  private final int timersReservedConcurrency;
  private final int queriesReservedConcurrency;
  private final int httpApiReservedConcurrency;
  private final int eventStartsReservedConcurrency;
  private final int streamRelayReservedConcurrency;
  private final double apiThrottleRateLimit;
  private final int apiThrottleBurstLimit;
  private final int runnerCacheSize;
  private final int maxReceiveCount;
  private final Duration queueRetention;
  private final Duration workflowTaskAgeAlarmThreshold;
  private final Duration retention;
  private final IKey tableEncryptionKey;
  private final RemovalPolicy tableRemovalPolicy;
  private final Architecture architecture;
  private final RetentionDays logRetention;
  private final ITopic alarmTopic;
  private final List<IAlarmAction> alarmActions;
  private final Map<String, ActivityCode> activityCodes;
  private final Map<String, String> environment;
  private final List<ILayerVersion> layers;
  private final LoggingFormat logFormat;
  private final ApplicationLogLevel applicationLogLevel;
  private final SystemLogLevel systemLogLevel;
  private final boolean tracing;
  private final double activityFailureRateAlarmPercent;
  private final Duration timerLatenessAlarmThreshold;

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
    this.timersReservedConcurrency = b.timersReservedConcurrency;
    this.queriesReservedConcurrency = b.queriesReservedConcurrency;
    this.httpApiReservedConcurrency = b.httpApiReservedConcurrency;
    this.eventStartsReservedConcurrency = b.eventStartsReservedConcurrency;
    this.streamRelayReservedConcurrency = b.streamRelayReservedConcurrency;
    this.apiThrottleRateLimit = b.apiThrottleRateLimit;
    this.apiThrottleBurstLimit = b.apiThrottleBurstLimit;
    this.runnerCacheSize = b.runnerCacheSize;
    this.maxReceiveCount = b.maxReceiveCount;
    this.queueRetention = Objects.requireNonNull(b.queueRetention, "queueRetention");
    this.workflowTaskAgeAlarmThreshold = Objects.requireNonNull(b.workflowTaskAgeAlarmThreshold,
        "workflowTaskAgeAlarmThreshold");
    this.retention = Objects.requireNonNull(b.retention, "retention");
    this.tableEncryptionKey = b.tableEncryptionKey;
    this.tableRemovalPolicy = Objects.requireNonNull(b.tableRemovalPolicy, "tableRemovalPolicy");
    this.architecture = Objects.requireNonNull(b.architecture, "architecture");
    this.logRetention = Objects.requireNonNull(b.logRetention, "logRetention");
    this.alarmTopic = b.alarmTopic;
    this.alarmActions = List.copyOf(b.alarmActions);
    this.activityCodes = Collections.unmodifiableMap(new LinkedHashMap<>(b.activityCodes));
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
    this.layers = List.copyOf(b.layers);
    this.logFormat = b.logFormat;
    this.applicationLogLevel = b.applicationLogLevel;
    this.systemLogLevel = b.systemLogLevel;
    this.tracing = b.tracing;
    this.activityFailureRateAlarmPercent = b.activityFailureRateAlarmPercent;
    this.timerLatenessAlarmThreshold = Objects.requireNonNull(b.timerLatenessAlarmThreshold, "timerLatenessAlarmThreshold");
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
    // The SQS consumers' event sources are capped at their reserved concurrency, and Lambda's cap is at least 2.
    checkConcurrency("coordinatorReservedConcurrency", coordinatorReservedConcurrency, MIN_SQS_CONSUMER_CONCURRENCY);
    checkConcurrency("timersReservedConcurrency", timersReservedConcurrency, MIN_SQS_CONSUMER_CONCURRENCY);
    checkConcurrency("queriesReservedConcurrency", queriesReservedConcurrency, 1);
    checkConcurrency("httpApiReservedConcurrency", httpApiReservedConcurrency, 1);
    checkConcurrency("eventStartsReservedConcurrency", eventStartsReservedConcurrency, 1);
    checkConcurrency("streamRelayReservedConcurrency", streamRelayReservedConcurrency, 1);
    if (!(apiThrottleRateLimit > 0) || Double.isInfinite(apiThrottleRateLimit)) {
      throw new IllegalArgumentException("apiThrottleRateLimit must be a positive number of requests per second, got "
          + apiThrottleRateLimit);
    }
    if (apiThrottleBurstLimit < 1) {
      throw new IllegalArgumentException("apiThrottleBurstLimit must be at least 1, got " + apiThrottleBurstLimit);
    }
    long queueRetentionSeconds = queueRetention.toSeconds().longValue();
    long deadLetterRetentionSeconds = AlarmedDeadLetterQueue.RETENTION.toSeconds().longValue();
    if (queueRetentionSeconds < 60 || queueRetentionSeconds >= deadLetterRetentionSeconds) {
      throw new IllegalArgumentException("queueRetention must be at least 1 minute (SQS) and shorter than the "
          + "dead-letter queues' 14 days (a standard DLQ keeps a message's first enqueue time, so the difference is "
          + "how long a dead letter survives at least), got " + queueRetentionSeconds + " s");
    }
    long ageSeconds = workflowTaskAgeAlarmThreshold.toSeconds().longValue();
    if (ageSeconds < 60 || ageSeconds >= queueRetentionSeconds) {
      throw new IllegalArgumentException("workflowTaskAgeAlarmThreshold must be at least 1 minute (SQS reports the age "
          + "each minute) and shorter than queueRetention, got " + ageSeconds + " s");
    }
    long retentionMillis = retention.toMilliseconds().longValue();
    if (retentionMillis < DAY_MILLIS || retentionMillis % DAY_MILLIS != 0) {
      throw new IllegalArgumentException("retention must be a whole number of days, at least 1 (TEMPORA_RETENTION_DAYS), "
          + "got " + retentionMillis + " ms");
    }
    if (runnerCacheSize < 0) {
      throw new IllegalArgumentException("runnerCacheSize must not be negative, got " + runnerCacheSize);
    }
    if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new IllegalArgumentException("maxReceiveCount must be 1..1000 (SQS), got " + maxReceiveCount);
    }
    for (String taskQueue : activityCodes.keySet()) {
      if (!names.contains(taskQueue)) {
        throw new IllegalArgumentException("activityCode names task queue '" + taskQueue + "', which is not one of the "
            + "activity task queues " + names + ": add it with activityTaskQueue");
      }
    }
    for (String name : environment.keySet()) {
      if (TemporaEngine.ENGINE_VARIABLES.contains(name)) {
        throw new IllegalArgumentException("environment variable " + name + " is set by the engine from its props");
      }
      if (LAMBDA_RESERVED_VARIABLES.contains(name)) {
        throw new IllegalArgumentException("environment variable " + name + " is reserved by Lambda");
      }
    }
    if (layers.size() > MAX_LAYERS) {
      throw new IllegalArgumentException("a function takes at most " + MAX_LAYERS + " layers (Lambda), got " + layers.size());
    }
    if ((applicationLogLevel != null || systemLogLevel != null) && logFormat != LoggingFormat.JSON) {
      throw new IllegalArgumentException("applicationLogLevel and systemLogLevel need logFormat JSON (Lambda filters "
          + "levels of JSON logs only)");
    }
    if (!(activityFailureRateAlarmPercent > 0 && activityFailureRateAlarmPercent <= 100)) {
      throw new IllegalArgumentException("activityFailureRateAlarmPercent must be more than 0 and at most 100, got "
          + activityFailureRateAlarmPercent);
    }
    if (timerLatenessAlarmThreshold.toMilliseconds().longValue() < 1) {
      throw new IllegalArgumentException("timerLatenessAlarmThreshold must be positive");
    }
  }

  private static final long DAY_MILLIS = 86_400_000L;

  private static void checkConcurrency(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + (min > 1
          ? " (the function consumes an SQS queue, and Lambda caps an SQS event source's concurrency at 2 or more)"
          : "") + ", got " + value);
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

  public int coordinatorReservedConcurrency() { return coordinatorReservedConcurrency; }

  public int timersReservedConcurrency() { return timersReservedConcurrency; }

  public int queriesReservedConcurrency() { return queriesReservedConcurrency; }

  public int httpApiReservedConcurrency() { return httpApiReservedConcurrency; }

  public int eventStartsReservedConcurrency() { return eventStartsReservedConcurrency; }

  public int streamRelayReservedConcurrency() { return streamRelayReservedConcurrency; }

  public double apiThrottleRateLimit() { return apiThrottleRateLimit; }

  public int apiThrottleBurstLimit() { return apiThrottleBurstLimit; }

  public int runnerCacheSize() { return runnerCacheSize; }

  public int maxReceiveCount() { return maxReceiveCount; }

  public Duration queueRetention() { return queueRetention; }

  public Duration workflowTaskAgeAlarmThreshold() { return workflowTaskAgeAlarmThreshold; }

  public Duration retention() { return retention; }

  public IKey tableEncryptionKey() { return tableEncryptionKey; }

  public RemovalPolicy tableRemovalPolicy() { return tableRemovalPolicy; }

  public Architecture architecture() { return architecture; }

  public RetentionDays logRetention() { return logRetention; }

  /** The topic alarms notify, or null: then {@link #alarmActions()} alone, or a topic the engine creates. */
  public ITopic alarmTopic() { return alarmTopic; }

  public List<IAlarmAction> alarmActions() { return alarmActions; }

  /** Per activity task queue, the package its function runs instead of {@link #code()}. */
  public Map<String, ActivityCode> activityCodes() { return activityCodes; }

  /** Extra environment variables of every function. */
  public Map<String, String> environment() { return environment; }

  /** Lambda layers of every function. */
  public List<ILayerVersion> layers() { return layers; }

  /** Lambda's log format of every function, or null for Lambda's default (Text). */
  public LoggingFormat logFormat() { return logFormat; }

  public ApplicationLogLevel applicationLogLevel() { return applicationLogLevel; }

  public SystemLogLevel systemLogLevel() { return systemLogLevel; }

  /** X-Ray active tracing on every function. */
  public boolean tracing() { return tracing; }

  public double activityFailureRateAlarmPercent() { return activityFailureRateAlarmPercent; }

  public Duration timerLatenessAlarmThreshold() { return timerLatenessAlarmThreshold; }

  public static final class Builder {
    private Code code;
    private String workerSetupClass;
    private String namespace = "default";
    private String queuePrefix;
    private final List<ActivityTaskQueue> activityTaskQueues = new ArrayList<>();
    private final List<EventStart> eventStarts = new ArrayList<>();
    private int coordinatorMemorySize = 1024;
    // 10 s: a workflow task takes milliseconds (a cold 50,000-event replay well under a second), and
    // the queue's visibility timeout is 6x this, so a coordinator that dies mid-task has its
    // messages redelivered, and its commit dispatched, within a minute (ADR 8).
    private Duration coordinatorTimeout = Duration.seconds(10);
    private int coordinatorReservedConcurrency = DEFAULT_COORDINATOR_CONCURRENCY;
    private int timersReservedConcurrency = DEFAULT_SMALL_CONCURRENCY;
    private int queriesReservedConcurrency = DEFAULT_SMALL_CONCURRENCY;
    private int httpApiReservedConcurrency = DEFAULT_HTTP_API_CONCURRENCY;
    private int eventStartsReservedConcurrency = DEFAULT_SMALL_CONCURRENCY;
    private int streamRelayReservedConcurrency = DEFAULT_SMALL_CONCURRENCY;
    private double apiThrottleRateLimit = DEFAULT_API_RATE_LIMIT;
    private int apiThrottleBurstLimit = DEFAULT_API_BURST_LIMIT;
    private int runnerCacheSize = 1000;
    // The handlers back off a failing message (5 s doubling to 5 minutes) and move undecodable
    // bytes to the DLQ themselves, so 20 receives ride out about an hour of transient errors.
    private int maxReceiveCount = 20;
    private Duration queueRetention = DEFAULT_QUEUE_RETENTION;
    private Duration workflowTaskAgeAlarmThreshold = DEFAULT_WORKFLOW_TASK_AGE_ALARM;
    private Duration retention = DEFAULT_RETENTION;
    private IKey tableEncryptionKey;
    private RemovalPolicy tableRemovalPolicy = RemovalPolicy.RETAIN;
    private Architecture architecture = Architecture.ARM_64;
    private RetentionDays logRetention = RetentionDays.ONE_MONTH;
    private ITopic alarmTopic;
    private final List<IAlarmAction> alarmActions = new ArrayList<>();
    private final Map<String, ActivityCode> activityCodes = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<ILayerVersion> layers = new ArrayList<>();
    private LoggingFormat logFormat;
    private ApplicationLogLevel applicationLogLevel;
    private SystemLogLevel systemLogLevel;
    private boolean tracing;
    private double activityFailureRateAlarmPercent = DEFAULT_ACTIVITY_FAILURE_RATE_ALARM_PERCENT;
    private Duration timerLatenessAlarmThreshold = DEFAULT_TIMER_LATENESS_ALARM;

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

    /** Timeout of one coordinator batch. Default 10 seconds (the workflow-task queue's visibility timeout is 6x this). */
    public Builder coordinatorTimeout(Duration timeout) {
      this.coordinatorTimeout = timeout;
      return this;
    }

    /**
     * Reserved concurrency of the coordinator, also the cap of its event source. Default
     * {@value TemporaEngineProps#DEFAULT_COORDINATOR_CONCURRENCY}; at least 2.
     */
    public Builder coordinatorReservedConcurrency(int reserved) {
      this.coordinatorReservedConcurrency = reserved;
      return this;
    }

    /** Reserved concurrency of the timer forwarder (and its event source's cap). Default 20; at least 2. */
    public Builder timersReservedConcurrency(int reserved) {
      this.timersReservedConcurrency = reserved;
      return this;
    }

    /** Reserved concurrency of the query and describe function. Default 20. */
    public Builder queriesReservedConcurrency(int reserved) {
      this.queriesReservedConcurrency = reserved;
      return this;
    }

    /**
     * Reserved concurrency of the HTTP API function. Default
     * {@value TemporaEngineProps#DEFAULT_HTTP_API_CONCURRENCY}. A {@code /result?waitSeconds=} call holds
     * one execution for up to 20 s; requests beyond it fail until one frees.
     */
    public Builder httpApiReservedConcurrency(int reserved) {
      this.httpApiReservedConcurrency = reserved;
      return this;
    }

    /** Reserved concurrency of the EventBridge start function (EventBridge retries throttled starts). Default 20. */
    public Builder eventStartsReservedConcurrency(int reserved) {
      this.eventStartsReservedConcurrency = reserved;
      return this;
    }

    /** Reserved concurrency of the table stream relay (at most one invocation per stream shard). Default 20. */
    public Builder streamRelayReservedConcurrency(int reserved) {
      this.streamRelayReservedConcurrency = reserved;
      return this;
    }

    /** Steady-state requests per second the HTTP API's stage lets through (all routes). Default 100. */
    public Builder apiThrottleRateLimit(double requestsPerSecond) {
      this.apiThrottleRateLimit = requestsPerSecond;
      return this;
    }

    /** Burst the HTTP API's stage lets through above the rate. Default 200. */
    public Builder apiThrottleBurstLimit(int requests) {
      this.apiThrottleBurstLimit = requests;
      return this;
    }

    /** Live workflow runners a warm coordinator keeps (TEMPORA_RUNNER_CACHE_SIZE). Default 1000. */
    public Builder runnerCacheSize(int size) {
      this.runnerCacheSize = size;
      return this;
    }

    /** Receives before a message moves to its queue's DLQ. Default 20 (the handlers back off failing messages and dead-letter undecodable ones themselves). */
    public Builder maxReceiveCount(int count) {
      this.maxReceiveCount = count;
      return this;
    }

    /**
     * How long a work queue (workflow tasks, timers, activities) keeps a message. Default 4 days; at
     * least 1 minute and shorter than the dead-letter queues' 14 days, because a standard DLQ keeps a
     * message's first enqueue time: the difference is how long a dead letter survives at least.
     */
    public Builder queueRetention(Duration retention) {
      this.queueRetention = retention;
      return this;
    }

    /** Alarm when the oldest workflow task has waited this long (backlog or a stuck coordinator). Default 5 minutes. */
    public Builder workflowTaskAgeAlarmThreshold(Duration threshold) {
      this.workflowTaskAgeAlarmThreshold = threshold;
      return this;
    }

    /**
     * How long a closed run and all its items stay in the table (TEMPORA_RETENTION_DAYS); whole days,
     * at least 1. Default 30 days.
     */
    public Builder retention(Duration retention) {
      this.retention = retention;
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

    /**
     * The SNS topic every alarm notifies (on ALARM and on OK). If it is encrypted, its key policy
     * must let {@code cloudwatch.amazonaws.com} use the key (kms:Decrypt, kms:GenerateDataKey*).
     * Default: unless {@link #alarmActions} are given, the engine creates a KMS-encrypted topic
     * ({@link TemporaEngine#alarmTopic()}); subscribe to it.
     */
    public Builder alarmTopic(ITopic topic) {
      this.alarmTopic = topic;
      return this;
    }

    /** Adds an action every alarm takes on ALARM and on OK (with {@link #alarmTopic}, both notify). */
    public Builder alarmAction(IAlarmAction action) {
      this.alarmActions.add(Objects.requireNonNull(action, "action"));
      return this;
    }

    public Builder alarmActions(List<IAlarmAction> actions) {
      actions.forEach(this::alarmAction);
      return this;
    }

    /**
     * The package of one activity task queue's function, instead of {@link #code}: e.g. a GPU queue's
     * jar with its native libraries, which then do not ride in the coordinator and the other functions.
     * It needs the Tempora activity handler, the sdk, that queue's activities and a WorkerSetup
     * registering them (the same class name as {@link #workerSetupClass}, or ServiceLoader).
     */
    public Builder activityCode(String taskQueue, Code code) {
      return activityCode(taskQueue, code, null);
    }

    /** As {@link #activityCode(String, Code)}, with the WorkerSetup class that package registers its activities in. */
    public Builder activityCode(String taskQueue, Code code, String workerSetupClass) {
      this.activityCodes.put(Objects.requireNonNull(taskQueue, "taskQueue"), new ActivityCode(code, workerSetupClass));
      return this;
    }

    /**
     * An extra environment variable of every function (e.g. {@code JAVA_TOOL_OPTIONS}, your own
     * settings). The engine's own variables and Lambda's reserved ones are refused.
     */
    public Builder environment(String name, String value) {
      this.environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder environment(Map<String, String> variables) {
      variables.forEach(this::environment);
      return this;
    }

    /** A Lambda layer of every function (at most 5, Lambda's limit). */
    public Builder layer(ILayerVersion layer) {
      this.layers.add(Objects.requireNonNull(layer, "layer"));
      return this;
    }

    public Builder layers(List<ILayerVersion> layers) {
      layers.forEach(this::layer);
      return this;
    }

    /**
     * Lambda's log format of every function (LoggingConfig). Default: Lambda's (Text). JSON makes the
     * platform's lines (START, END, REPORT) JSON too and lets Lambda filter by level.
     */
    public Builder logFormat(LoggingFormat format) {
      this.logFormat = format;
      return this;
    }

    /** The lowest application log level Lambda keeps (needs logFormat JSON). Default: Lambda's (INFO). */
    public Builder applicationLogLevel(ApplicationLogLevel level) {
      this.applicationLogLevel = level;
      return this;
    }

    /** The lowest platform log level Lambda keeps (needs logFormat JSON). Default: Lambda's (INFO). */
    public Builder systemLogLevel(SystemLogLevel level) {
      this.systemLogLevel = level;
      return this;
    }

    /**
     * X-Ray active tracing on every function (with the xray:PutTraceSegments and
     * xray:PutTelemetryRecords it needs; X-Ray has no resource-level permissions). Lambda passes the
     * trace header through SQS, so a workflow's hops join one trace. Default off (X-Ray is billed per trace).
     */
    public Builder tracing(boolean active) {
      this.tracing = active;
      return this;
    }

    /**
     * Alarm when more than this percentage of activity attempts fail, over two consecutive 5-minute
     * periods (the engine's ActivityFailures / ActivityAttempts). Default 20.
     */
    public Builder activityFailureRateAlarmPercent(double percent) {
      this.activityFailureRateAlarmPercent = percent;
      return this;
    }

    /** Alarm when timers fire this late or later (p99 of TimerLateness, two 5-minute periods). Default 1 minute. */
    public Builder timerLatenessAlarmThreshold(Duration threshold) {
      this.timerLatenessAlarmThreshold = threshold;
      return this;
    }

    public TemporaEngineProps build() {
      return new TemporaEngineProps(this);
    }
  }
}
