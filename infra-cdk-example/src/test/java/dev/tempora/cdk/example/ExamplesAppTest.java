package dev.tempora.cdk.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;

/** The example app deploys the seed workflows; the same stack bin/cdk-synth synthesizes. */
class ExamplesAppTest {

  @Test
  void exampleStackDeploysTheSeedWorkflowsAndPassesCdkNag() throws IOException {
    Path asset = Files.createTempDirectory("examples-asset");
    Files.writeString(asset.resolve("stand-in.txt"), "bundle stand-in");
    App app = new App();
    Stack stack = ExamplesApp.stack(app, Code.fromAsset(asset.toString()));
    Template t = Template.fromStack(stack);
    // The examples run on the default task queue and name their setup class.
    t.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "tempora-examples-workflow-tasks.fifo"));
    t.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "tempora-examples-activities-default"));
    t.resourceCountIs("AWS::SQS::Queue", 10);
    t.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", "dev.tempora.lambda.activity.ActivityTaskHandler",
        "Timeout", 120, "ReservedConcurrentExecutions", 20,
        "Environment", Map.of("Variables", Match.objectLike(Map.of(
            "TEMPORA_WORKER_SETUP", "dev.tempora.examples.ExamplesSetup",
            "TEMPORA_QUEUE_PREFIX", "tempora-examples-")))));
    t.hasResourceProperties("AWS::Events::Rule", Map.of("EventPattern",
        Map.of("source", List.of("tempora.examples"), "detail-type", List.of("OrderPlaced"))));
    t.hasOutput("ApiUrl", Map.of());
    // Account- and region-agnostic: nothing to look up, no credentials needed to synthesize.
    assertTrue(stack.getAccount().startsWith("${Token["), stack.getAccount());
    // The app applies the AwsSolutions checks (the construct does not), and they find nothing unsuppressed.
    assertTrue(Aspects.of(stack).getAll().stream().anyMatch(a -> a instanceof AwsSolutionsChecks),
        String.valueOf(Aspects.of(stack).getAll()));
    assertEquals(List.of(), Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
    assertEquals(List.of(), Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")));
  }

  @Test
  void aMissingBundleSaysHowToBuildIt() {
    App app = new App(AppProps.builder().context(Map.of(ExamplesApp.JAR_CONTEXT, "/nonexistent/bundle.jar")).build());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ExamplesApp.synth(app));
    assertTrue(e.getMessage().contains("mvn -q package -pl examples-lambda -am"), e.getMessage());
  }
}
