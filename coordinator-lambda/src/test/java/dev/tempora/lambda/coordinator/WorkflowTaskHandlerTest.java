package dev.tempora.lambda.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.Event;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.coordinator.Outbox;
import dev.tempora.internal.coordinator.RunnerCache;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.coordinator.WorkflowTaskProcessor;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.memory.InMemoryEngine;
import dev.tempora.internal.memory.InMemoryHeartbeatStore;
import dev.tempora.internal.memory.InMemoryHistoryStore;
import dev.tempora.internal.memory.VirtualClock;
import dev.tempora.workflow.*;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handler over the in-memory core: SQS batches in, histories and batch failures out. */
class WorkflowTaskHandlerTest {

  @WorkflowInterface
  public interface Greeting {
    @WorkflowMethod
    String greet(String name);

    @SignalMethod
    void suffix(String s);

    @QueryMethod
    String current();
  }

  public static class GreetingImpl implements Greeting {
    private String suffix;

    @Override
    public String greet(String name) {
      Workflow.await(() -> suffix != null);
      return "hello " + name + suffix;
    }

    @Override
    public void suffix(String s) {
      suffix = s;
    }

    @Override
    public String current() {
      return suffix == null ? "waiting" : suffix;
    }
  }

  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    int count(int until);

    @SignalMethod
    void add(int n);

