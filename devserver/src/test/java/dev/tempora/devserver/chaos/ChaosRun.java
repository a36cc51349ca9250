package dev.tempora.devserver.chaos;

import dev.tempora.client.WorkflowDescription;
import dev.tempora.devserver.DevServer;
import dev.tempora.devserver.EmbeddedAws;
import dev.tempora.devserver.SqsEventSourcePoller;
import dev.tempora.devserver.chaos.ChaosDriver.Tracked;
import dev.tempora.devserver.chaos.ChaosReport.Outcome;
import dev.tempora.devserver.chaos.ChaosReport.Verdict;
import dev.tempora.examples.etl.EtlWorkflowImpl;
import dev.tempora.examples.expense.ExpenseWorkflowImpl;
import dev.tempora.examples.fanout.FanOutWorkflowImpl;
import dev.tempora.examples.order.OrderWorkflowImpl;
import dev.tempora.examples.subscription.SubscriptionWorkflowImpl;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.worker.WorkerSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One chaos run: the embedded stack with every fault source plugged in (the {@link FaultInjector}
 * on every AWS client, {@link ChaosHooks} in the coordinator, duplicate deliveries in every event
 * source, instrumented activities), the seed workflows driven through it by {@link ChaosDriver},
 * then every workflow's run record and history checked by {@link HistoryChecker}.
 */
final class ChaosRun {
  private static final Pattern WORKFLOW_ID = Pattern.compile("chaos-[a-z-]+-\\d+");

  private ChaosRun() {}

  /** The workflows of a run: kinds by weight and windows by share, both from the seed. */
  static List<ChaosPlan> plans(ChaosSettings s) {
    Random r = new Random(s.seed());
    int totalWeight = 0;
    for (SeedKind k : SeedKind.values()) totalWeight += k.weight;
    List<ChaosPlan> plans = new ArrayList<>();
    for (int i = 0; i < s.workflows(); i++) {
      // Every kind early on, whatever the size; weighted choice after that.
      SeedKind kind = i < SeedKind.values().length ? SeedKind.values()[i] : null;
      int pick = r.nextInt(totalWeight);
      if (kind == null) {
        for (SeedKind k : SeedKind.values()) {
          if ((pick -= k.weight) < 0) {
            kind = k;
            break;
          }
        }
      }
      ChaosWindow window = ChaosWindow.NONE;
      double u = r.nextDouble();
      for (Map.Entry<ChaosWindow, Double> e : s.windowShares().entrySet()) {
        if ((u -= e.getValue()) < 0) {
          window = e.getKey();
          break;
        }
      }
      plans.add(new ChaosPlan(i, kind, "chaos-" + kind.label + "-" + i, window, kind.size(i)));
    }
    return plans;
  }

  static ChaosReport run(ChaosSettings s, Consumer<String> progress) throws InterruptedException {
    List<ChaosPlan> plans = plans(s);
    Map<String, ChaosPlan> byId = new HashMap<>();
    plans.forEach(p -> byId.put(p.workflowId(), p));
    AttemptLedger ledger = new AttemptLedger();
    AtomicReference<DevServer> stack = new AtomicReference<>();
    FaultInjector injector = new FaultInjector(s.seed(), List.of(
        WindowRules.startSendLost(),
        WindowRules.closeUpdate(byId::get, s.outage()),
        WindowRules.workerKill(s.workerKill()),
        FaultInjector.random(s.awsFaults())));
    ChaosHooks hooks = new ChaosHooks(s.coordinatorKills(), s.seed() + 1, byId::get, p -> terminateNow(stack.get(), p));
    ChaosActivities activities = new ChaosActivities(ledger, s.workerHang(), s.hang(), s.seed() + 2);
    WorkerSetup setup = w -> {
      w.registerWorkflowImplementationTypes(OrderWorkflowImpl.class, SubscriptionWorkflowImpl.class,
          ExpenseWorkflowImpl.class, EtlWorkflowImpl.class, FanOutWorkflowImpl.class);
      w.registerActivitiesImplementations(activities);
    };
    DevServer.Options defaults = DevServer.Options.defaults();
    // The run moves the clock by weeks (expense timeouts); closed runs must outlive the whole run to
    // be checked, so retention is longer than any run's span.
    DevServer.Options options = defaults.withConfig(defaults.config().withRetention(Duration.ofDays(3650)))
        .withPollers(List.of("default"), s.workflowPollers(), s.activityPollers())
        .withRedelivery(s.visibilityTimeout(), s.maxReceiveCount())
        .withHooks(hooks)
        .withInterceptors(List.of(injector))
        .withDuplicateDeliveries(new SqsEventSourcePoller.DuplicateDeliveries(s.duplicateDelivery(),
            s.concurrentDuplicateShare(), s.seed() + 3));
    long startNanos = System.nanoTime();
    try (DevServer server = DevServer.start(setup, options); Verifier verifier = new Verifier(server)) {
      stack.set(server);
      ChaosDriver driver = new ChaosDriver(s, server, verifier, plans);
      Thread ticker = Thread.ofVirtual().name("chaos-progress").start(() -> {
        while (true) {
          try {
            Thread.sleep(10_000);
          } catch (InterruptedException e) {
            return;
          }
          progress.accept(progressLine(driver, injector, startNanos));
        }
      });
      try {
        driver.run();
      } finally {
        ticker.interrupt();
      }
      progress.accept(progressLine(driver, injector, startNanos) + "; checking histories");
      Map<String, Set<String>> dlqByWorkflow = new HashMap<>();
      Map<String, Long> deadLetters = deadLetters(server, verifier, dlqByWorkflow);
      String queues = queueDepths(server);
      List<Verdict> verdicts = new ArrayList<>();
      for (Tracked t : driver.tracked()) {
        verdicts.add(verdict(t, verifier, ledger, dlqByWorkflow.getOrDefault(t.plan.workflowId(), Set.of()), queues));
      }
      injector.setEnabled(false);
      hooks.setEnabled(false);
      Map<String, Long> duplicates = new TreeMap<>();
      server.eventSources().forEach((role, pollers) ->
          duplicates.put(role, pollers.stream().mapToLong(SqsEventSourcePoller::duplicated).sum()));
      ChaosReport.Faults faults = new ChaosReport.Faults(injector.calls().values().stream().mapToLong(Long::longValue).sum(),
          injector.byKind(), injector.byOperation(), injector.byLabel(), hooks.counts(), activities.stalls(), duplicates,
          ChaosReport.windowCounts(plans));
      return new ChaosReport(s, Duration.ofNanos(System.nanoTime() - startNanos), verdicts, attempts(ledger), faults,
          deadLetters, driver.clockMoves(), server.runtime().processor.workflowTasks());
    }
  }

