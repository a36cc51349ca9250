package dev.tempora.testing;

import dev.tempora.converter.DataConverter;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.replay.Command;
import dev.tempora.internal.replay.WorkflowImplementation;
import dev.tempora.internal.replay.WorkflowRunner;
import dev.tempora.workflow.NonDeterministicWorkflowError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replays recorded histories against workflow code, without any engine: the check to run in CI
 * before deploying changed workflow code (as Temporal's {@code WorkflowReplayer}). A history the
 * code breaks fails with {@link NonDeterministicWorkflowError} (the code no longer produces the
 * recorded commands), a {@code UnsupportedVersion: ...} failure (a getVersion range that leaves out
 * the run's recorded version), or any other reason its workflow task would fail on a coordinator.
 * The code is given as implementation classes; each history is replayed by the class of its
 * workflow type.
 */
public final class WorkflowReplayer {
  private static final long DEADLOCK_MILLIS = 10_000;

  private WorkflowReplayer() {}

  /** Replays one history; throws what breaks it. */
  public static void replayWorkflowExecution(List<HistoryEvent> history, Class<?> workflowImplementation) {
    replay(history, WorkflowImplementation.ofClass(workflowImplementation));
  }

  /** Replays one history by the class of its workflow type; throws what breaks it. */
  public static void replayWorkflowExecution(WorkflowExecutionHistory history, Class<?>... workflowImplementations) {
    replay(history, implementations(workflowImplementations));
  }

  /**
   * Replays one history whose payloads {@code converter} reads (a history written with codecs or
   * custom payload converters); throws what breaks it, a payload it cannot decode included.
   */
  public static void replayWorkflowExecution(WorkflowExecutionHistory history, DataConverter converter,
      Class<?>... workflowImplementations) {
    dev.tempora.internal.converter.DataConverter c = dev.tempora.internal.converter.DataConverter.of(converter);
    Map<String, WorkflowImplementation> impls = new HashMap<>();
    implementations(workflowImplementations).forEach((type, impl) -> impls.put(type, impl.withConverter(c)));
    replay(history, impls);
  }

  /** Replays a history file (the JSON that {@code tempora --json history} prints); throws what breaks it. */
  public static void replayWorkflowExecution(Path historyFile, Class<?>... workflowImplementations) {
    replayWorkflowExecution(WorkflowExecutionHistory.fromFile(historyFile), workflowImplementations);
  }

  /**
   * Replays every history and reports each one the code breaks. With {@code failFast}, stops at
   * the first.
   */
  public static ReplayResults replayWorkflowExecutions(Iterable<WorkflowExecutionHistory> histories, boolean failFast,
      Class<?>... workflowImplementations) {
    Map<String, WorkflowImplementation> impls = implementations(workflowImplementations);
    List<ReplayResults.ReplayError> errors = new ArrayList<>();
    int replayed = 0;
    for (WorkflowExecutionHistory h : histories) {
      replayed++;
      try {
        replay(h, impls);
      } catch (RuntimeException | NonDeterministicWorkflowError e) {
        errors.add(new ReplayResults.ReplayError(h.workflowId(), e));
        if (failFast) {
          break;
        }
      }
    }
    return new ReplayResults(replayed, errors);
  }

  /**
   * Replays every {@code *.json} history file in a directory (in name order; a file's workflow id
   * is its name without {@code .json}) and reports each one the code breaks, a file that is not a
   * history included.
   */
  public static ReplayResults replayWorkflowExecutions(Path directory, boolean failFast,
      Class<?>... workflowImplementations) {
    List<Path> files = historyFiles(directory);
    Map<String, WorkflowImplementation> impls = implementations(workflowImplementations);
    List<ReplayResults.ReplayError> errors = new ArrayList<>();
    int replayed = 0;
    for (Path f : files) {
      replayed++;
      String id = f.getFileName().toString().replaceFirst("\\.json$", "");
      try {
        replay(WorkflowExecutionHistory.fromFile(f), impls);
      } catch (RuntimeException | NonDeterministicWorkflowError e) {
        errors.add(new ReplayResults.ReplayError(id, e));
        if (failFast) {
          break;
        }
      }
    }
    return new ReplayResults(replayed, errors);
  }

  /**
   * Replays every history and throws if the code breaks any: the first failure, with the others
   * {@link Throwable#getSuppressed() suppressed}, as the JUnit one-liner for CI.
   */
  public static void replayWorkflowExecutions(Iterable<WorkflowExecutionHistory> histories,
      Class<?>... workflowImplementations) {
    throwIfAny(replayWorkflowExecutions(histories, false, workflowImplementations));
  }

  /** The directory form of {@link #replayWorkflowExecutions(Iterable, Class[])}. */
  public static void replayWorkflowExecutions(Path directory, Class<?>... workflowImplementations) {
    throwIfAny(replayWorkflowExecutions(directory, false, workflowImplementations));
  }

  private static void throwIfAny(ReplayResults results) {
    if (!results.hadAnyError()) {
      return;
    }
    Throwable first = results.allErrors().getFirst().exception();
    for (ReplayResults.ReplayError e : results.allErrors().subList(1, results.allErrors().size())) {
      first.addSuppressed(e.exception());
    }
    if (first instanceof RuntimeException r) {
      throw r;
    }
    throw (Error) first;
  }

  private static List<Path> historyFiles(Path directory) {
    try (Stream<Path> s = Files.list(directory)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list history directory " + directory, e);
    }
  }

  private static Map<String, WorkflowImplementation> implementations(Class<?>... classes) {
    if (classes.length == 0) {
      throw new IllegalArgumentException("give the workflow implementation classes to replay with");
    }
    Map<String, WorkflowImplementation> byType = new HashMap<>();
    for (Class<?> c : classes) {
      WorkflowImplementation impl = WorkflowImplementation.ofClass(c);
      byType.put(impl.workflowType(), impl);
    }
    return byType;
  }

  private static void replay(WorkflowExecutionHistory h, Map<String, WorkflowImplementation> impls) {
    String type = h.workflowType();
    // A DynamicWorkflow (shown as "*") replays every type without a class of its own.
    WorkflowImplementation impl = impls.getOrDefault(type, impls.get(WorkflowImplementation.DYNAMIC_TYPE));
    if (impl == null) {
      throw new IllegalArgumentException("UnknownWorkflowType: history " + h.workflowId() + " is of workflow type "
          + type + "; the classes given implement " + impls.keySet());
    }
    replay(h.events(), impl);
  }

  static void replay(List<HistoryEvent> history, WorkflowImplementation impl) {
    if (history.isEmpty() || !(history.getFirst().event() instanceof Event.WorkflowExecutionStarted started)) {
      throw new IllegalArgumentException("a history starts with WorkflowExecutionStarted");
    }
    RunKey run = new RunKey("replay", "replay", "replay");
    try (WorkflowRunner runner = new WorkflowRunner(run, started, impl, DEADLOCK_MILLIS)) {
      runner.replay(toBatches(history));
    }
  }

  /**
   * Cuts a flat history into workflow-task batches: a batch is inbound events, then
   * WorkflowTaskCompleted, then that task's command events; a batch without a task (terminate)
   * is a run of inbound events at the end.
   */
  static List<HistoryBatch> toBatches(List<HistoryEvent> history) {
    List<HistoryBatch> out = new ArrayList<>();
    List<HistoryEvent> current = new ArrayList<>();
    boolean inCommands = false;
    for (HistoryEvent e : history) {
      boolean command = Command.isCommandEvent(e.event());
      if (inCommands && !command) {
        out.add(new HistoryBatch(out.size() + 1, current, List.of()));
        current = new ArrayList<>();
        inCommands = false;
      }
      current.add(e);
      if (e.event() instanceof Event.WorkflowTaskCompleted) {
        inCommands = true;
      }
    }
    if (!current.isEmpty()) {
      out.add(new HistoryBatch(out.size() + 1, current, List.of()));
    }
    return out;
  }
}
