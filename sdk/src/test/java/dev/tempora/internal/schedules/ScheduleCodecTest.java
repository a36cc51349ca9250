package dev.tempora.internal.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleActionResult;
import dev.tempora.client.schedules.ScheduleActionStartWorkflow;
import dev.tempora.client.schedules.ScheduleCalendarSpec;
import dev.tempora.client.schedules.ScheduleIntervalSpec;
import dev.tempora.client.schedules.ScheduleOverlapPolicy;
import dev.tempora.client.schedules.SchedulePolicy;
import dev.tempora.client.schedules.ScheduleRange;
import dev.tempora.client.schedules.ScheduleSpec;
import dev.tempora.client.schedules.ScheduleState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule's JSON: what the table stores and the HTTP API speaks, read back to the same thing. */
class ScheduleCodecTest {
  static final Schedule FULL = Schedule.newBuilder()
      .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType("Report")
          .setOptions(WorkflowOptions.newBuilder().setTaskQueue("gpu").build()).setArguments("eu", 3).build())
      .setSpec(ScheduleSpec.newBuilder()
          .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofMinutes(30), Duration.ofMinutes(5))))
          .setCronExpressions(List.of("0 2 * * *", "CRON_TZ=Asia/Tokyo @daily"))
          .setCalendars(List.of(ScheduleCalendarSpec.newBuilder().setHour(List.of(new ScheduleRange(9, 17, 4)))
              .setDayOfWeek(List.of(new ScheduleRange(1, 5))).setComment("office hours").build()))
          .setSkip(List.of(ScheduleCalendarSpec.newBuilder().setMonth(List.of(new ScheduleRange(12))).build()))
          .setStartAt(Instant.parse("2026-01-01T00:00:00Z")).setEndAt(Instant.parse("2027-01-01T00:00:00Z"))
          .setJitter(Duration.ofSeconds(30)).setTimeZoneName("Europe/Berlin").build())
      .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.BUFFER_ALL)
          .setCatchupWindow(Duration.ofHours(1)).setPauseOnFailure(true).build())
      .setState(ScheduleState.newBuilder().setPaused(true).setNote("why").setLimitedAction(true).setRemainingActions(7).build())
      .build();

  @Test
  void aScheduleReadsBackAsWritten() {
    String json = ScheduleCodec.write(FULL).toString();
    assertEquals(json, ScheduleCodec.write(ScheduleCodec.read(ScheduleCodec.parse(json), "it")).toString());
  }

  @Test
  void anItemReadsBackAsWritten() {
    ScheduleItem item = new ScheduleItem("ns", "s1", FULL, 7, 3, false, 2, Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-02T00:00:00Z"), Instant.parse("2026-01-03T00:00:00Z"), Instant.parse("2026-01-03T00:01:00Z"),
        List.of(Instant.parse("2026-01-02T00:00:00Z"), Instant.parse("2026-01-03T00:00:00Z")),
        List.of(new WorkflowExecution("s1-2026-01-03T00:00:00Z", "r1")), List.of(Instant.parse("2026-01-03T00:00:30Z")),
        List.of(new ScheduleActionResult(Instant.parse("2026-01-03T00:00:00Z"), Instant.parse("2026-01-03T00:00:01Z"),
            new WorkflowExecution("s1-2026-01-03T00:00:00Z", "r1"), null),
            new ScheduleActionResult(Instant.parse("2026-01-03T00:00:30Z"), Instant.parse("2026-01-03T00:00:31Z"), null,
                "UnknownWorkflowType: gone")), 5, 4, 3, 2);
    ScheduleItem back = ScheduleCodec.readItem("ns", "s1", 7, ScheduleCodec.writeItem(item));
    assertEquals(ScheduleCodec.writeItem(item), ScheduleCodec.writeItem(back));
    assertEquals(item.running(), back.running());
    assertEquals(item.recent(), back.recent());
    assertEquals(item.handled(), back.handled());
    assertEquals(item.version(), back.version());
  }

  @Test
  void readingIsStrict() {
    assertEquals("UnknownField", assertThrows(InvalidRequestException.class, () -> ScheduleCodec.read(ScheduleCodec.parse(
        "{\"action\":{\"workflowType\":\"X\"},\"spec\":{\"crons\":[]}}"), "body")).getError());
    assertEquals("MissingField", assertThrows(InvalidRequestException.class, () -> ScheduleCodec.read(ScheduleCodec.parse(
        "{\"spec\":{}}"), "body")).getError());
    assertEquals("InvalidField", assertThrows(InvalidRequestException.class, () -> ScheduleCodec.read(ScheduleCodec.parse(
        "{\"action\":{\"workflowType\":\"X\"},\"spec\":{},\"policy\":{\"overlap\":\"SOMETIMES\"}}"), "body")).getError());
    assertEquals("InvalidDuration", assertThrows(InvalidRequestException.class, () -> ScheduleCodec.read(ScheduleCodec.parse(
        "{\"action\":{\"workflowType\":\"X\"},\"spec\":{\"jitter\":\"10s\"}}"), "body")).getError());
    assertEquals("InvalidField", assertThrows(InvalidRequestException.class, () -> ScheduleCodec.read(ScheduleCodec.parse(
        "{\"action\":{\"workflowType\":\"X\",\"args\":{}},\"spec\":{}}"), "body")).getError());
  }
}