  private static String progressLine(ChaosDriver driver, FaultInjector injector, long startNanos) {
    long closed = driver.tracked().stream().filter(t -> t.closed).count();
    long gaveUp = driver.tracked().stream().filter(t -> t.gaveUp).count();
    long done = driver.tracked().stream().filter(t -> t.done).count();
    return String.format("chaos: %d s, started %d/%d, closed %d, given up %d, in flight %d, faults injected %,d",
        (System.nanoTime() - startNanos) / 1_000_000_000L, driver.started(), driver.tracked().size(), closed, gaveUp,
        driver.started() - done, injector.total());
  }

  /** A client's terminate, run to its end on a thread outside every fault scope (the race is the point, not its faults). */
  private static void terminateNow(DevServer server, ChaosPlan plan) {
    Thread t = Thread.ofVirtual().inheritInheritableThreadLocals(false).name("chaos-terminate").start(() -> {
      try {
        server.client().newUntypedWorkflowStub(plan.workflowId()).terminate("chaos: a terminate racing the close");
      } catch (RuntimeException e) {
        // The run may already be closed for the client: nothing to race then.
      }
    });
    try {
      t.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Every queue's messages at the end, by state at the stack's time; "delayed" includes the delayed
   * sends the stack holds until they are due (see DelayedMessages).
   */
  private static String queueDepths(DevServer server) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String role : server.queues().keySet()) {
      DevServer.QueueDepth d = server.depth(role);
      out.put(role, d.visible() + " visible/" + d.inFlight() + " in flight/" + d.delayed() + " delayed");
    }
    return out.toString();
  }