    @QueryMethod
    int total();
  }

  public static class CounterImpl implements Counter {
    private int total;

    @Override
    public int count(int until) {
      Workflow.await(() -> total >= until);
      return total;
    }

    @Override
    public void add(int n) {
      total += n;
    }

    @Override
    public int total() {
      return total;
    }
  }

  private final VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryHistoryStore store = new InMemoryHistoryStore();
  private final WorkflowRegistry registry = new WorkflowRegistry();
  private final InMemoryEngine queues = new InMemoryEngine(clock); // used only as a sink for dispatches
  private final WorkflowTaskProcessor processor = new WorkflowTaskProcessor(store, registry, new RunnerCache(10),
      new Outbox(store, queues, queues, new InMemoryHeartbeatStore()), clock, WorkflowTaskHooks.NONE, 5_000);
  private final WorkflowTaskHandler handler = new WorkflowTaskHandler(processor);

  private RunKey startRun(String workflowId) {
    RunKey run = new RunKey("ns", workflowId, "run-" + workflowId);
    Event.WorkflowExecutionStarted started = new Event.WorkflowExecutionStarted("Greeting", "default",
        new Payload("[\"" + workflowId + "\"]"), 1L, null);
    store.createRun(new RunRecord(run, "Greeting", "default", WorkflowExecutionStatus.RUNNING, clock.instant(), null,
        started, null), null);
    return run;
  }

  private static SQSEvent.SQSMessage sqs(String id, String group, String body) {
    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
    m.setMessageId(id);
    m.setBody(body);
    m.setAttributes(Map.of("MessageGroupId", group));
    return m;
  }

  private static SQSEvent event(SQSEvent.SQSMessage... messages) {
    SQSEvent e = new SQSEvent();
    e.setRecords(List.of(messages));
    return e;
  }

  private static List<String> failed(SQSBatchResponse r) {
    List<String> out = new ArrayList<>();
    r.getBatchItemFailures().forEach(f -> out.add(f.getItemIdentifier()));
    return out;
  }

  @Test
  void coalescesEachWorkflowsMessagesIntoOneTask() {
    registry.register(GreetingImpl.class);
    RunKey a = startRun("a");
    RunKey b = startRun("b");
    String start = HistoryJson.write(new WorkflowTaskMessage(a.runId() + "/start", a, store.getRun(a).orElseThrow().startEvent()));
    String signal = HistoryJson.write(new WorkflowTaskMessage(a.runId() + "/signal/1", a,
        new Event.WorkflowSignaled("suffix", new Payload("[\"!\"]"), "1")));
    String startB = HistoryJson.write(new WorkflowTaskMessage(b.runId() + "/start", b, store.getRun(b).orElseThrow().startEvent()));
    SQSBatchResponse r = handler.handleRequest(event(sqs("1", a.workflowKey(), start), sqs("2", b.workflowKey(), startB),
        sqs("3", a.workflowKey(), signal)), null);
    assertEquals(List.of(), failed(r));
    assertEquals(WorkflowExecutionStatus.COMPLETED, store.getRun(a).orElseThrow().status());
    assertEquals(1, store.readHistory(a, 0).size(), "start and signal in one task");
    assertEquals(WorkflowExecutionStatus.RUNNING, store.getRun(b).orElseThrow().status());

    QueryInvocationHandler queries = new QueryInvocationHandler(processor);
    String reply = queries.handle(("{\"operation\":\"query\",\"namespace\":\"ns\",\"workflowId\":\"b\",\"runId\":\""
        + b.runId() + "\",\"queryName\":\"current\"}").getBytes(StandardCharsets.UTF_8)).toString();
    assertEquals("{\"result\":\"\\\"waiting\\\"\"}", reply);
    assertTrue(queries.handle("{\"operation\":\"nope\"}".getBytes(StandardCharsets.UTF_8)).toString().contains("BadRequest"));
  }

  @Test
  void poisonAndFailingWorkflowsReportOnlyTheirOwnMessages() {
    registry.register(GreetingImpl.class);
    RunKey a = startRun("a");
    RunKey unknownType = new RunKey("ns", "u", "run-u");
    store.createRun(new RunRecord(unknownType, "Nope", "default", WorkflowExecutionStatus.RUNNING, clock.instant(), null,
        new Event.WorkflowExecutionStarted("Nope", "default", new Payload("[]"), 1L, null), null), null);
    String startA = HistoryJson.write(new WorkflowTaskMessage(a.runId() + "/start", a, store.getRun(a).orElseThrow().startEvent()));
    String startU = HistoryJson.write(new WorkflowTaskMessage("u/start", unknownType, store.getRun(unknownType).orElseThrow().startEvent()));
    SQSBatchResponse r = handler.handleRequest(event(
        sqs("p1", "ns#p", "{not json"), sqs("p2", "ns#p", startA.replace(a.workflowId(), "p")),
        sqs("u1", unknownType.workflowKey(), startU),
        sqs("e1", "ns#e", "{}"),
        sqs("a1", a.workflowKey(), startA)), null);
    assertEquals(List.of("p1", "p2", "e1"), failed(r), "the poison messages (JSON without a run too) and the rest of "
        + "their group");
    assertEquals(1, store.readHistory(a, 0).size(), "the healthy workflow went ahead");
    assertTrue(store.getRun(unknownType).orElseThrow().taskFailure().startsWith("UnknownWorkflowType"));
    // The failing workflow's message is done as far as the queue goes: it waits with its run.
    assertEquals(List.of("u/start"), store.read(unknownType, 0).parked().messages().stream()
        .map(WorkflowTaskMessage::messageId).toList());
  }

  /** A second coordinator (another Lambda container) over the same store, with its own runner cache. */
  private WorkflowTaskProcessor otherCoordinator() {
    return new WorkflowTaskProcessor(store, registry, new RunnerCache(10),
        new Outbox(store, queues, queues, new InMemoryHeartbeatStore()), clock, WorkflowTaskHooks.NONE, 5_000);
  }

  private RunKey startCounter(String workflowId) {
    RunKey run = new RunKey("ns", workflowId, "run-" + workflowId);
    store.createRun(new RunRecord(run, "Counter", "default", WorkflowExecutionStatus.RUNNING, clock.instant(), null,
        new Event.WorkflowExecutionStarted("Counter", "default", new Payload("[100]"), 1L, null), null), null);
    return run;
  }

  private static WorkflowTaskMessage add(RunKey run, int n) {
    return new WorkflowTaskMessage(run.runId() + "/signal/" + n, run,
        new Event.WorkflowSignaled("add", new Payload("[" + n + "]"), Integer.toString(n)));
  }

  @Test
  void aWarmTaskReadsNothingAndAStaleRunnerStartsOverFromTheStore() {
    registry.register(CounterImpl.class);
    RunKey run = startCounter("c");
    WorkflowTaskProcessor a = processor;
    WorkflowTaskProcessor b = otherCoordinator();
    a.process(List.of(new WorkflowTaskMessage(run.runId() + "/start", run, store.getRun(run).orElseThrow().startEvent())));
    long reads = store.batchesRead();
    a.process(List.of(add(run, 1)));
    assertEquals(reads, store.batchesRead(), "a warm runner decides and commits without reading history");
    assertEquals(1, a.fullReplays());

    b.process(List.of(add(run, 2))); // another container: a cold replay, then its own batch 3
    assertEquals(3, store.readHistory(run, 0).size());
    a.process(List.of(add(run, 3))); // a's runner stops at batch 2: its append loses, it reloads, then commits
    assertEquals(2, a.fullReplays(), "the stale runner was replaced by a replay from the store");
    List<dev.tempora.internal.history.HistoryBatch> history = store.readHistory(run, 0);
    assertEquals(4, history.size());
    assertEquals(List.of(1, 2, 3, 4), history.stream().map(dev.tempora.internal.history.HistoryBatch::seq).toList());
    assertEquals(new Payload("6"), a.query(run, "total", new Payload("[]")), "every signal counted once");
    assertEquals(new Payload("6"), b.query(run, "total", new Payload("[]")));
  }

  @Test
  void aWarmRunnerOfATerminatedRunCommitsNothing() {
    registry.register(CounterImpl.class);
    RunKey run = startCounter("t");
    processor.process(List.of(new WorkflowTaskMessage(run.runId() + "/start", run, store.getRun(run).orElseThrow().startEvent())));
    // A client terminates the run: a batch of its own, then the record closes.
    dev.tempora.internal.history.HistoryBatch last = store.readHistory(run, 0).getLast();
    store.appendBatch(run, new dev.tempora.internal.history.HistoryBatch(last.seq() + 1,
        List.of(new dev.tempora.history.HistoryEvent(last.lastEventId() + 1, clock.instant(),
            new Event.WorkflowExecutionTerminated("test"))), List.of()));
    store.updateRun(store.getRun(run).orElseThrow().closed(WorkflowExecutionStatus.TERMINATED, clock.instant()));

    processor.process(List.of(add(run, 1)));
    assertEquals(2, store.readHistory(run, 0).size(), "nothing after the terminate");
    assertEquals(0, processor.cache().size(), "the stale runner is gone");
  }
}
