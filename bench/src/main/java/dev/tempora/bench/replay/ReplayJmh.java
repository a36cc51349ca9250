package dev.tempora.bench.replay;

import dev.tempora.history.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH benchmarks behind {@link ReplayBenchmark}: one full replay of a recorded history per
 * operation, from a cold runner, in each system. The histories come from files written by the
 * parent process (a forked JMH JVM cannot share objects with it).
 */
public class ReplayJmh {

  /** One size's histories, loaded once per trial. */
  @State(Scope.Benchmark)
  public static class Histories {
    /** Directory holding tempora-{events}.json and temporal-{events}.json. */
    @Param("")
    public String dir;

    /** The history size the files were recorded at. */
    @Param("1000")
    public int events;

    List<HistoryEvent> tempora;
    WorkflowExecutionHistory temporal;
    TestWorkflowEnvironment temporalEnv;
    Worker temporalWorker;

    @Setup(Level.Trial)
    public void load() throws Exception {
      tempora = HistoryRecorder.readTempora(Path.of(dir, "tempora-" + events + ".json"));
      temporal = HistoryRecorder.readTemporal(Path.of(dir, "temporal-" + events + ".json"));
      // Temporal's replayer needs a worker with the workflow registered. Its Class-taking
      // overload builds a whole test environment per call; creating the worker once here keeps
      // that set-up out of the measurement, so only the replay itself is timed (each replay still
      // starts from a fresh, cold workflow state: replays never use the sticky cache).
      temporalEnv = TestWorkflowEnvironment.newInstance();
      temporalWorker = temporalEnv.newWorker("replay", HistoryRecorder.temporalWorkerOptions());
      temporalWorker.registerWorkflowImplementationTypes(TemporalSteps.StepsImpl.class);
    }

    @TearDown(Level.Trial)
    public void close() {
      temporalEnv.close();
    }
  }

  @Benchmark
  public void tempora(Histories h) {
    // Throws NonDeterministicWorkflowError if the replay does not match: a wrong replay cannot
    // pass for a fast one.
    dev.tempora.testing.WorkflowReplayer.replayWorkflowExecution(h.tempora, TemporaSteps.StepsImpl.class);
  }

  @Benchmark
  public void temporal(Histories h) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(h.temporal, h.temporalWorker);
  }
}
