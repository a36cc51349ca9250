package dev.tempora.devserver.chaos;

import dev.tempora.client.WorkflowAlreadyStartedException;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowIdReusePolicy;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.DevServer;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives the workflows of a chaos run as their clients would: starts each one (retrying a failed
 * start, as a client does, except where the window says the caller gives up), sends the signals
 * its kind needs (retrying a failed signal), and follows it until its run closes or it stops
 * making progress. At most {@code concurrency} workflows are in flight. A clock mover moves the
 * stack's clock 7 days whenever an expense is waiting on its 7-day timer, after holding back the
 * approvals still on their way so they are not overtaken.
 */
final class ChaosDriver {

  /** What the driver saw of one workflow. */
  static final class Tracked {
    final ChaosPlan plan;
    volatile String runId;
    volatile boolean startAcknowledged;
    volatile boolean closed;
    volatile boolean gaveUp;
    volatile boolean done;
    volatile String progressSignature = "";
    volatile long lastProgressNanos = System.nanoTime();
    final List<String> notes = Collections.synchronizedList(new ArrayList<>());

    Tracked(ChaosPlan plan) {
      this.plan = plan;
    }

    void note(String s) {
      if (notes.size() < 20) notes.add(s);
    }
  }

  private final ChaosSettings settings;
  private final DevServer server;
  private final WorkflowClient client;
  private final Verifier verifier;
  private final List<Tracked> tracked;
  private final ApprovalGate gate = new ApprovalGate();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger clockMoves = new AtomicInteger();
  private final long deadlineNanos;
  private volatile boolean running = true;

  ChaosDriver(ChaosSettings settings, DevServer server, Verifier verifier, List<ChaosPlan> plans) {
    this.settings = settings;
    this.server = server;
    this.client = server.client();
    this.verifier = verifier;
    this.tracked = plans.stream().map(Tracked::new).toList();
    this.deadlineNanos = System.nanoTime() + settings.deadline().toNanos();
  }

  List<Tracked> tracked() {
    return tracked;
  }

  int started() {
    return started.get();
  }

  int clockMoves() {
    return clockMoves.get();
  }

  /** Drives every workflow; returns when each has closed or stalled (or the run's deadline passed). */
  void run() throws InterruptedException {
    Thread mover = Thread.ofVirtual().name("chaos-clock-mover").start(this::moveClockLoop);
    Semaphore inFlight = new Semaphore(settings.concurrency());
    List<Thread> drivers = new ArrayList<>();
    for (Tracked t : tracked) {
      inFlight.acquire();
      drivers.add(Thread.ofVirtual().name("chaos-driver-" + t.plan.index()).start(() -> {
        try {
          drive(t);
        } catch (RuntimeException e) {
          t.note("driver error: " + summary(e));
        } finally {
          t.done = true;
          inFlight.release();
        }
      }));
    }
    for (Thread d : drivers) d.join();
    running = false;
    mover.interrupt();
    mover.join();
  }

  // ------------------------------------------------------------------ one workflow

  private void drive(Tracked t) {
    ChaosPlan p = t.plan;
    boolean approval = p.kind() == SeedKind.EXPENSE_APPROVED;
    if (approval) gate.enter();
    boolean inGate = approval;
    try {
      start(t);
      started.incrementAndGet();
      RunRecord run = awaitRun(t);
      if (run == null) {
        t.note("no run recorded");
        return;
      }
      t.runId = run.run().runId();
      switch (p.kind()) {
        case EXPENSE_APPROVED -> {
          signal(t, "approve", "chaos-manager");
          awaitSignalRecorded(t, run);
          gate.leave();
          inGate = false;
        }
        case SUBSCRIPTION -> {
          awaitCharges(t, run, p.size());
          signal(t, "cancel", "chaos: enough");
        }
        default -> { }
      }
      awaitClose(t, run);
    } finally {
      if (inGate) gate.leave();
    }
  }

