package dev.tempora.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.devserver.CliRun;
import dev.tempora.devserver.DevServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tempora --outputs-file F ui --port 0} serves the Web UI over an engine on AWS (here the
 * embedded stack, reached through a {@code cdk deploy --outputs-file} JSON as in {@link
 * AwsModeTest}): the page, and the HTTP API under /api with the token from the printed URL, and
 * nothing under /api without it. The CLI has no workflow code: starts are checked against the
 * published catalog and queries go to the coordinator function.
 */
class UiCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/#token=([A-Za-z0-9_-]+)");
  @TempDir static Path dir;
  static OutputsFileStack stack;
  static DevServer server;

  @BeforeAll
  static void start() throws Exception {
    stack = OutputsFileStack.start(dir);
    server = stack.server;
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static String[] args(String... tail) {
    return stack.args(tail);
  }

  @Test
  void servesThePageAndTheApiWithTheTokenOfThePrintedUrl() throws Exception {
    CliRun started = CliRun.run(args("workflow", "start", "LedgerWorkflow", "ui-ledger", "\"acct-1\"", "250", "0", "[]"));
    assertEquals(0, started.rc(), started::toString);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicInteger rc = new AtomicInteger(-1);
    Thread ui = new Thread(() -> rc.set(Tempora.run(args("ui", "--port", "0"),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))));
    ui.start();
    try {
      Matcher m = URL.matcher("");
      for (int i = 0; i < 600 && !m.find(); i++) {
        assertTrue(ui.isAlive(), () -> "tempora ui ended: " + out + err);
        Thread.sleep(50);
        m = URL.matcher(out.toString(StandardCharsets.UTF_8));
      }
      assertTrue(m.find(0), () -> "no URL printed: " + out + err);
      String base = m.group(1);
      String token = m.group(2);
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("app.js"), page::body);

      HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "/api/workflows"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, list.statusCode(), list::body);
      assertTrue(list.body().contains("\"ui-ledger\""), list::body);

      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "/api/workflows")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, refused.statusCode());
      assertEquals("Unauthorized", JSON.readTree(refused.body()).path("error").asText());

      // No workflow code in the CLI: the coordinator function answers the query.
      HttpResponse<String> query = http.send(HttpRequest.newBuilder(URI.create(base + "/api/workflows/ui-ledger/queries/balance"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, query.statusCode(), query::body);
      assertEquals(250, JSON.readTree(query.body()).path("result").asLong(), query::body);

      // ... and starts are checked against the catalog the engine published.
      HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "/api/workflows"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"workflowType\": \"NoSuchWorkflow\", \"workflowId\": \"ui-x\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("UnknownWorkflowType", JSON.readTree(unknown.body()).path("error").asText(), unknown::body);
    } finally {
      ui.interrupt();
      ui.join(30_000);
    }
    assertEquals(0, rc.get(), () -> out + "" + err);
  }

  @Test
  void onTheDevserverItPointsAtTheBannersUrl() throws Exception {
    Path stateFile = dir.resolve("absent-but-named.json");
    Files.writeString(stateFile, "{}");
    CliRun r = CliRun.run("--state-file", stateFile.toString(), "-o", "json", "ui");
    assertEquals(0, r.rc(), r::toString);
    JsonNode j = JSON.readTree(r.out());
    assertTrue(j.path("url").isNull(), r::toString);
    assertTrue(j.path("message").asText().contains("banner"), r::toString);
  }
}
