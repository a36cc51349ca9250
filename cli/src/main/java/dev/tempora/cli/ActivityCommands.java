package dev.tempora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tempora activity ...}: async activity completion by task token (ADR 19). */
@Command(name = "activity", mixinStandardHelpOptions = true, description = "Complete, fail, heartbeat or cancel an async activity by its task token.")
final class ActivityCommands {
  @ParentCommand Tempora root;

  abstract static class Verb implements Callable<Integer> {
    @ParentCommand ActivityCommands parent;
    @Parameters(index = "0", paramLabel = "TASK_TOKEN") String token;

    JsonNode post(String route, ObjectNode body) {
      body.put("taskToken", token.trim());
      return parent.root.env().api().send("POST", "/activities/" + route, body).orThrow();
    }

    Output out() {
      return parent.root.output();
    }
  }

  @Command(name = "complete", mixinStandardHelpOptions = true, description = "Complete it with a JSON result.")
  static final class Complete extends Verb {
    @Parameters(index = "1", arity = "0..1", paramLabel = "RESULT") String result;

    @Override
    public Integer call() {
      ObjectNode b = Json.MAPPER.createObjectNode();
      if (result != null) b.set("result", Json.value(result, "the result"));
      out().object(post("complete", b), "Completed the activity");
      return 0;
    }
  }

  @Command(name = "fail", mixinStandardHelpOptions = true, description = "Fail it (retried by its policy unless non-retryable).")
  static final class Fail extends Verb {
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "MESSAGE") List<String> message = new ArrayList<>();
    @Option(names = "--type", paramLabel = "T", description = "the failure type (default ActivityFailed)") String type;
    @Option(names = "--non-retryable") boolean nonRetryable;

    @Override
    public Integer call() {
      String m = String.join(" ", message);
      ObjectNode b = Json.MAPPER.createObjectNode();
      ObjectNode f = b.putObject("failure").put("message", m).put("nonRetryable", nonRetryable);
      if (type != null) f.put("type", type);
      out().object(post("fail", b), "Failed the activity: " + m);
      return 0;
    }
  }

  @Command(name = "heartbeat", mixinStandardHelpOptions = true, description = "Record progress; says whether cancel was requested.")
  static final class Heartbeat extends Verb {
    @Parameters(index = "1", arity = "0..1", paramLabel = "DETAILS") String details;

    @Override
    public Integer call() {
      ObjectNode b = Json.MAPPER.createObjectNode();
      if (details != null) b.set("details", Json.value(details, "the details"));
      JsonNode r = post("heartbeat", b);
      out().object(r, r.path("cancelRequested").asBoolean()
          ? "Heartbeat recorded; cancel requested: stop and report it with 'activity cancel'" : "Heartbeat recorded");
      return 0;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Report it canceled.")
  static final class Cancel extends Verb {
    @Override
    public Integer call() {
      out().object(post("cancel", Json.MAPPER.createObjectNode()), "Reported the activity canceled");
      return 0;
    }
  }
}
