package dev.tempora.cli;

import dev.tempora.devserver.DevServer;
import dev.tempora.examples.ExamplesSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded stack seen as an engine on AWS: a {@code cdk deploy --outputs-file} JSON whose
 * values point at it (its HTTP API as ApiUrl, its workflow-task queue URL), the CLI options that
 * name the other endpoints as overrides, and the stack's credential where the default credentials
 * chain reads it first (system properties).
 */
final class OutputsFileStack implements AutoCloseable {
  final DevServer server;
  final Path outputs;
  private final List<String> options;

  private OutputsFileStack(DevServer server, Path outputs) {
    this.server = server;
    this.outputs = outputs;
    this.options = List.of("--outputs-file", outputs.toString(), "--region", "us-east-1",
        "--endpoint-url", "dynamodb=" + server.aws().dynamoEndpoint(), "--endpoint-url", "sqs=" + server.aws().sqsEndpoint(),
        "--endpoint-url", "lambda=" + server.lambdaEndpoint());
  }

  /** A devserver with the example workflows and its outputs file in {@code dir}. */
  static OutputsFileStack start(Path dir) throws IOException {
    DevServer server = DevServer.start(new ExamplesSetup());
    Path outputs = dir.resolve("outputs.json");
    String queueUrl = server.queues().get("workflow-tasks").url();
    Files.writeString(outputs, "{\"OrdersEngine\": {\"ApiUrl\": \"" + server.httpApiEndpoint() + "\", \"TableName\": \""
        + server.config().tableName() + "\", \"QueryFunction\": \"" + server.config().coordinatorFunctionName()
        + "\", \"WorkflowTaskQueue\": \"" + queueUrl + "\"}}");
    System.setProperty("aws.accessKeyId", server.aws().credentialValues().accessKeyId());
    System.setProperty("aws.secretAccessKey", server.aws().credentialValues().secretAccessKey());
    return new OutputsFileStack(server, outputs);
  }

  /** The CLI's arguments: the environment's options, then {@code tail}. */
  String[] args(String... tail) {
    List<String> all = new ArrayList<>(options);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  @Override
  public void close() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    server.close();
  }
}
