package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.AsyncCompletionOnBothStacksTest.Expense;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Async activity completion over the devserver's HTTP API ({@code POST /activities/...}) and the
 * CLI's {@code activity} verbs: a token is checked like any request (named refusals, nothing
 * recorded), then completes, fails or heartbeats the activity.
 */
class AsyncCompletionHttpAndCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static DevServer server;
  static Path stateFile;

  @BeforeAll
  static void start() {
    server = DevServer.start(new AsyncCompletionOnBothStacksTest.Setup());
    stateFile = dir.resolve("devserver.json");
    DevServerState.of(server).write(stateFile);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Starts an approval workflow (one attempt) and returns its activity's task token. */
  private static String startApproval(String id) throws Exception {
    WorkflowClient client = server.client();
    Expense expense = client.newWorkflowStub(Expense.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
    WorkflowClient.start(expense::approve, "chair 90 EUR", 0, 1);
    return new String(AsyncCompletionOnBothStacksTest.awaitToken(id + "/1"), StandardCharsets.US_ASCII);
  }

  private static String result(String id) {
    return server.client().newUntypedWorkflowStub(id).getResult(Duration.ofSeconds(60), String.class);
  }

  private static long outcomes(String id) {
    return server.client().fetchHistory(id).stream().map(HistoryEvent::event)
        .filter(e -> e instanceof Event.ActivityTaskCompleted || e instanceof Event.ActivityTaskFailed).count();
  }

  private static String forged(String token) {
    char[] c = token.toCharArray();
    int at = "tt1.".length() + 5;
    c[at] = c[at] == 'A' ? 'B' : 'A';
    return new String(c);
  }

  @Test
  void completeFailAndHeartbeatOverHttp() throws Exception {
    String token = startApproval("http-approve");
    assertRefused(send("/activities/complete", "{\"taskToken\":\"" + forged(token) + "\",\"result\":\"x\"}"), 400,
        "InvalidTaskToken");
    assertRefused(send("/activities/complete", "{\"result\":\"x\"}"), 400, "MissingField");
    assertRefused(send("/activities/complete", "{\"taskToken\":\"" + token + "\",\"resutl\":\"x\"}"), 400, "UnknownField");
    assertRefused(send("/activities/fail", "{\"taskToken\":\"" + token + "\",\"failure\":{\"message\":\"m\",\"nonRetryable\":\"yes\"}}"),
        400, "InvalidField");
    assertEquals(0, outcomes("http-approve"), "nothing recorded by a refused request");

    HttpResponse<String> beat = send("/activities/heartbeat", "{\"taskToken\":\"" + token + "\",\"details\":{\"step\":2}}");
    assertEquals(200, beat.statusCode(), beat.body());
    assertFalse(JSON.readTree(beat.body()).get("cancelRequested").asBoolean());
    HttpResponse<String> done = send("/activities/complete", "{\"taskToken\":\"" + token + "\",\"result\":\"approved over http\"}");
    assertEquals(200, done.statusCode(), done.body());
    JsonNode body = JSON.readTree(done.body());
    assertEquals("http-approve", body.get("workflowId").asText());
    assertEquals("COMPLETED", body.get("outcome").asText());
    assertEquals("approved over http", result("http-approve"));
    assertRefused(send("/activities/complete", "{\"taskToken\":\"" + token + "\",\"result\":\"again\"}"), 404,
        "ActivityNotExists");
    assertEquals(1, outcomes("http-approve"));

    String rejected = startApproval("http-reject");
    HttpResponse<String> failed = send("/activities/fail", "{\"taskToken\":\"" + rejected
        + "\",\"failure\":{\"message\":\"over budget\",\"type\":\"Rejected\",\"nonRetryable\":true}}");
    assertEquals(200, failed.statusCode(), failed.body());
    assertEquals("not approved: Rejected over budget (final), attempt 1", result("http-reject"));
  }

  @Test
  void theCliVerbs() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String token = startApproval("cli-approve");
    assertEquals(3, cli(err, "activity", "complete", forged(token), "\"x\""), err.toString());
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("tempora: InvalidTaskToken: "), err.toString());
    assertEquals(2, cli(err, "activity", "approve", token), err.toString());
    assertEquals(0, cli(err, "activity", "heartbeat", token, "{\"step\":1}"), err.toString());
    assertEquals(0, cli(err, "activity", "complete", token, "\"approved from the cli\""), err.toString());
    assertEquals("approved from the cli", result("cli-approve"));
    assertEquals(3, cli(err, "activity", "complete", token, "\"again\""), err.toString());
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("tempora: ActivityNotExists: "), err.toString());

    String rejected = startApproval("cli-reject");
    assertEquals(0, cli(err, "activity", "fail", rejected, "over", "budget", "--type", "Rejected", "--non-retryable"),
        err.toString());
    assertEquals("not approved: Rejected over budget (final), attempt 1", result("cli-reject"));
  }

  private static void assertRefused(HttpResponse<String> r, int status, String error) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(error, JSON.readTree(r.body()).get("error").asText(), r.body());
  }

  private static HttpResponse<String> send(String path, String body) throws Exception {
    return LocalHttp.send(server, "POST", path, body);
  }

  private static int cli(ByteArrayOutputStream err, String... args) {
    CliRun r = CliRun.of(stateFile, args);
    err.reset();
    err.writeBytes(r.err().getBytes(StandardCharsets.UTF_8));
    return r.rc();
  }
}
