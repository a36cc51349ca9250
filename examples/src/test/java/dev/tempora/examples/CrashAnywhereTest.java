package dev.tempora.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.WorkflowTaskFaults;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A coordinator may die at any point of a workflow task. For each scenario and each event id k,
 * the scenario runs again with one crash injected at the first workflow task whose batch reaches
 * event k (before its commit for even k, after it for odd k); the environment redelivers the task,
 * and the outcome (result, query answers, activity calls: each activity still runs exactly once)
 * and the whole history, timestamps included, must equal those of the uninterrupted run.
 *
 * <p>Histories are compared as records with {@code equals}: every field, timestamps and recorded
 * stack traces included.
 */
class CrashAnywhereTest {

  /** Uninterrupted runs, one per scenario. */
  private static final Map<String, ScenarioRunner.Execution> BASELINES = new ConcurrentHashMap<>();

  static List<Scenario> scenarios() {
    return Scenarios.all();
  }

  private static ScenarioRunner.Execution baseline(Scenario s) {
    return BASELINES.computeIfAbsent(s.name(), n -> {
      ScenarioRunner.Execution run = s.run();
      assertEquals(s.expectedOutcome(), run.outcome(), "uninterrupted outcome of " + n);
      assertEquals(s.expectedEvents(), Scenario.describe(run.history()), "uninterrupted history of " + n);
      return run;
    });
  }

  /** Throws once, at the first task whose batch's last event id is at least {@code k}, in the given phase. */
  static final class CrashOnce implements WorkflowTaskFaults {
    final long k;
    final boolean beforeCommit;
    volatile String crashed;

    CrashOnce(long k) {
      this.k = k;
      this.beforeCommit = k % 2 == 0;
    }

    @Override
    public void beforeCommit(String workflowId, int batchSeq, long lastEventId) {
      if (beforeCommit) {
        maybeCrash("before commit", workflowId, batchSeq, lastEventId);
      }
    }

    @Override
    public void afterCommit(String workflowId, int batchSeq, long lastEventId) {
      if (!beforeCommit) {
        maybeCrash("after commit", workflowId, batchSeq, lastEventId);
      }
    }

    private void maybeCrash(String phase, String workflowId, int batchSeq, long lastEventId) {
      if (crashed == null && lastEventId >= k) {
        crashed = workflowId + " batch " + batchSeq + " (events to " + lastEventId + ") " + phase;
        throw new RuntimeException("injected crash: " + crashed);
      }
    }
  }

  @TestFactory
  List<DynamicContainer> crashAtEveryEvent() {
    return scenarios().stream().map(s -> DynamicContainer.dynamicContainer(s.name(),
        LongStream.rangeClosed(1, s.expectedEvents().size()).mapToObj(k -> DynamicTest.dynamicTest(
            "crash at event " + k + (k % 2 == 0 ? " before commit" : " after commit"),
            () -> crashAndCompare(s, k))))).toList();
  }

  private static void crashAndCompare(Scenario s, long k) {
    ScenarioRunner.Execution base = baseline(s);
    CrashOnce fault = new CrashOnce(k);
    ScenarioRunner.Execution crashed = s.run(ScenarioRunner.defaultOptions().setWorkflowTaskFaults(fault).build());
    assertNotNull(fault.crashed, "the fault never fired");
    assertEquals(base.outcome(), crashed.outcome(), "outcome after a crash at " + fault.crashed);
    assertEquals(base.history(), crashed.history(), "history after a crash at " + fault.crashed);
    // The redelivered task starts over from the store (a cache miss): it replays from scratch, or,
    // after the closing commit, finds the history closed and only finishes the close.
    assertTrue(crashed.stats().cacheMisses() > base.stats().cacheMisses(),
        "the redelivered task starts over from the store: " + crashed.stats() + " vs " + base.stats());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void withoutRunnerCacheEveryTaskReplaysAndNothingChanges(Scenario s) {
    ScenarioRunner.Execution base = baseline(s);
    TestEnvironmentOptions noCache = ScenarioRunner.defaultOptions().setRunnerCacheSize(0).build();
    ScenarioRunner.Execution run = s.run(noCache);
    assertEquals(base.outcome(), run.outcome());
    assertEquals(base.history(), run.history());
    assertEquals(0, run.stats().cacheHits());
    assertEquals(run.stats().cacheMisses(), run.stats().fullReplays(), "every task and query replayed in full");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void withoutRunnerCacheAndACrashInEveryTask(Scenario s) {
    // Cache size 0 and a crash once per task, alternately before and after its commit.
    ScenarioRunner.Execution base = baseline(s);
    WorkflowTaskFaults everyTask = new WorkflowTaskFaults() {
      private final Set<Integer> crashedBatches = new HashSet<>();

      @Override
      public void beforeCommit(String workflowId, int batchSeq, long lastEventId) {
        if (batchSeq % 2 == 0 && crashedBatches.add(batchSeq)) {
          throw new RuntimeException("injected crash before commit of batch " + batchSeq);
        }
      }

      @Override
      public void afterCommit(String workflowId, int batchSeq, long lastEventId) {
        if (batchSeq % 2 == 1 && crashedBatches.add(batchSeq)) {
          throw new RuntimeException("injected crash after commit of batch " + batchSeq);
        }
      }
    };
    ScenarioRunner.Execution run = s.run(ScenarioRunner.defaultOptions().setRunnerCacheSize(0)
        .setWorkflowTaskFaults(everyTask).build());
    assertEquals(base.outcome(), run.outcome());
    assertEquals(base.history(), run.history());
  }

  /** The stored history does not depend on cache state: warm and cold runs store the same bytes. */
  @Test
  void historyIsIdenticalWithAndWithoutRunnerCache() {
    Scenario s = Scenarios.orderCompensation();
    ScenarioRunner.Execution warm = s.run();
    ScenarioRunner.Execution cold = s.run(ScenarioRunner.defaultOptions().setRunnerCacheSize(0).build());
    assertEquals(warm.history(), cold.history());
  }
}
