package ${package}.cdk;

import dev.tempora.cdk.ActivityTaskQueue;
import dev.tempora.cdk.TemporaEngine;
import dev.tempora.cdk.TemporaEngineProps;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

/**
 * The CDK app: Tempora's engine (DynamoDB table, SQS queues, Lambda functions, Scheduler group,
 * HTTP API) running this project's workflows from the app module's Lambda bundle. In this
 * directory, after {@code mvn package} at the top: {@code npx cdk synth}, {@code npx cdk deploy}.
 */
public final class WorkflowsApp {
  public static final String STACK_NAME = "${rootArtifactId}";
  /** Context key of the bundle jar's path (cdk.json sets it). */
  public static final String JAR_CONTEXT = "bundleJar";

  private WorkflowsApp() {}

  public static void main(String[] args) {
    App app = new App();
    Object jar = app.getNode().tryGetContext(JAR_CONTEXT);
    if (jar == null || !Files.isRegularFile(Path.of(jar.toString()))) {
      throw new IllegalStateException("no Lambda bundle at " + jar + ": run 'mvn package' in the project's directory first");
    }
    stack(app, Code.fromAsset(jar.toString()));
    app.synth();
  }

  /** The stack, with cdk-nag's AwsSolutions checks applied (they run at synth). */
  public static Stack stack(App app, Code bundle) {
    Stack stack = new WorkflowsStack(app, STACK_NAME, bundle);
    Aspects.of(stack).add(new AwsSolutionsChecks());
    return stack;
  }

  static final class WorkflowsStack extends Stack {
    WorkflowsStack(Construct scope, String id, Code bundle) {
      super(scope, id, StackProps.builder().description("${rootArtifactId}: workflows on Tempora").build());
      TemporaEngine engine = new TemporaEngine(this, "Tempora", TemporaEngineProps.builder()
          .code(bundle)
          .workerSetupClass("${package}.GreetingSetup")
          .activityTaskQueue(ActivityTaskQueue.builder("default").timeout(Duration.minutes(1)).build())
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
