package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.ActivityRetryDescribeOnBothStacksTest.Caller;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, the CLI's part of "describe of a retrying activity shows attempt and last failure on
 * all three interfaces" (the client and the HTTP API: ActivityRetryDescribeOnBothStacksTest): an
 * activity that failed once and waits an hour for its second attempt, described by {@code tempora
 * workflow describe} as text and as JSON.
 */
class RetryingActivityDescribeCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static DevServer server;
  static Path stateFile;

  @BeforeAll
  static void start() {
    server = DevServer.start(new ActivityRetryDescribeOnBothStacksTest.Setup());
    stateFile = dir.resolve("devserver.json");
    server.writeState(stateFile);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void describeShowsThePendingActivitysAttemptAndLastFailure() throws Exception {
    WorkflowClient client = server.client();
    String id = "cli-retry-describe";
    WorkflowClient.start(client.newWorkflowStub(Caller.class, WorkflowOptions.newBuilder().setWorkflowId(id)
        .setTaskQueue("default").build())::run, "order-7");
    JsonNode activity = ActivityRetryDescribeOnBothStacksTest.await(() -> {
      CliRun r = CliRun.of(stateFile, "-o", "json", "workflow", "describe", id);
      assertEquals(0, r.rc(), r::toString);
      try {
        JsonNode a = JSON.readTree(r.out()).path("pendingActivities").path(0);
        return a.hasNonNull("lastFailure") ? a : null;
      } catch (java.io.IOException e) {
        throw new AssertionError(r.out(), e);
      }
    });
    assertTrue(activity.path("attempt").asInt() >= 2, activity::toString);
    assertEquals("backend unavailable for order-7", activity.path("lastFailure").path("message").asText());

    CliRun text = CliRun.of(stateFile, "workflow", "describe", id);
    assertEquals(0, text.rc(), text::toString);
    String out = text.out();
    assertTrue(out.matches("(?s).*\\battempt\\s*[:=]?\\s*2\\b.*"), out);
    assertTrue(out.contains("backend unavailable for order-7"), out);
    assertTrue(out.contains("connection refused"), "the cause chain: " + out);
    assertFalse(out.contains("{\"") || out.contains("\\\""), "no raw JSON in text: " + out);
    assertFalse(out.contains("WorkflowDescription") || out.contains("\tat "), out);
    client.newUntypedWorkflowStub(id).terminate("test done");
  }
}
