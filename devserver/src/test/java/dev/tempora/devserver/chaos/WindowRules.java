package dev.tempora.devserver.chaos;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.devserver.chaos.FaultInjector.Fail;
import dev.tempora.devserver.chaos.FaultInjector.Kill;
import dev.tempora.devserver.chaos.FaultInjector.Kind;
import dev.tempora.devserver.chaos.FaultInjector.Rule;
import dev.tempora.devserver.chaos.FaultInjector.Window;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

/**
 * The {@link FaultInjector} rules that aim at one workflow's worst moment (its {@link ChaosWindow}),
 * and the activity worker's death between running an attempt and sending its outcome.
 */
final class WindowRules {
  private WindowRules() {}

  /** Fails the SQS send of the start message of a START_SEND_LOST workflow's client (the run is committed by then). */
  static Rule startSendLost() {
    return (call, rnd) -> {
      ChaosPlan client = call.caller().client();
      if (client == null || client.window() != ChaosWindow.START_SEND_LOST) return null;
      if (!(call.request() instanceof SendMessageBatchRequest r)) return null;
      boolean start = r.entries().stream().anyMatch(e -> e.messageBody().contains("/start\""));
      return start ? new Fail(Window.BEFORE, anyKind(rnd), "window: " + ChaosWindow.START_SEND_LOST.description) : null;
    };
  }

  /**
   * Fails the coordinator's UpdateItem that marks a CLOSE_UPDATE_* workflow's run record closed:
   * once, or for every call within {@code outage} of the first.
   */
  static Rule closeUpdate(Function<String, ChaosPlan> plans, Duration outage) {
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    Map<String, Long> outageEnds = new ConcurrentHashMap<>();
    return (call, rnd) -> {
      if (!call.caller().isFunction() || !(call.request() instanceof UpdateItemRequest r) || !closesRun(r)) return null;
      String workflowId = workflowIdOf(r);
      ChaosPlan plan = workflowId == null ? null : plans.apply(workflowId);
      if (plan == null) return null;
      Fail fail = new Fail(Window.BEFORE, anyKind(rnd), "window: " + plan.window().description);
      return switch (plan.window()) {
        case CLOSE_UPDATE_FAILS_ONCE -> failedOnce.add(workflowId) ? fail : null;
        case CLOSE_UPDATE_OUTAGE -> {
          long end = outageEnds.computeIfAbsent(workflowId, k -> System.nanoTime() + outage.toNanos());
          yield System.nanoTime() < end ? fail : null;
        }
        default -> null;
      };
    };
  }

  /**
   * Kills an activity worker after it ran an attempt, as it sends the outcome (to the workflow-task
   * queue) or the next attempt (a retry, to the activity queue): nothing is sent, the message is
   * not acknowledged, and SQS delivers the attempt again.
   */
  static Rule workerKill(double probability) {
    return (call, rnd) -> {
      if (!call.caller().isActivityWorker()) return null;
      if (!call.operation().equals("SendMessageBatch") && !call.operation().equals("SendMessage")) return null;
      return rnd.nextDouble() < probability
          ? new Kill("activity worker killed after running the attempt, before its outcome was sent", "worker killed before sending the outcome")
          : null;
    };
  }

  private static Kind anyKind(Random rnd) {
    return Kind.values()[rnd.nextInt(Kind.values().length)];
  }

  /** An UpdateItem of a run item ({@code sk = run#...}) that sets a closed status. */
  static boolean closesRun(UpdateItemRequest r) {
    AttributeValue sk = r.key().get("sk");
    if (sk == null || sk.s() == null || !sk.s().startsWith("run#") || !r.hasExpressionAttributeValues()) return false;
    return r.expressionAttributeValues().values().stream().anyMatch(v -> v.s() != null && isClosedStatus(v.s()));
  }

  private static boolean isClosedStatus(String s) {
    for (WorkflowExecutionStatus st : WorkflowExecutionStatus.values()) {
      if (st.isClosed() && st.name().equals(s)) return true;
    }
    return false;
  }

  /** The workflow id of a Tempora table key ({@code pk = namespace#workflowId}). */
  static String workflowIdOf(UpdateItemRequest r) {
    AttributeValue pk = r.key().get("pk");
    if (pk == null || pk.s() == null) return null;
    int hash = pk.s().indexOf('#');
    return hash < 0 ? null : pk.s().substring(hash + 1);
  }
}
