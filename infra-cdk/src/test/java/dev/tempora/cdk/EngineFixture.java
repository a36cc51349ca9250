package dev.tempora.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;

/**
 * One synthesized engine stack shared by the test classes (synthesis costs seconds; the template
 * does not change between assertions): two activity task queues with different sizing, one event
 * start, the alarm topic the engine makes, a producer role granted a WorkflowClient's calls and a role
 * granted the HTTP API, AwsSolutions checks applied.
 */
final class EngineFixture {
  static final String PREFIX = "tt-";
  static final String SETUP = "com.example.MySetup";

  private static EngineFixture instance;

  final App app;
  final Stack stack;
  final TemporaEngine engine;
  final Template template;
  final Annotations annotations;
  final TemplateJson json;
  /** Granted {@link TemporaEngine#grantStartWorkflows}. */
  final Role producer;
  /** Granted {@link TemporaEngine#grantInvokeApi}. */
  final Role apiCaller;

  private EngineFixture() {
    app = new App();
    stack = new Stack(app, "TestStack");
    engine = new TemporaEngine(stack, "Tempora", TemporaEngineProps.builder()
        .code(Code.fromAsset(dummyAsset().toString()))
        .workerSetupClass(SETUP)
        .namespace("prod")
        .queuePrefix(PREFIX)
        .activityTaskQueue(ActivityTaskQueue.of("default"))
        .activityTaskQueue(ActivityTaskQueue.builder("gpu").memorySize(10240).timeout(Duration.minutes(15))
            .reservedConcurrency(3).batchSize(1).build())
        .coordinatorReservedConcurrency(50)
        .maxReceiveCount(4)
        .apiThrottleRateLimit(50)
        .apiThrottleBurstLimit(80)
        .workflowTaskAgeAlarmThreshold(Duration.minutes(10))
        .retention(Duration.days(7))
        .activityFailureRateAlarmPercent(25)
        .timerLatenessAlarmThreshold(Duration.seconds(90))
        .eventStart(EventStart.builder("OrderPlaced")
            .pattern(EventPattern.builder().source(List.of("shop")).detailType(List.of("OrderPlaced")).build())
            .workflowType("OrderWorkflow")
            .taskQueue("default")
            .workflowIdPrefix("order-")
            .build())
        .build());
    producer = Role.Builder.create(stack, "Producer").assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
    engine.grantStartWorkflows(producer);
    apiCaller = Role.Builder.create(stack, "ApiCaller").assumedBy(new AccountRootPrincipal()).build();
    engine.grantInvokeApi(apiCaller);
    Aspects.of(stack).add(new AwsSolutionsChecks());
    template = Template.fromStack(stack);
    annotations = Annotations.fromStack(stack);
    json = new TemplateJson(stack, template.toJSON());
  }

  static synchronized EngineFixture get() {
    if (instance == null) {
      instance = new EngineFixture();
    }
    return instance;
  }

  /** A stand-in deployment package: templates only reference the asset by hash. */
  static Path dummyAsset() {
    try {
      Path dir = Files.createTempDirectory("tempora-cdk-asset");
      Files.writeString(dir.resolve("README.txt"), "stand-in for the Lambda bundle jar in template tests\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