  private void start(Tracked t) {
    ChaosPlan p = t.plan;
    WorkflowOptions options = WorkflowOptions.newBuilder().setWorkflowId(p.workflowId())
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.REJECT_DUPLICATE).build();
    for (int attempt = 1; ; attempt++) {
      try {
        WorkflowExecution e = ChaosScope.asClient(p,
            () -> client.newUntypedWorkflowStub(p.kind().workflowType, options).start(p.kind().args(p)));
        t.runId = e.runId();
        t.startAcknowledged = true;
        return;
      } catch (WorkflowAlreadyStartedException e) {
        t.startAcknowledged = true; // an earlier attempt started it, and it has closed already
        return;
      } catch (RuntimeException e) {
        t.note("start attempt " + attempt + " failed: " + summary(e));
        if (p.window() == ChaosWindow.START_SEND_LOST || attempt >= 8) return; // this caller gives up
        sleep(Duration.ofMillis(200L * attempt));
      }
    }
  }

  /** The run the start recorded, if any (the client may have seen an error either way). */
  private RunRecord awaitRun(Tracked t) {
    for (int i = 0; i < 10; i++) {
      Optional<RunRecord> r = verifier.currentRun(t.plan.workflowId());
      if (r.isPresent()) return r.get();
      if (!t.startAcknowledged && i >= 2) return null;
      sleep(Duration.ofMillis(200));
    }
    return null;
  }

  /** Sends a signal, retrying while the client sees errors (each retry may record it once more). */
  private void signal(Tracked t, String name, String arg) {
    for (int attempt = 1; running && !timeUp(); attempt++) {
      if (closedOrStalled(t)) return;
      try {
        ChaosScope.asClient(t.plan, () -> client.newUntypedWorkflowStub(t.plan.workflowId()).signal(name, arg));
        return;
      } catch (RuntimeException e) {
        t.note("signal " + name + " attempt " + attempt + " failed: " + summary(e));
        sleep(Duration.ofMillis(Math.min(2_000, 200L * attempt)));
      }
    }
  }

  private void awaitSignalRecorded(Tracked t, RunRecord run) {
    while (running && !timeUp() && !closedOrStalled(t)) {
      if (history(run).stream().anyMatch(e -> e.event() instanceof Event.WorkflowSignaled)) return;
      sleep(Duration.ofMillis(300));
    }
  }

  private void awaitCharges(Tracked t, RunRecord run, int charges) {
    while (running && !timeUp() && !closedOrStalled(t)) {
      List<HistoryEvent> h = history(run);
      long done = h.stream().filter(e -> e.event() instanceof Event.ActivityTaskCompleted c
          && "ChargeSubscription".equals(SeedKind.typeOf(h, c.seq()))).count();
      if (done >= charges) return;
      sleep(Duration.ofMillis(300));
    }
  }

  private void awaitClose(Tracked t, RunRecord run) {
    while (!timeUp()) {
      if (closedOrStalled(t)) return;
      sleep(Duration.ofMillis(1_000));
    }
    t.gaveUp = true;
    t.note("the run's deadline passed");
  }

  /** Reads the run's state; true once it is closed or has made no progress for the stall timeout. */
  private boolean closedOrStalled(Tracked t) {
    if (t.closed || t.gaveUp) return true;
    Optional<RunRecord> r = verifier.currentRun(t.plan.workflowId());
    if (r.isEmpty()) {
      return stalled(t, "no run");
    }
    if (r.get().status().isClosed()) {
      t.closed = true;
      return true;
    }
    int lastSeq = verifier.lastBatch(r.get().run()).map(HistoryBatch::seq).orElse(0);
    return stalled(t, r.get().status() + "/" + lastSeq + "/" + r.get().taskFailure());
  }

  private boolean stalled(Tracked t, String signature) {
    if (!signature.equals(t.progressSignature)) {
      t.progressSignature = signature;
      t.lastProgressNanos = System.nanoTime();
      return false;
    }
    if (System.nanoTime() - t.lastProgressNanos > settings.stallTimeout().toNanos()) {
      t.gaveUp = true;
      t.note("no progress for " + settings.stallTimeout().toSeconds() + " s (" + signature + ")");
      return true;
    }
    return false;
  }

  private List<HistoryEvent> history(RunRecord run) {
    return HistoryChecker.events(verifier.history(run.run()));
  }

  private boolean timeUp() {
    return System.nanoTime() > deadlineNanos;
  }

  // ------------------------------------------------------------------ the clock

  /**
   * Moves the clock 7 days whenever an expense waits on a 7-day timer that has not fired in the
   * stack's time. Approvals on their way are held back first (up to 15 s; one that takes longer
   * may then time out, which its check accepts as the history shows it).
   */
  private void moveClockLoop() {
    while (running) {
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
      if (!anExpenseWaitsOnItsTimer()) continue;
      gate.beginMove(Duration.ofSeconds(15));
      try {
        server.advanceClock(Duration.ofDays(7).plusHours(1));
        clockMoves.incrementAndGet();
      } finally {
        gate.endMove();
      }
    }
  }

  private boolean anExpenseWaitsOnItsTimer() {
    Instant now = server.scheduler().now();
    for (Tracked t : tracked) {
      if (t.plan.kind() != SeedKind.EXPENSE_TIMEOUT || t.runId == null || t.closed || t.done) continue;
      Optional<RunRecord> r = verifier.currentRun(t.plan.workflowId());
      if (r.isEmpty() || r.get().status().isClosed()) continue;
      for (HistoryEvent e : history(r.get())) {
        if (e.event() instanceof Event.TimerStarted s && s.fireTime().isAfter(now)) return true;
      }
    }
    return false;
  }

  /** Holds new expense approvals back while the clock moves, and waits for the ones on their way. */
  private static final class ApprovalGate {
    private boolean moving;
    private int inFlight;

    synchronized void enter() {
      while (moving) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      inFlight++;
    }

    synchronized void leave() {
      inFlight--;
      notifyAll();
    }

    synchronized void beginMove(Duration patience) {
      moving = true;
      long end = System.nanoTime() + patience.toNanos();
      while (inFlight > 0 && System.nanoTime() < end) {
        try {
          wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    synchronized void endMove() {
      moving = false;
      notifyAll();
    }
  }

  static String summary(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 160 ? m.substring(0, 160) + "..." : m));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
