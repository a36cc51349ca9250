package dev.tempora.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * One Tempora Lambda function: Java 21 with SnapStart, its own log group and role, and an alias
 * {@value #ALIAS} on the current published version. SnapStart only applies to published versions,
 * so everything that invokes the function (event sources, the HTTP API, EventBridge, query
 * invocations) goes through the alias, never {@code $LATEST}.
 *
 * <p>The role starts with nothing but writing to its own log group (no AWS-managed policy, whose
 * {@code logs:CreateLogGroup} on {@code *} is more than a function with a pre-made group needs);
 * the engine adds each grant the handler actually uses.
 */
public final class EngineFunction extends Construct {
  public static final String ALIAS = "live";

  /**
   * How a function is built; every function has reserved concurrency (a runaway one cannot starve the others).
   *
   * @param tracing X-Ray active tracing (CDK adds the role's xray:PutTraceSegments and xray:PutTelemetryRecords)
   */
  public record Settings(String handler, String description, Code code, int memorySize, Duration timeout,
      int reservedConcurrency, Map<String, String> environment, Architecture architecture,
      RetentionDays logRetention, List<ILayerVersion> layers, Logging logging, boolean tracing) {}

  /** Lambda's LoggingConfig beyond the log group; each null means Lambda's default. */
  public record Logging(LoggingFormat format, ApplicationLogLevel applicationLevel, SystemLogLevel systemLevel) {}

  private final Function function;
  private final Alias alias;
  private final Role role;
  private final LogGroup logGroup;
  private final Alarm errorsAlarm;
  private final Alarm throttlesAlarm;

  public EngineFunction(Construct scope, String id, Settings s) {
    super(scope, id);
    logGroup = LogGroup.Builder.create(this, "Logs")
        .retention(s.logRetention())
        .removalPolicy(RemovalPolicy.DESTROY)
        .build();
    role = Role.Builder.create(this, "Role")
        .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
        .description("Tempora " + id + ": " + s.description())
        .build();
    logGroup.grantWrite(role);
    function = Function.Builder.create(this, "Function")
        .runtime(Runtime.JAVA_21)
        .architecture(s.architecture())
        .handler(s.handler())
        .code(s.code())
        .description(s.description())
        .memorySize(s.memorySize())
        .timeout(s.timeout())
        .reservedConcurrentExecutions(s.reservedConcurrency())
        .environment(s.environment())
        .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
        .role(role)
        .logGroup(logGroup)
        .layers(s.layers().isEmpty() ? null : s.layers())
        .loggingFormat(s.logging().format())
        .applicationLogLevelV2(s.logging().applicationLevel())
        .systemLogLevelV2(s.logging().systemLevel())
        .tracing(s.tracing() ? Tracing.ACTIVE : null)
        .build();
    // CDK warns that SnapStart needs published versions; this construct publishes one and invokes only it.
    Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
        "The current version is published and every invocation goes through the alias on it");
    alias = Alias.Builder.create(this, "Alias")
        .aliasName(ALIAS)
        .version(function.getCurrentVersion())
        .build();
    errorsAlarm = Alarm.Builder.create(this, "Errors")
        .alarmDescription("Tempora function " + id + " (" + s.handler() + ") failed invocations: see its log group.")
        .metric(function.metricErrors(MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()))
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .threshold(1)
        .evaluationPeriods(1)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
    throttlesAlarm = Alarm.Builder.create(this, "Throttles")
        .alarmDescription("Tempora function " + id + " (" + s.handler() + ") was throttled: it reached its reserved "
            + "concurrency (" + s.reservedConcurrency() + ") or the account's limit; raise the reserved concurrency or "
            + "find what holds executions.")
        .metric(function.metricThrottles(MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()))
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .threshold(1)
        .evaluationPeriods(1)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
  }

  /**
   * Makes the alias consume {@code queue}, reporting partial batch failures (the handlers return the
   * ids of the messages to retry, so one bad message does not redeliver its whole batch). Lambda's
   * event source grants itself the receive/delete permissions on that queue.
   *
   * @param maxConcurrency caps the pollers' concurrency (2..1000), or null; set it at or below reserved
   *     concurrency, or throttled invocations count as receives and push good messages to the DLQ
   */
  public void consume(IQueue queue, int batchSize, Duration maxBatchingWindow, Integer maxConcurrency) {
    alias.addEventSource(SqsEventSource.Builder.create(queue)
        .batchSize(batchSize)
        .maxBatchingWindow(maxBatchingWindow)
        .maxConcurrency(maxConcurrency)
        .reportBatchItemFailures(true)
        .build());
  }

  public Function function() {
    return function;
  }

  /** The alias on the SnapStart-published version: invoke this. */
  public Alias alias() {
    return alias;
  }

  public Role role() {
    return role;
  }

  public LogGroup logGroup() {
    return logGroup;
  }

  public Alarm errorsAlarm() {
    return errorsAlarm;
  }

  public Alarm throttlesAlarm() {
    return throttlesAlarm;
  }
}
