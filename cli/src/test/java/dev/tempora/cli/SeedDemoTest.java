package dev.tempora.cli;

import dev.tempora.devserver.DevServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.examples.ExamplesSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What bin/demo runs: every seed scenario on the embedded stack, the nightly-report schedule included. */
class SeedDemoTest {

  @Test
  void everySeedScenarioProducesItsExpectedResult() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (DevServer server = DevServer.start(new ExamplesSetup())) {
      List<String> problems = new SeedDemo(server, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
      String out = printed.toString(StandardCharsets.UTF_8);
      assertEquals(List.of(), problems, out);
      assertTrue(out.contains("=== nightly-report (workflow nightly-report-"), out);
    }
  }
}
