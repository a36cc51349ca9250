package dev.tempora.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.devserver.DeadLetterQueues;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code tempora dlq list|redrive}: the engine's dead-letter queues, read with SQS directly (the
 * HTTP API has no DLQ routes). A role is a queue's name without the engine's prefix: {@code
 * workflow-tasks}, {@code timers}, {@code schedules}, {@code activities-default}, ...
 */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Inspect and redrive dead-lettered messages.")
final class DlqCommands {
  @ParentCommand Tempora root;

  record Queues(String url, String dlqUrl) {}

  /** The engine's queues with a DLQ, by role, found by the queue prefix (ListQueues). */
  Map<String, Queues> queues() {
    SqsClient sqs = root.env().sqs();
    String prefix = root.env().options().getQueuePrefix();
    List<String> urls = sqs.listQueuesPaginator(b -> b.queueNamePrefix(prefix)).queueUrls().stream().toList();
    Map<String, Queues> out = new TreeMap<>();
    for (String url : urls) {
      String name = url.substring(url.lastIndexOf('/') + 1);
      boolean fifo = name.endsWith(".fifo");
      String base = fifo ? name.substring(0, name.length() - 5) : name;
      if (base.endsWith("-dlq")) continue;
      String dlqName = base + "-dlq" + (fifo ? ".fifo" : "");
      urls.stream().filter(u -> u.endsWith("/" + dlqName)).findFirst()
          .ifPresent(dlq -> out.put(base.substring(prefix.length()), new Queues(url, dlq)));
    }
    return out;
  }

  String role(Map<String, Queues> queues, String role) {
    if (!queues.containsKey(role)) {
      throw new CliError.Usage("unknown role '" + role + "' (one of " + String.join(", ", queues.keySet()) + ")");
    }
    return role;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Dead-lettered messages (all roles if none given).")
  static final class ListMessages implements Callable<Integer> {
    @ParentCommand DlqCommands parent;
    @Parameters(index = "0", arity = "0..1", paramLabel = "ROLE") String role;

    @Override
    public Integer call() {
      Map<String, Queues> queues = parent.queues();
      List<String> roles = role == null ? List.copyOf(queues.keySet()) : List.of(parent.role(queues, role));
      Output o = parent.root.output();
      ArrayNode rows = Json.MAPPER.createArrayNode();
      for (String r : roles) {
        List<Message> messages = DeadLetterQueues.peek(parent.root.env().sqs(), queues.get(r).dlqUrl());
        if (o.text()) {
          if (messages.isEmpty()) {
            if (role != null) o.out.println(r + ": no dead-lettered messages");
            continue;
          }
          o.out.println(r + ": " + messages.size() + (messages.size() == 10 ? "+" : "") + " dead-lettered message(s)");
        }
        for (Message m : messages) {
          ObjectNode row = rows.addObject().put("role", r).put("messageId", m.messageId())
              .put("receiveCount", m.attributesAsStrings().getOrDefault("ApproximateReceiveCount", "?"))
              .put("body", m.body());
          if (o.text()) {
            o.out.printf("  %s  received %s time(s)  %s%n", m.messageId(), row.get("receiveCount").asText(), excerpt(m.body()));
          }
        }
      }
      if (o.text()) {
        if (role == null && rows.isEmpty()) o.out.println("no dead-lettered messages (" + String.join(", ", roles) + ")");
      } else {
        o.rows(rows, List.of("role", "messageId", "receiveCount", "body"), "");
      }
      return 0;
    }

    private static String excerpt(String body) {
      String oneLine = body.replaceAll("\\s+", " ");
      return oneLine.length() <= 100 ? oneLine : oneLine.substring(0, 100) + "...";
    }
  }

  @Command(name = "redrive", mixinStandardHelpOptions = true, description = "Move a DLQ's messages back to their queue.")
  static final class Redrive implements Callable<Integer> {
    @ParentCommand DlqCommands parent;
    @Parameters(index = "0", paramLabel = "ROLE") String role;

    @Override
    public Integer call() {
      Map<String, Queues> queues = parent.queues();
      Queues q = queues.get(parent.role(queues, role));
      int moved = DeadLetterQueues.redrive(parent.root.env().sqs(), q.url(), q.dlqUrl());
      parent.root.output().object(Json.MAPPER.createObjectNode().put("role", role).put("redriven", moved),
          "Redrove " + moved + " message(s) from the " + role + " DLQ back to its queue");
      return 0;
    }
  }
}
