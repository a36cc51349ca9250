package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleActionStartWorkflow;
import dev.tempora.client.schedules.ScheduleClient;
import dev.tempora.client.schedules.ScheduleSpec;
import dev.tempora.internal.aws.AwsScheduleTicker;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;


/**
 * The schedule routes of the HTTP API and the CLI's schedule verbs on the devserver: both refuse
 * what the Java client refuses, with the same error names (ADR 0010's one validation path), and
 * write nothing then (no item, no Scheduler schedule).
 */
class SchedulesHttpAndCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static DevServer server;
  static Path stateFile;

  @BeforeAll
  static void start() {
    server = DevServer.start(new SchedulesOnBothStacksTest.JobSetup());
    stateFile = dir.resolve("devserver.json");
    server.writeState(stateFile);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Refusal(String error, String body, List<String> cli, Schedule schedule) {}

  private static Schedule cron(String type, String cron, String zone) {
    return Schedule.newBuilder().setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(type).setArguments(false).build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(cron)).setTimeZoneName(zone).build()).build();
  }

  @Test
  void refusalsAreTheSameOnEveryPathAndWriteNothing() throws Exception {
    List<Refusal> refusals = List.of(
        new Refusal("InvalidCronExpression",
            "{\"scheduleId\":\"r\",\"action\":{\"workflowType\":\"Job\",\"args\":[false]},\"spec\":{\"cronExpressions\":[\"0 25 * * *\"]}}",
            List.of("schedule", "create", "r", "Job", "false", "--cron", "0 25 * * *"), cron("Job", "0 25 * * *", null)),
        new Refusal("InvalidTimeZone",
            "{\"scheduleId\":\"r\",\"action\":{\"workflowType\":\"Job\",\"args\":[false]},\"spec\":{\"cronExpressions\":[\"0 2 * * *\"],\"timeZone\":\"Europe/Atlantis\"}}",
            List.of("schedule", "create", "r", "Job", "false", "--cron", "0 2 * * *", "--tz", "Europe/Atlantis"),
            cron("Job", "0 2 * * *", "Europe/Atlantis")),
        new Refusal("UnknownWorkflowType",
            "{\"scheduleId\":\"r\",\"action\":{\"workflowType\":\"Nope\"},\"spec\":{\"cronExpressions\":[\"0 2 * * *\"]}}",
            List.of("schedule", "create", "r", "Nope", "--cron", "0 2 * * *"), cron("Nope", "0 2 * * *", null)),
        new Refusal("InvalidArguments",
            "{\"scheduleId\":\"r\",\"action\":{\"workflowType\":\"Job\",\"args\":[\"x\",1]},\"spec\":{\"cronExpressions\":[\"0 2 * * *\"]}}",
            List.of("schedule", "create", "r", "Job", "\"x\"", "1", "--cron", "0 2 * * *"), null),
        new Refusal("UnknownField",
            "{\"scheduleId\":\"r\",\"action\":{\"workflowType\":\"Job\"},\"spec\":{\"cron\":[\"0 2 * * *\"]}}", null, null));
    for (Refusal r : refusals) {
      HttpResponse<String> http = send("POST", "/schedules", r.body());
      assertEquals(400, http.statusCode(), http.body());
      assertEquals(r.error(), JSON.readTree(http.body()).get("error").asText(), http.body());
      if (r.cli() != null) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(3, cli(err, r.cli().toArray(String[]::new)), err.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("tempora: " + r.error() + ": "), err.toString());
      }
      if (r.schedule() != null) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
            () -> ScheduleClient.newInstance(server.client()).createSchedule("r", r.schedule()));
        assertEquals(r.error(), e.getError());
      }
    }
    assertEquals(404, send("GET", "/schedules/r", "").statusCode());
    String name = AwsScheduleTicker.scheduleName(server.config().namespace(), "r");
    assertThrows(ResourceNotFoundException.class, () -> server.runtime()
        .clients.scheduler().getSchedule(b -> b.name(name).groupName(server.config().scheduleGroup())));
  }

  @Test
  void everyRouteOverHttp() throws Exception {
    HttpResponse<String> created = send("POST", "/schedules",
        "{\"scheduleId\":\"h1\",\"action\":{\"workflowType\":\"Job\",\"args\":[false]},"
            + "\"spec\":{\"cronExpressions\":[\"0 2 * * *\"],\"timeZone\":\"Europe/Berlin\"},\"policy\":{\"overlap\":\"BUFFER_ONE\"}}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("/schedules/h1", created.headers().firstValue("Location").orElseThrow());
    assertEquals(409, send("POST", "/schedules",
        "{\"scheduleId\":\"h1\",\"action\":{\"workflowType\":\"Job\",\"args\":[false]},\"spec\":{\"cronExpressions\":[\"0 2 * * *\"]}}").statusCode());
    JsonNode d = JSON.readTree(send("GET", "/schedules/h1", "").body());
    assertEquals("BUFFER_ONE", d.at("/policy/overlap").asText());
    assertEquals(10, d.at("/info/nextActionTimes").size());
    String name = AwsScheduleTicker.scheduleName(server.config().namespace(), "h1");
    assertEquals("cron(0 2,3 * * ? *)", server.runtime().clients.scheduler()
        .getSchedule(b -> b.name(name).groupName(server.config().scheduleGroup())).scheduleExpression());
    JsonNode paused = JSON.readTree(send("POST", "/schedules/h1/pause", "{\"note\":\"holidays\"}").body());
    assertEquals("holidays", paused.at("/state/note").asText());
    assertEquals(0, paused.at("/info/nextActionTimes").size());
    assertEquals(200, send("POST", "/schedules/h1/unpause", "").statusCode());
    HttpResponse<String> triggered = send("POST", "/schedules/h1/trigger", "{\"overlapPolicy\":\"ALLOW_ALL\"}");
    assertEquals(202, triggered.statusCode(), triggered.body());
    assertEquals(1, JSON.readTree(triggered.body()).at("/info/numActions").asLong());
    HttpResponse<String> backfilled = send("POST", "/schedules/h1/backfill",
        "{\"startAt\":\"2026-01-01T00:00:00Z\",\"endAt\":\"2026-01-04T00:00:00Z\",\"overlapPolicy\":\"ALLOW_ALL\"}");
    assertEquals(202, backfilled.statusCode(), backfilled.body());
    assertEquals(4, JSON.readTree(backfilled.body()).at("/info/numActions").asLong());
    assertEquals(200, send("PUT", "/schedules/h1",
        "{\"action\":{\"workflowType\":\"Job\",\"args\":[false]},\"spec\":{\"cronExpressions\":[\"*/5 * * * *\"]}}").statusCode());
    assertEquals("*/5 * * * *", JSON.readTree(send("GET", "/schedules/h1", "").body()).at("/spec/cronExpressions/0").asText());
    assertEquals("h1", JSON.readTree(send("GET", "/schedules", "").body()).at("/schedules/0/scheduleId").asText());
    assertEquals(200, send("DELETE", "/schedules/h1", "").statusCode());
    HttpResponse<String> gone = send("GET", "/schedules/h1", "");
    assertEquals(404, gone.statusCode());
    assertEquals("ScheduleNotFound", JSON.readTree(gone.body()).get("error").asText());
    assertThrows(ResourceNotFoundException.class, () -> server.runtime()
        .clients.scheduler().getSchedule(b -> b.name(name).groupName(server.config().scheduleGroup())));
  }

  @Test
  void everyVerbOfTheCli() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, cli(err, "schedule", "create", "c1", "Job", "false", "--every", "30m", "--overlap", "SKIP"));
    assertEquals(0, cli(err, "schedule", "list"));
    assertEquals(0, cli(err, "schedule", "describe", "c1"));
    assertEquals(0, cli(err, "--json", "schedule", "describe", "c1"));
    assertEquals(0, cli(err, "schedule", "pause", "c1", "for", "a", "while"));
    assertEquals(0, cli(err, "schedule", "unpause", "c1"));
    assertEquals(0, cli(err, "schedule", "trigger", "c1"));
    assertEquals(0, cli(err, "schedule", "backfill", "c1", "2026-01-01T00:00:00Z", "2026-01-01T02:00:00Z"));
    assertEquals(0, cli(err, "schedule", "update", "c1",
        "{\"action\":{\"workflowType\":\"Job\",\"args\":[false]},\"spec\":{\"cronExpressions\":[\"@hourly\"]}}"));
    assertEquals(0, cli(err, "schedule", "delete", "c1"), err.toString());
    assertEquals(1, cli(err, "schedule", "describe", "c1"));
    assertEquals(2, cli(err, "schedule", "create", "c2", "Job"));
    assertEquals(2, cli(err, "schedule", "fly"));
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    return LocalHttp.send(server, method, path, body);
  }

  private static int cli(ByteArrayOutputStream err, String... args) {
    CliRun r = CliRun.of(stateFile, args);
    err.reset();
    err.writeBytes(r.err().getBytes(StandardCharsets.UTF_8));
    return r.rc();
  }
}
