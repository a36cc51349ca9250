package dev.tempora.devserver;

import dev.tempora.examples.ExamplesSetup;
import java.util.List;

/**
 * {@code devserver} with no arguments: starts the embedded stack, runs the seed workflows end to
 * end, prints each history and result, and exits 0 if all are as expected.
 */
public final class DevServerMain {
  private DevServerMain() {}

  public static void main(String[] args) {
    int status;
    try (DevServer server = DevServer.start(new ExamplesSetup())) {
      System.out.println("Embedded stack up: DynamoDB Local " + server.aws().dynamoEndpoint() + ", ElasticMQ "
          + server.aws().sqsEndpoint() + ", Scheduler stand-in " + server.scheduler().endpoint());
      System.out.println();
      List<String> problems = new SeedDemo(server, System.out).run();
      status = problems.isEmpty() ? 0 : 1;
    }
    // DynamoDB Local may leave non-daemon threads behind (NOTES-embedded-stack.md): exit explicitly.
    System.exit(status);
  }
}
