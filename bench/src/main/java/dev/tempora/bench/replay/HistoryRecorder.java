package dev.tempora.bench.replay;

import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.converter.HistoryJson;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Records histories of the benchmark shape by really running it: on Tempora's in-memory test
 * environment, and on Temporal's in-process test service (time skipping, so the timers cost
 * nothing). Each system's history is what that system would replay; they differ in how many
 * events one step takes, so {@link #stepsFor} picks the step count that gives each system a
 * history of the requested size.
 */
final class HistoryRecorder implements AutoCloseable {
  static final int TIMER_EVERY = 10;
  private static final String TASK_QUEUE = "bench";

  private final dev.tempora.testing.TestWorkflowEnvironment tempora;
  private final io.temporal.testing.TestWorkflowEnvironment temporal;
  private int ids;

  HistoryRecorder() {
    tempora = dev.tempora.testing.TestWorkflowEnvironment.newInstance();
    tempora.registerWorkflowImplementationTypes(TemporaSteps.StepsImpl.class);
    tempora.registerActivitiesImplementations(new TemporaSteps.StepActivitiesImpl());
    temporal = io.temporal.testing.TestWorkflowEnvironment.newInstance();
    Worker worker = temporal.newWorker(TASK_QUEUE, temporalWorkerOptions());
    worker.registerWorkflowImplementationTypes(TemporalSteps.StepsImpl.class);
    worker.registerActivitiesImplementations(new TemporalSteps.StepActivitiesImpl());
    temporal.start();
  }

  /**
   * Temporal's deadlock detector fails a workflow task whose thread runs 1 s without yielding,
   * which a cold JVM on a busy machine can reach while loading classes; give it the 10 s that
   * Tempora's replayer allows.
   */
  static io.temporal.worker.WorkerOptions temporalWorkerOptions() {
    return io.temporal.worker.WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(10_000).build();
  }

  List<HistoryEvent> recordTempora(int steps) {
    String id = "replay-" + (++ids);
    TemporaSteps.Steps stub = tempora.getWorkflowClient().newWorkflowStub(TemporaSteps.Steps.class,
        dev.tempora.client.WorkflowOptions.newBuilder().setWorkflowId(id).build());
    stub.run(steps, TIMER_EVERY);
    return tempora.getWorkflowClient().fetchHistory(id);
  }

  WorkflowExecutionHistory recordTemporal(int steps) {
    String id = "replay-" + (++ids);
    TemporalSteps.Steps stub = temporal.getWorkflowClient().newWorkflowStub(TemporalSteps.Steps.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TASK_QUEUE).build());
    stub.run(steps, TIMER_EVERY);
    return temporal.getWorkflowClient().fetchHistory(id);
  }

  /**
   * The step count whose history has about {@code events} events, from two small recordings
   * (events grow linearly in steps: a fixed start/close part plus a per-step part).
   */
  static int stepsFor(int events, int eventsAt20, int eventsAt40) {
    double perStep = (eventsAt40 - eventsAt20) / 20.0;
    double fixed = eventsAt20 - 20 * perStep;
    return Math.max(1, (int) Math.round((events - fixed) / perStep));
  }

  static void writeTempora(List<HistoryEvent> history, Path file) throws IOException {
    Files.writeString(file, HistoryJson.write(history));
  }

  static List<HistoryEvent> readTempora(Path file) throws IOException {
    return Arrays.asList(HistoryJson.read(Files.readString(file), HistoryEvent[].class));
  }

  static void writeTemporal(WorkflowExecutionHistory history, Path file) throws IOException {
    Files.writeString(file, history.toJson(false));
  }

  static WorkflowExecutionHistory readTemporal(Path file) throws IOException {
    return WorkflowExecutionHistory.fromJson(Files.readString(file));
  }

  @Override
  public void close() {
    temporal.close();
    tempora.close();
  }
}
