package dev.tempora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tempora schedule ...}: schedules (ADR 14) through the HTTP API's schedule routes. */
@Command(name = "schedule", mixinStandardHelpOptions = true, description = "Create and operate on schedules.")
final class ScheduleCommands {
  @ParentCommand Tempora root;

  abstract static class Verb implements Callable<Integer> {
    @ParentCommand ScheduleCommands parent;

    Output out() {
      return parent.root.output();
    }

    HttpApiClient api() {
      return parent.root.env().api();
    }

    static String path(String id) {
      return "/schedules/" + HttpApiClient.enc(id);
    }

    static String overlap(String v) {
      if (v == null) return null;
      String u = v.toUpperCase(Locale.ROOT);
      if (!List.of("SKIP", "BUFFER_ONE", "BUFFER_ALL", "CANCEL_OTHER", "TERMINATE_OTHER", "ALLOW_ALL").contains(u)) {
        throw new CliError.Usage("--overlap must be one of SKIP, BUFFER_ONE, BUFFER_ALL, CANCEL_OTHER, TERMINATE_OTHER, ALLOW_ALL");
      }
      return u;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a schedule that starts TYPE.")
  static final class Create extends Verb {
    @Parameters(index = "0", paramLabel = "SCHEDULE_ID") String id;
    @Parameters(index = "1", paramLabel = "TYPE") String type;
    @Parameters(index = "2..*", paramLabel = "ARG") List<String> args = new ArrayList<>();
    @Option(names = "--cron", paramLabel = "EXPR") String cron;
    @Option(names = "--every", paramLabel = "D", description = "e.g. 30m") String every;
    @Option(names = "--tz", paramLabel = "ZONE") String tz;
    @Option(names = "--overlap", paramLabel = "P") String overlap;
    @Option(names = "--task-queue", paramLabel = "Q") String taskQueue;
    @Option(names = "--paused") boolean paused;

    @Override
    public Integer call() {
      if ((cron == null) == (every == null)) throw new CliError.Usage("schedule create: give one of --cron EXPR or --every DURATION");
      ObjectNode b = Json.MAPPER.createObjectNode().put("scheduleId", id);
      ObjectNode action = b.putObject("action").put("workflowType", type);
      if (taskQueue != null) action.put("taskQueue", taskQueue);
      ArrayNode a = Args.json(args, 3);
      if (!a.isEmpty()) action.set("args", a);
      ObjectNode spec = b.putObject("spec");
      spec.putArray("cronExpressions").add(cron != null ? cron : "@every " + every);
      if (tz != null) spec.put("timeZone", tz);
      if (overlap != null) b.putObject("policy").put("overlap", overlap(overlap));
      if (paused) b.putObject("state").put("paused", true);
      JsonNode r = api().send("POST", "/schedules", b).orThrow();
      out().object(r, "Created schedule " + id);
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The schedules.")
  static final class ListSchedules extends Verb {
    @Override
    public Integer call() {
      JsonNode r = api().get("/schedules").orThrow();
      out().rows(r.path("schedules"), List.of("scheduleId", "workflowType", "paused", "nextActionTimes"), "no schedules");
      return 0;
    }
  }

  @Command(name = "describe", mixinStandardHelpOptions = true, description = "A schedule, its state and recent actions.")
  static final class Describe extends Verb {
    @Parameters(index = "0", paramLabel = "SCHEDULE_ID") String id;

    @Override
    public Integer call() {
      out().object(api().get(path(id)).orThrow(), null);
      return 0;
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Replace its definition (the HTTP API's JSON shape).")
  static final class Update extends Verb {
    @Parameters(index = "0", paramLabel = "SCHEDULE_ID") String id;
    @Parameters(index = "1", paramLabel = "SCHEDULE_JSON") String schedule;

    @Override
    public Integer call() {
      JsonNode r = api().send("PUT", path(id), Json.value(schedule, "the schedule")).orThrow();
      out().object(r, "Updated schedule " + id);
      return 0;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause it, with a note.")
  static final class Pause extends Verb {
    @Parameters(index = "0", paramLabel = "SCHEDULE_ID") String id;
    @Parameters(index = "1..*", paramLabel = "NOTE") List<String> note = new ArrayList<>();

    @Override
    public Integer call() {
      JsonNode r = api().send("POST", path(id) + "/pause",
          Json.MAPPER.createObjectNode().put("note", note.isEmpty() ? "paused" : String.join(" ", note))).orThrow();
      out().object(r, "Paused schedule " + id);
      return 0;
    }
  }

  @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Unpause it, with a note.")
  static final class Unpause extends Verb {
    @Parameters(index = "0", paramLabel = "SCHEDULE_ID") String id;
    @Parameters(index = "1..*", paramLabel = "NOTE") List<String> note = new ArrayList<>();

    @Override
    public Integer call() {
      JsonNode r = api().send("POST", path(id) + "/unpause",
          Json.MAPPER.createObjectNode().put("note", note.isEmpty() ? "unpaused" : String.join(" ", note))).orThrow();
      out().object(r, "Unpaused schedule " + id);
      return 0;
    }
  }

  @Command(name = "trigger", mixinStandardHelpOptions = true, description = "Take the action now.")
  static final class Trigger extends Verb {
    @Parameters(index = "0", paramLabel = "SCHEDULE_ID") String id;
    @Option(names = "--overlap", paramLabel = "P") String overlap;

    @Override
    public Integer call() {
      ObjectNode b = Json.MAPPER.createObjectNode();
      if (overlap != null) b.put("overlapPolicy", overlap(overlap));
      JsonNode r = api().send("POST", path(id) + "/trigger", b).orThrow();
      out().object(r, "Triggered schedule " + id);
      return 0;
    }
  }

  @Command(name = "backfill", mixinStandardHelpOptions = true, description = "Take the actions of [START, END).")
  static final class Backfill extends Verb {
    @Parameters(index = "0", paramLabel = "SCHEDULE_ID") String id;
    @Parameters(index = "1", paramLabel = "START") String start;
    @Parameters(index = "2", paramLabel = "END") String end;
    @Option(names = "--overlap", paramLabel = "P") String overlap;

    @Override
    public Integer call() {
      try {
        Instant.parse(start);
        Instant.parse(end);
      } catch (DateTimeParseException e) {
        throw new CliError.Usage("schedule backfill: START and END are ISO-8601 instants, e.g. 2026-01-01T00:00:00Z");
      }
      ObjectNode b = Json.MAPPER.createObjectNode().put("startAt", start).put("endAt", end);
      if (overlap != null) b.put("overlapPolicy", overlap(overlap));
      JsonNode r = api().send("POST", path(id) + "/backfill", b).orThrow();
      out().object(r, "Backfilled schedule " + id + " from " + start + " to " + end);
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete it (its workflows keep running).")
  static final class Delete extends Verb {
    @Parameters(index = "0", paramLabel = "SCHEDULE_ID") String id;

    @Override
    public Integer call() {
      JsonNode r = api().send("DELETE", path(id), null).orThrow();
      out().object(r, "Deleted schedule " + id);
      return 0;
    }
  }
}
