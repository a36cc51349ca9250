package dev.tempora.cdk.example;

import dev.tempora.cdk.ActivityTaskQueue;
import dev.tempora.cdk.EventStart;
import dev.tempora.cdk.TemporaEngine;
import dev.tempora.cdk.TemporaEngineProps;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

/**
 * The example app: the seed workflows of the {@code examples} module on AWS, from the shaded jar
 * {@code examples-lambda} builds. {@code bin/cdk-synth} synthesizes it offline; {@code npx cdk
 * deploy} (in infra-cdk-example, with credentials) deploys it.
 *
 * <p>The app, not the construct, applies cdk-nag's AwsSolutions checks, as a user's app would: the
 * construct carries its suppressions (with reasons) as metadata and does not depend on cdk-nag.
 *
 * <p>The stack has no account or region: it synthesizes anywhere without credentials and without
 * context lookups, and deploys to whatever account and region the CLI is pointed at.
 */
public final class ExamplesApp {
  public static final String STACK_NAME = "TemporaExamples";
  /** Context key overriding where the bundle jar is (relative to the directory cdk runs in). */
  public static final String JAR_CONTEXT = "bundleJar";
  static final String DEFAULT_JAR = "../examples-lambda/target/tempora-examples-lambda.jar";

  private ExamplesApp() {}

  public static void main(String[] args) {
    synth(new App());
  }

  /** Builds the example stack from the bundle jar named in the app's context (or the default path) and synthesizes. */
  static void synth(App app) {
    Object configured = app.getNode().tryGetContext(JAR_CONTEXT);
    Path jar = Path.of(configured != null ? configured.toString() : DEFAULT_JAR);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the examples bundle " + jar.toAbsolutePath().normalize() + " does not exist: "
          + "build it with 'mvn -q package -pl examples-lambda -am -DskipTests' (bin/cdk-synth does), or pass "
          + "-c " + JAR_CONTEXT + "=<path>");
    }
    stack(app, Code.fromAsset(jar.toString()));
    app.synth();
  }

  /** The example stack, with AwsSolutions checks applied, for {@code code}. */
  public static Stack stack(App app, Code code) {
    Stack stack = new ExamplesStack(app, STACK_NAME, code);
    Aspects.of(stack).add(new AwsSolutionsChecks());
    return stack;
  }

  /** The engine for the seed workflows. */
  static final class ExamplesStack extends Stack {
    ExamplesStack(Construct scope, String id, Code code) {
      super(scope, id, StackProps.builder()
          .description("Tempora seed workflows (order saga, subscription, expense approval, ETL, fan-out)")
          .build());
      TemporaEngine engine = new TemporaEngine(this, "Tempora", TemporaEngineProps.builder()
          .code(code)
          .workerSetupClass("dev.tempora.examples.ExamplesSetup")
          .queuePrefix("tempora-examples-")
          // The seed workflows and their activities all run on the default task queue.
          .activityTaskQueue(ActivityTaskQueue.builder("default").memorySize(1024)
              .timeout(Duration.minutes(2)).reservedConcurrency(20).batchSize(10).build())
          .coordinatorReservedConcurrency(20)
          // An order placed on the default bus starts the order saga.
          .eventStart(EventStart.builder("OrderPlaced")
              .pattern(EventPattern.builder().source(List.of("tempora.examples")).detailType(List.of("OrderPlaced")).build())
              .workflowType("OrderWorkflow")
              .workflowIdPrefix("order-")
              .build())
          .build());
      CfnOutput.Builder.create(this, "ApiUrl").value(engine.apiUrl())
          .description("Tempora HTTP API (IAM-signed requests)").build();
      CfnOutput.Builder.create(this, "TableName").value(engine.table().getTableName()).build();
      CfnOutput.Builder.create(this, "QueryFunction").value(engine.queryAlias().getFunctionArn())
          .description("TEMPORA_COORDINATOR_FUNCTION for clients outside AWS Lambda").build();
      CfnOutput.Builder.create(this, "WorkflowTaskQueue").value(engine.workflowTaskQueue().getQueueUrl()).build();
    }
  }
}
