package ${package}.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;

/** The stack synthesizes (offline, no credentials) with this project's setup class and passes cdk-nag. */
class WorkflowsAppTest {
  @Test
  void synthesizesTheEngineForThisProjectAndPassesCdkNag() throws IOException {
    Path bundle = Files.createTempDirectory("bundle");
    Files.writeString(bundle.resolve("stand-in.txt"), "the Lambda bundle's stand-in");
    Stack stack = WorkflowsApp.stack(new App(), Code.fromAsset(bundle.toString()));

    Template.fromStack(stack).hasResourceProperties("AWS::Lambda::Function", Map.of(
        "Handler", "dev.tempora.lambda.activity.ActivityTaskHandler",
        "Environment", Map.of("Variables", Match.objectLike(Map.of("TEMPORA_WORKER_SETUP", "${package}.GreetingSetup")))));
    assertEquals(List.of(), Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
  }
}
