package dev.tempora.internal.memory;

import dev.tempora.client.WorkflowException;
import dev.tempora.internal.client.ResultWaiter;
import dev.tempora.internal.coordinator.ActivityTaskQueue;
import dev.tempora.internal.coordinator.TimerService;
import dev.tempora.internal.coordinator.WorkflowTaskProcessor;
import dev.tempora.internal.coordinator.WorkflowTaskQueue;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.worker.ActivityTaskExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queues and timers of the test environment, and the one thread that works them: workflow
 * tasks and activity attempts run one at a time in arrival order, so a test gives the same
 * histories every time. A workflow's messages wait in its own FIFO and are coalesced into one
 * task, as SQS FIFO groups are on AWS. Virtual time moves to the next timer only while a client
 * waits for a result (automatic time skipping) or on {@link #sleep}; while an activity runs in the
 * background it does not skip but passes as real time does (as in Temporal's test server).
 */
public final class InMemoryEngine implements WorkflowTaskQueue, ActivityTaskQueue, TimerService, ResultWaiter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InMemoryEngine.class);
  private static final int IMMEDIATE_RETRIES = 3;
  /**
   * An activity attempt that finishes within this wait keeps the run fully sequential (and
   * deterministic). A longer one continues in the background while workflow tasks go on, so a
   * workflow can, for example, cancel it and the activity learn of it at its next heartbeat.
   */
  public static final long DEFAULT_SYNC_ACTIVITY_MILLIS = 200;
  private static final ThreadLocal<Boolean> ENGINE_THREAD = ThreadLocal.withInitial(() -> false);

  private record Timer(String id, Instant fireAt, long order, Object payload) {}

  private final Object lock = new Object();
  private final VirtualClock clock;
  private final Map<String, ArrayDeque<WorkflowTaskMessage>> pending = new HashMap<>();
  private final Set<String> parked = new LinkedHashSet<>();
  private final ArrayDeque<Object> ready = new ArrayDeque<>();
  private final Set<String> readyKeys = new HashSet<>();
  private final TreeSet<Timer> timers = new TreeSet<>(Comparator.comparing(Timer::fireAt).thenComparingLong(Timer::order));
  private final Map<String, Timer> timersById = new HashMap<>();
  private final Set<String> doneTimerIds = new HashSet<>();
  private final Set<String> sentActivityTasks = new HashSet<>();
  private final Thread loop;
  private long timerOrder;
  private int inFlight;
  private int skipRequests;
  private boolean autoSkip = true;
  private boolean running = true;
  private boolean activityRunning;
  private final ExecutorService activityThreads = Executors.newVirtualThreadPerTaskExecutor();
  private WorkflowTaskProcessor processor;
  private ActivityTaskExecutor executor;

  private final long syncActivityMillis;

  public InMemoryEngine(VirtualClock clock) {
    this(clock, DEFAULT_SYNC_ACTIVITY_MILLIS);
  }

  /**
   * @param syncActivityMillis how long an activity attempt may take and still count as synchronous:
   *     stores slower than memory (DynamoDB in the parity tests) need more on a loaded machine
   */
  public InMemoryEngine(VirtualClock clock, long syncActivityMillis) {
    this.clock = clock;
    this.syncActivityMillis = syncActivityMillis;
    this.loop = Thread.ofPlatform().name("tempora-engine").daemon().unstarted(this::runLoop);
  }

  public void start(WorkflowTaskProcessor processor, ActivityTaskExecutor executor) {
    this.processor = processor;
    this.executor = executor;
    loop.start();
  }

  // ------------------------------------------------------------------------------ ports

  @Override
  public void send(List<WorkflowTaskMessage> messages) {
    synchronized (lock) {
      messages.forEach(this::enqueueLocked);
      lock.notifyAll();
    }
    if (!ENGINE_THREAD.get()) {
      // Client calls return once the engine has reacted: tests read state deterministically.
      awaitQuiet();
    }
  }

  @Override
  public void send(ActivityTask task, Duration delay) {
    synchronized (lock) {
      if (!sentActivityTasks.add(task.taskId())) {
        return;
      }
      if (delay.isZero() || delay.isNegative()) {
        ready.add(task);
      } else {
        addTimerLocked("activity " + task.taskId(), clock.instant().plus(delay), task);
      }
      lock.notifyAll();
    }
  }

  @Override
  public void schedule(String timerId, Instant fireAt, WorkflowTaskMessage message) {
    synchronized (lock) {
      if (timersById.containsKey(timerId) || doneTimerIds.contains(timerId)) {
        return;
      }
      if (!fireAt.isAfter(clock.instant())) {
        doneTimerIds.add(timerId);
        enqueueLocked(message);
      } else {
        addTimerLocked(timerId, fireAt, message);
      }
      lock.notifyAll();
    }
  }

  /**
   * Runs {@code task} on the engine thread at {@code fireAt} (virtual time), like a timer: an id
   * already scheduled or fired does nothing. The schedules arm their next firing so.
   */
  public void scheduleTask(String id, Instant fireAt, Runnable task) {
    synchronized (lock) {
      if (timersById.containsKey(id) || doneTimerIds.contains(id)) {
        return;
      }
      if (!fireAt.isAfter(clock.instant())) {
        doneTimerIds.add(id);
        ready.add(task);
      } else {
        addTimerLocked(id, fireAt, task);
      }
      lock.notifyAll();
    }
  }

  /** Any timer can be recalled here, whatever its length. */
  @Override
  public void cancel(String timerId, Duration scheduledFor) {
    synchronized (lock) {
      Timer t = timersById.remove(timerId);
      if (t != null) {
        timers.remove(t);
      }
      doneTimerIds.add(timerId);
    }
  }

  /** Waits for {@code closed}, skipping virtual time whenever nothing else can happen. */
  @Override
  public void await(BooleanSupplier closed, Duration timeout) {
    if (ENGINE_THREAD.get()) {
      throw new IllegalStateException("cannot wait for a workflow result inside an activity of the same test environment");
    }
    long deadline = saturatedDeadline(timeout);
    synchronized (lock) {
      skipRequests++;
      lock.notifyAll();
    }
    try {
      while (!closed.getAsBoolean()) {
        synchronized (lock) {
          if (!running) {
            throw new IllegalStateException("test environment closed");
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new WorkflowException(null, "timed out after " + timeout + " waiting for the workflow to close",
                new TimeoutException());
          }
          lock.wait(Math.max(1, Math.min(20, left / 1_000_000)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      synchronized (lock) {
        skipRequests--;
      }
    }
  }

  // ------------------------------------------------------------------------- controls

  /** Advances virtual time by {@code d}, running everything that becomes due on the way. */
  public void sleep(Duration d) {
    Instant target = clock.instant().plus(d);
    synchronized (lock) {
      while (true) {
        waitIdleLocked();
        Timer first = timers.isEmpty() ? null : timers.first();
        if (first == null || first.fireAt().isAfter(target)) {
          break;
        }
        fireDueLocked(first.fireAt());
      }
      clock.advanceTo(target);
    }
    awaitIdle();
  }

  public void setAutoSkip(boolean on) {
    synchronized (lock) {
      autoSkip = on;
      lock.notifyAll();
    }
  }

  /** Retries the workflows whose messages the engine holds because even parking them failed. */
  public void unparkAll() {
    synchronized (lock) {
      for (String key : parked) {
        if (pending.containsKey(key) && readyKeys.add(key)) {
          ready.add(key);
        }
      }
      parked.clear();
      lock.notifyAll();
    }
    awaitIdle();
  }

  /** Waits until nothing is ready or running, background activities included. */
  public void awaitIdle() {
    if (ENGINE_THREAD.get()) {
      return;
    }
    synchronized (lock) {
      waitIdleLocked();
    }
  }

  /** Waits until no workflow task is ready or running (a background activity may still run). */
  public void awaitQuiet() {
    if (ENGINE_THREAD.get()) {
      return;
    }
    synchronized (lock) {
      try {
        while (running && (pickableLocked() || inFlight > 0)) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public int pendingTimers() {
    synchronized (lock) {
      return timers.size();
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      running = false;
      lock.notifyAll();
    }
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    activityThreads.shutdownNow();
  }

  // --------------------------------------------------------------------------- internals

  private void enqueueLocked(WorkflowTaskMessage m) {
    String key = m.run().workflowKey();
    ArrayDeque<WorkflowTaskMessage> q = pending.computeIfAbsent(key, k -> new ArrayDeque<>());
    for (WorkflowTaskMessage existing : q) {
      if (existing.messageId().equals(m.messageId())) {
        return; // FIFO deduplication
      }
    }
    q.add(m);
    if (!parked.contains(key) && readyKeys.add(key)) {
      ready.add(key);
    }
  }

  private void addTimerLocked(String id, Instant fireAt, Object payload) {
    Timer t = new Timer(id, fireAt, timerOrder++, payload);
    timers.add(t);
    timersById.put(id, t);
  }

  /** Fires the timers due at {@code upTo}, moving the clock there; true if any fired. */
  private boolean fireDueLocked(Instant upTo) {
    clock.advanceTo(upTo);
    boolean fired = false;
    while (!timers.isEmpty() && !timers.first().fireAt().isAfter(upTo)) {
      fired = true;
      Timer t = timers.pollFirst();
      timersById.remove(t.id());
      doneTimerIds.add(t.id());
      switch (t.payload()) {
        case WorkflowTaskMessage m -> enqueueLocked(m);
        case ActivityTask a -> ready.add(a);
        case Runnable r -> ready.add(r);
        default -> throw new IllegalStateException("unknown timer payload " + t.payload());
      }
    }
    lock.notifyAll();
    return fired;
  }

  /** Real milliseconds until {@code t} while time flows (at least 1, so a wait never means forever). */
  private long millisUntil(Instant t) {
    long nanos = Duration.between(clock.instant(), t).toNanos();
    return Math.max(1, (nanos + 999_999) / 1_000_000);
  }

  /**
   * The first timer time skipping may jump to. Wake-ups of parked workflow tasks are not: jumping
   * to them would retry failing code in a tight loop while a test waits for a result. They fire
   * when time passes them for another reason (a timer, {@link #sleep}).
   */
  private Timer nextSkippableLocked() {
    for (Timer t : timers) {
      if (!(t.payload() instanceof WorkflowTaskMessage m && m.isWakeUp())) {
        return t;
      }
    }
    return null;
  }

  private void waitIdleLocked() {
    try {
      while (running && (!ready.isEmpty() || inFlight > 0 || activityRunning)) {
        lock.wait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** While an activity runs in the background, other activities wait their turn. */
  private boolean pickableLocked() {
    if (!activityRunning) {
      return !ready.isEmpty();
    }
    for (Object o : ready) {
      if (o instanceof String) {
        return true;
      }
    }
    return false;
  }

  private Object pickLocked() {
    if (!activityRunning) {
      return ready.poll();
    }
    for (Iterator<Object> it = ready.iterator(); it.hasNext(); ) {
      Object o = it.next();
      if (o instanceof String) {
        it.remove();
        return o;
      }
    }
    throw new IllegalStateException("nothing pickable");
  }

  private void runLoop() {
    ENGINE_THREAD.set(true);
    while (true) {
      Object item;
      synchronized (lock) {
        try {
          while (!pickableLocked()) {
            if (!running) {
              return;
            }
            if (activityRunning) {
              // Time follows the wall clock while an activity runs: its timers fire when due.
              if (fireDueLocked(clock.instant())) {
                continue;
              }
              lock.notifyAll();
              lock.wait(timers.isEmpty() ? 0 : millisUntil(timers.first().fireAt()));
              continue;
            }
            Timer next = ready.isEmpty() && skipRequests > 0 && autoSkip ? nextSkippableLocked() : null;
            if (next != null) {
              fireDueLocked(next.fireAt());
              continue;
            }
            lock.notifyAll();
            lock.wait();
          }
        } catch (InterruptedException e) {
          return;
        }
        item = pickLocked();
        inFlight++;
      }
      try {
        switch (item) {
          case String key -> runWorkflowTask(key);
          case ActivityTask task -> runActivity(task);
          case Runnable task -> runTask(task);
          default -> throw new IllegalStateException("unknown work item " + item);
        }
      } finally {
        synchronized (lock) {
          inFlight--;
          lock.notifyAll();
        }
      }
    }
  }

  private void runWorkflowTask(String key) {
    List<WorkflowTaskMessage> batch;
    synchronized (lock) {
      readyKeys.remove(key);
      ArrayDeque<WorkflowTaskMessage> q = pending.remove(key);
      batch = q == null ? List.of() : new ArrayList<>(q);
    }
    if (batch.isEmpty()) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        processor.process(batch);
        return;
      } catch (RuntimeException | Error e) {
        // A crash or a lost race: redeliver at once, as SQS would after the visibility timeout.
        if (attempt >= IMMEDIATE_RETRIES) {
          parkUndelivered(key, batch, attempt, e);
          return;
        }
        log.debug("workflow task of {} failed (attempt {}), redelivering: {}", key, attempt, e.toString());
      }
    }
  }

  /** After repeated errors the messages wait with their run in the store, as on AWS; in memory if even that fails. */
  private void parkUndelivered(String key, List<WorkflowTaskMessage> batch, int attempts, Throwable e) {
    try {
      processor.parkUndelivered(batch, e.toString());
      log.warn("workflow task of {} failed {} times; parked with its run: {}", key, attempts, e.toString());
    } catch (RuntimeException | Error parkFailed) {
      log.error("workflow task of {} failed {} times and could not be parked; holding its messages", key, attempts, e);
      putBack(key, batch);
    }
  }

  private void putBack(String key, List<WorkflowTaskMessage> batch) {
    synchronized (lock) {
      ArrayDeque<WorkflowTaskMessage> q = pending.computeIfAbsent(key, k -> new ArrayDeque<>());
      for (int i = batch.size() - 1; i >= 0; i--) {
        q.addFirst(batch.get(i));
      }
      parked.add(key);
    }
  }

  private void runTask(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("engine task failed", e);
    }
  }

  private void runActivity(ActivityTask task) {
    long started = System.nanoTime();
    CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
      ENGINE_THREAD.set(true);
      try {
        executor.execute(task);
      } catch (RuntimeException e) {
        log.error("activity task {} failed in the worker", task.taskId(), e);
      }
    }, activityThreads);
    try {
      done.get(syncActivityMillis, TimeUnit.MILLISECONDS);
      return;
    } catch (TimeoutException e) {
      // continues in the background
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException e) {
      return;
    }
    synchronized (lock) {
      activityRunning = true;
      // As in Temporal's test server, a running activity holds time skipping and time passes as
      // real time does, so a workflow timer can fire (and, say, cancel the activity) meanwhile.
      clock.flowFrom(started);
    }
    done.whenComplete((r, e) -> {
      synchronized (lock) {
        clock.stand();
        activityRunning = false;
        lock.notifyAll();
      }
    });
  }

  private static long saturatedDeadline(Duration timeout) {
    long now = System.nanoTime();
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE / 2;
    }
    return now + Math.min(nanos, Long.MAX_VALUE / 2);
  }
}
