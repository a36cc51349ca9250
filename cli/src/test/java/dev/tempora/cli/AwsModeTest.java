package dev.tempora.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowClientOptions;
import dev.tempora.client.aws.AwsServiceStubs;
import dev.tempora.client.aws.AwsServiceStubsOptions;
import dev.tempora.client.aws.AwsServiceStubsOptions.Service;
import dev.tempora.devserver.CliRun;
import dev.tempora.devserver.DevServer;
import dev.tempora.examples.ExamplesSetup;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS mode builds its clients from a stack's outputs: a {@code cdk deploy --outputs-file} JSON
 * whose values point at the embedded stack (its HTTP API as ApiUrl, its workflow-task queue URL),
 * the other endpoints given as overrides, the stack's credential from the default chain.
 */
class AwsModeTest {
  @TempDir static Path dir;
  static OutputsFileStack stack;
  static DevServer server;
  static Path outputs;

  @BeforeAll
  static void start() throws Exception {
    stack = OutputsFileStack.start(dir);
    server = stack.server;
    outputs = stack.outputs;
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static CliRun cli(String... args) {
    return CliRun.run(stack.args(args));
  }

  @Test
  void theCliStartsDescribesAndShowsThroughTheOutputsFile() throws Exception {
    CliRun started = cli("workflow", "start", "FanOutWorkflow", "aws-1", "3");
    assertEquals(0, started.rc(), started::toString);
    CliRun result = cli("workflow", "result", "aws-1", "--timeout", "30s");
    assertEquals("14", result.out().strip(), result::toString);
    CliRun described = cli("-o", "json", "workflow", "describe", "aws-1");
    JsonNode d = new ObjectMapper().readTree(described.out());
    assertEquals("COMPLETED", d.path("status").asText(), described::toString);
    CliRun shown = cli("workflow", "show", "aws-1");
    assertEquals(0, shown.rc(), shown::toString);
    assertTrue(shown.out().contains("WorkflowExecutionCompleted"), shown::toString);
    CliRun refused = cli("workflow", "start", "NoSuchWorkflow", "aws-2");
    assertEquals(3, refused.rc(), refused::toString);
    assertTrue(refused.err().startsWith("tempora: UnknownWorkflowType: "), refused::toString);
    CliRun dlq = cli("dlq", "list");
    assertEquals(0, dlq.rc(), dlq::toString);
    assertTrue(dlq.out().contains("workflow-tasks"), dlq::toString);
  }

  @Test
  void thePublicFactoryMakesAWorkflowClientFromTheOutputsFile() {
    AwsServiceStubsOptions options = AwsServiceStubsOptions.fromOutputsFile(outputs, null).toBuilder()
        .setRegion("us-east-1")
        .setWorkerSetup(ExamplesSetup.class.getName())
        .setEndpointOverride(Service.DYNAMODB, server.aws().dynamoEndpoint())
        .setEndpointOverride(Service.SQS, server.aws().sqsEndpoint())
        .setEndpointOverride(Service.LAMBDA, URI.create(server.lambdaEndpoint().toString()))
        .build();
    assertEquals("tempora-", options.getQueuePrefix());
    try (AwsServiceStubs service = AwsServiceStubs.newInstance(options)) {
      WorkflowClient client = WorkflowClient.newInstance(service, WorkflowClientOptions.getDefaultInstance());
      client.newUntypedWorkflowStub("FanOutWorkflow",
          dev.tempora.client.WorkflowOptions.newBuilder().setWorkflowId("aws-factory").build()).start(2);
      assertEquals(5L, client.newUntypedWorkflowStub("aws-factory").getResult(Duration.ofSeconds(30), Long.class));
      assertEquals("COMPLETED", client.describe("aws-factory").status().name());
    }
  }
}
