package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.examples.ExamplesSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poison message on the workflow-task queue of a running devserver ends in the DLQ and is
 * visible through the {@code tempora dlq} command.
 */
class PoisonMessageCliTest {
  @TempDir Path dir;

  @Test
  void aPoisonMessageIsVisibleInTheDlqThroughTheCli() throws Exception {
    DevServer.Options options = DevServer.Options.defaults().withRedelivery(Duration.ofSeconds(1), 2);
    try (DevServer server = DevServer.start(new ExamplesSetup(), options)) {
      Path state = dir.resolve("devserver.json");
      server.writeState(state);
      String url = server.queues().get("workflow-tasks").url();
      server.aws().sqs().sendMessage(b -> b.queueUrl(url).messageBody("{not a workflow task")
          .messageGroupId("default#poisoned").messageDeduplicationId("poison-cli"));
      for (int i = 0; i < 150 && server.deadLetters("workflow-tasks").isEmpty(); i++) {
        Thread.sleep(100);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int rc = dev.tempora.cli.Tempora.run(new String[] {"--state-file", state.toString(), "dlq", "workflow-tasks"},
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
      String printed = out.toString(StandardCharsets.UTF_8);
      assertEquals(0, rc, printed);
      assertTrue(printed.contains("{not a workflow task"), printed);
    }
  }
}
