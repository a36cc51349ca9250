package dev.tempora.devserver.chaos;

import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Coordinator deaths at the commit boundaries of a workflow task, and the terminate that races a
 * closing commit. A death is an {@link FaultInjector.InjectedKill} (an Error, which no handler
 * catches), so the whole Lambda invocation fails, as when its container dies: every message of
 * the batch, other workflows' included, comes back after the visibility timeout.
 * <ul>
 *   <li>before the commit: the task decided, nothing is stored;
 *   <li>after the commit: the batch is stored, nothing of its outbox is sent;
 *   <li>after the dispatch: everything is sent, but the messages are not acknowledged.
 * </ul>
 * For a workflow whose window is a terminate race, the hooks run the client's terminate (to the
 * end, on another thread) at the moment of the closing batch's commit, just before it or just
 * after it.
 */
final class ChaosHooks implements WorkflowTaskHooks {

  /** Probabilities of a coordinator death per workflow task, at each point. */
  record Rates(double beforeCommit, double afterCommit, double afterDispatch) {
    Rates scaled(double f) {
      return new Rates(beforeCommit * f, afterCommit * f, afterDispatch * f);
    }
  }

  private final Rates rates;
  private final Random random;
  private final Function<String, ChaosPlan> plans;
  private final Consumer<ChaosPlan> terminate;
  private final Set<String> raced = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private volatile boolean enabled = true;

  /**
   * @param plans the plan of a workflow id (null for a workflow the suite does not know)
   * @param terminate terminates a plan's workflow and returns when the terminate has finished
   */
  ChaosHooks(Rates rates, long seed, Function<String, ChaosPlan> plans, Consumer<ChaosPlan> terminate) {
    this.rates = rates;
    this.random = new Random(seed);
    this.plans = plans;
    this.terminate = terminate;
  }

  void setEnabled(boolean on) {
    enabled = on;
  }

  /** What the hooks did, by name. */
  Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  @Override
  public void beforeCommit(RunKey run, HistoryBatch batch) {
    if (!enabled) return;
    if (race(run, batch, ChaosWindow.TERMINATE_BEFORE_CLOSE)) return;
    maybeKill(rates.beforeCommit(), "coordinator killed before commit");
  }

  @Override
  public void afterCommit(RunKey run, HistoryBatch batch) {
    if (!enabled) return;
    if (race(run, batch, ChaosWindow.TERMINATE_AFTER_CLOSE)) return;
    maybeKill(rates.afterCommit(), "coordinator killed after commit, before dispatch");
  }

  @Override
  public void afterTask(RunKey run, HistoryBatch batch, long nanos) {
    if (!enabled) return;
    maybeKill(rates.afterDispatch(), "coordinator killed after dispatch, before the messages were acknowledged");
  }

  /** Runs the terminate of a racing window at the closing batch; true if it did. */
  private boolean race(RunKey run, HistoryBatch batch, ChaosWindow window) {
    if (batch.closingEvent() == null) return false;
    ChaosPlan plan = plans.apply(run.workflowId());
    if (plan == null || plan.window() != window || !raced.add(run.workflowId())) return false;
    count("window: " + window.description);
    terminate.accept(plan);
    return true;
  }

  private void maybeKill(double probability, String what) {
    boolean kill;
    synchronized (random) {
      kill = random.nextDouble() < probability;
    }
    if (kill) {
      count(what);
      throw new FaultInjector.InjectedKill(what);
    }
  }

  private void count(String what) {
    counts.computeIfAbsent(what, k -> new LongAdder()).increment();
  }
}
