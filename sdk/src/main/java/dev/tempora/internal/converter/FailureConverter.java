package dev.tempora.internal.converter;

import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.failure.ChildWorkflowFailure;
import dev.tempora.failure.TemporaFailure;
import dev.tempora.failure.TerminatedFailure;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.history.FailureInfo;
import dev.tempora.workflow.Saga;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Exceptions to their recorded form ({@link FailureInfo}) and back to typed failures. */
public final class FailureConverter {
  private static final int MAX_STACK_CHARS = 4096;

  private FailureConverter() {}

  public static FailureInfo toInfo(Throwable t) {
    if (t == null) {
      return null;
    }
    FailureInfo cause = t.getCause() == t ? null : toInfo(t.getCause());
    // Only application failures keep a stack: the others are made by the engine, and their
    // stacks would differ between a first run and a replay for no benefit to the reader.
    String stack = t instanceof TemporaFailure && !(t instanceof ApplicationFailure) ? null
        // A failure rebuilt from history keeps the stack of where it really happened.
        : t instanceof ApplicationFailure a && a.getRecordedStackTrace() != null ? a.getRecordedStackTrace()
        : stackTrace(t);
    return switch (t) {
      case ApplicationFailure a -> new FailureInfo(FailureInfo.Kind.APPLICATION, a.getType(), a.getOriginalMessage(),
          stack, a.isNonRetryable(), a.getDetailsJson(), null, null, null, 0, cause);
      case ActivityFailure a -> new FailureInfo(FailureInfo.Kind.ACTIVITY, null, a.getMessage(), stack, false, null,
          null, a.getActivityType(), a.getActivityId(), a.getAttempt(), cause);
      case TimeoutFailure tf -> new FailureInfo(FailureInfo.Kind.TIMEOUT, null, tf.getMessage(), stack, false, null,
          tf.getTimeoutType(), null, null, 0, cause);
      case CanceledFailure c -> new FailureInfo(FailureInfo.Kind.CANCELED, null, c.getMessage(), stack, false, null,
          null, null, null, 0, cause);
      case TerminatedFailure tf -> new FailureInfo(FailureInfo.Kind.TERMINATED, null, tf.getMessage(), stack, false,
          null, null, null, null, 0, cause);
      case ChildWorkflowFailure c -> new FailureInfo(FailureInfo.Kind.CHILD_WORKFLOW, c.getWorkflowType(), c.getMessage(),
          stack, false, null, null, c.getRunId(), c.getWorkflowId(), 0, cause);
      case Saga.CompensationException s -> new FailureInfo(FailureInfo.Kind.COMPENSATION, null, s.getMessage(), stack,
          false, null, null, null, null, 0, cause);
      default -> new FailureInfo(FailureInfo.Kind.APPLICATION, t.getClass().getName(), String.valueOf(t.getMessage()),
          stack, false, "[]", null, null, null, 0, cause);
    };
  }

  public static TemporaFailure toException(FailureInfo f) {
    if (f == null) {
      return null;
    }
    Throwable cause = toException(f.cause());
    TemporaFailure e = switch (f.kind()) {
      case APPLICATION -> ApplicationFailure.fromRecord(f.message(), f.type(), f.nonRetryable(), f.detailsJson(), f.stackTrace(), cause);
      case ACTIVITY -> new ActivityFailure(f.activityType(), f.activityId(), f.attempt(), cause);
      case TIMEOUT -> new TimeoutFailure(f.timeoutType(), cause);
      case CANCELED -> new CanceledFailure(f.message());
      case TERMINATED -> new TerminatedFailure(f.message());
      case CHILD_WORKFLOW -> new ChildWorkflowFailure(f.type(), f.activityId(), f.activityType(), cause);
      case COMPENSATION -> new Saga.CompensationException(cause instanceof RuntimeException r ? r : new RuntimeException(cause));
    };
    return e;
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    String s = w.toString();
    return s.length() <= MAX_STACK_CHARS ? s : s.substring(0, MAX_STACK_CHARS);
  }
}