  private static Verdict verdict(Tracked t, Verifier verifier, AttemptLedger ledger, Set<String> dlqRoles,
      String queues) {
    ChaosPlan p = t.plan;
    List<String> diagnosis = new ArrayList<>();
    Optional<RunRecord> record = verifier.currentRun(p.workflowId());
    if (record.isEmpty()) {
      Outcome o = t.startAcknowledged ? Outcome.LOST : Outcome.NOT_STARTED;
      if (o == Outcome.LOST) {
        diagnosis.add("the start was acknowledged but no run is recorded");
        t.notes.forEach(n -> diagnosis.add("driver: " + n));
      }
      return new Verdict(p, o, List.of(), o == Outcome.LOST ? "acknowledged start, no run recorded" : null, diagnosis);
    }
    RunRecord r = record.get();
    List<HistoryBatch> batches = verifier.history(r.run());
    List<String> violations = HistoryChecker.check(p, r, batches, ledger);
    Outcome outcome;
    WorkflowDescription d = null;
    if (r.status().isClosed()) {
      outcome = Outcome.CLOSED;
    } else {
      d = verifier.describe(p.workflowId());
      outcome = d.taskFailure() != null ? Outcome.STUCK : Outcome.LOST;
    }
    String cause = null;
    if (outcome != Outcome.CLOSED || !violations.isEmpty()) {
      List<HistoryEvent> h = HistoryChecker.events(batches);
      cause = cause(r, h, violations, !dlqRoles.isEmpty());
      diagnosis.add("run " + r.run().runId() + ": record " + r.status()
          + (r.taskFailure() == null ? "" : ", taskFailure \"" + r.taskFailure() + "\"")
          + "; history " + h.size() + " events in " + batches.size() + " batches"
          + (t.startAcknowledged ? "" : "; the client's start saw an error"));
      if (d != null) {
        diagnosis.add("describe: pending activities " + d.pendingActivities().stream()
            .map(a -> a.activityType() + "#" + a.activityId()).toList() + ", pending timers "
            + d.pendingTimers().stream().map(x -> "#" + x.timerId() + " at " + x.fireTime()).toList()
            + (d.lastFailure() == null ? "" : ", last failure " + d.lastFailure()));
      }
      if (!dlqRoles.isEmpty()) diagnosis.add("messages of this workflow in the DLQ of " + dlqRoles);
      int from = Math.max(0, h.size() - 6);
      diagnosis.add("last events: " + h.subList(from, h.size()).stream().map(HistoryEvent::toString).toList());
      if (outcome != Outcome.CLOSED) {
        // What the next step waits for: the trigger that made the last batch (redelivered, it
        // re-sends that batch's outbox), a parked task, the activities' claims, the queues.
        if (!batches.isEmpty()) {
          HistoryBatch last = batches.getLast();
          diagnosis.add("last batch #" + last.seq() + " consumed messages " + last.messageIds());
          verifier.parked(r.run(), last.seq() + 1).ifPresent(pt -> diagnosis.add("parked in slot #" + pt.seq()
              + ": attempt " + pt.attempts() + " since " + pt.since() + ", " + pt.messages().size() + " message(s) "
              + pt.messages().stream().map(m -> m.messageId()).toList() + ", reason " + pt.reason()));
        }
        diagnosis.add("activity items (claims by attempt): " + verifier.activityItems(r.run()));
        diagnosis.add("queues at the end: " + queues);
      }
      t.notes.forEach(n -> diagnosis.add("driver: " + n));
    }
    return new Verdict(p, outcome, violations, cause, diagnosis);
  }

  /** What went wrong, in words shared by the workflows that failed the same way. */
  private static String cause(RunRecord r, List<HistoryEvent> h, List<String> violations, boolean deadLettered) {
    boolean historyClosed = h.stream().anyMatch(e -> HistoryBatch.isClosing(e.event()));
    String dlq = deadLettered ? ", its messages dead-lettered" : ", nothing in a DLQ";
    if (violations.stream().anyMatch(v -> v.contains(" closing events"))) return "two closing events in one history";
    if (historyClosed && !r.status().isClosed()) return "history closed, run record still RUNNING" + dlq;
    if (r.taskFailure() != null) {
      String failure = r.taskFailure().length() > 80 ? r.taskFailure().substring(0, 80) + "..." : r.taskFailure();
      return (h.isEmpty() ? "no history, " : "") + "parked with taskFailure \"" + failure + "\"" + dlq;
    }
    if (h.isEmpty()) return "run recorded but its start never processed (empty history)" + dlq;
    if (!r.status().isClosed()) return "stopped mid-run" + dlq;
    return "corrupted: " + violations.getFirst().replaceAll("\\d+", "N");
  }

  private static ChaosReport.Attempts attempts(AttemptLedger ledger) {
    Map<AttemptLedger.Attempt, Integer> dup = ledger.duplicates();
    Map<String, Long> byType = new TreeMap<>();
    long extra = 0;
    for (Map.Entry<AttemptLedger.Attempt, Integer> e : dup.entrySet()) {
      byType.merge(String.valueOf(ledger.type(e.getKey())), 1L, Long::sum);
      extra += e.getValue() - 1;
    }
    return new ChaosReport.Attempts(ledger.attempts(), ledger.executions(), dup.size(), extra, byType);
  }

  /**
   * Messages left in each DLQ (by queue role), and which workflows they belong to. Read with a
   * long visibility timeout: the run is over, nothing consumes them any more.
   */
  private static Map<String, Long> deadLetters(DevServer server, Verifier verifier, Map<String, Set<String>> byWorkflow) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Map.Entry<String, EmbeddedAws.Queues> q : server.queues().entrySet()) {
      String url = q.getValue().dlqUrl();
      Map<QueueAttributeName, String> a = verifier.sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
          .attributes();
      counts.put(q.getKey(), a.values().stream().mapToLong(Long::parseLong).sum());
      for (int i = 0; i < 200; i++) {
        List<Message> batch = verifier.sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(600))
            .messages();
        if (batch.isEmpty()) break;
        for (Message m : batch) {
          Matcher matcher = WORKFLOW_ID.matcher(m.body());
          if (matcher.find()) byWorkflow.computeIfAbsent(matcher.group(), k -> new TreeSet<>()).add(q.getKey());
        }
      }
    }
    return counts;
  }
}
