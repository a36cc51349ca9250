package dev.tempora.examples;

import dev.tempora.client.WorkflowFailedException;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * What driving a seed scenario produced, as plain values so that two runs can be compared with
 * {@code equals}: the workflow's result ({@code String.valueOf} of it) or a description of its
 * failure, what the client's queries returned along the way, and the activity calls in order.
 */
public record Outcome(String result, String failure, List<String> observations, List<String> activityCalls) {

  public Outcome {
    observations = List.copyOf(observations);
    activityCalls = List.copyOf(activityCalls);
  }

  public static Outcome completed(Object result, List<String> observations) {
    return new Outcome(String.valueOf(result), null, observations, List.of());
  }

  public static Outcome failed(Throwable failure, List<String> observations) {
    return new Outcome(null, describe(failure), observations, List.of());
  }

  public boolean isFailure() {
    return failure != null;
  }

  public Outcome withActivityCalls(List<String> calls) {
    return new Outcome(result, failure, observations, calls);
  }

  /**
   * A failure and its causes, outermost first, e.g.
   * {@code WorkflowFailedException(FAILED) <- ActivityFailure(FulfillOrder, attempt 1) <- ApplicationFailure(OutOfStock: ...)}.
   */
  public static String describe(Throwable failure) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      parts.add(switch (t) {
        case WorkflowFailedException w -> "WorkflowFailedException(" + w.getStatus() + ")";
        case ActivityFailure a -> "ActivityFailure(" + a.getActivityType() + ", attempt " + a.getAttempt() + ")";
        case ApplicationFailure a -> "ApplicationFailure(" + a.getType() + ": " + a.getOriginalMessage()
            + (a.isNonRetryable() ? ", non-retryable" : "") + ")";
        default -> t.getClass().getSimpleName() + "(" + t.getMessage() + ")";
      });
    }
    return String.join(" <- ", parts);
  }

  @Override
  public String toString() {
    return (failure == null ? "result " + result : "failure " + failure) + "; queries " + observations
        + "; activity calls " + activityCalls;
  }
}
