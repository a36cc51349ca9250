package dev.tempora.internal.aws;

import dev.tempora.internal.coordinator.HistoryTruth;
import dev.tempora.internal.coordinator.WorkflowTaskQueue;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches what was committed by a writer that may have died before dispatching it, read from
 * the table's stream (ADR 8): a new run's start message (the client's send may have failed after
 * its transaction), a closed history's run record (the close's update may have failed), and a run
 * whose record TTL deleted (its history, heartbeat and parked items go with it). Every action is
 * idempotent: the start message is deduplicated by the FIFO queue and by the coordinator, a record
 * already closed is left alone, deleting deleted items does nothing.
 */
public final class StreamRelay {
  private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);

  /** What a stream record means to the relay. */
  public sealed interface Change {
    /** A run item was inserted: the run's start message must reach the workflow-task queue. */
    record NewRun(RunKey run) implements Change {}

    /** A batch that closes its run was inserted: the run record must say closed. */
    record ClosingBatch(RunKey run, int seq) implements Change {}

    /** A run item was deleted (TTL, after retention): the run's other items go too. */
    record RunExpired(RunKey run) implements Change {}

    /** Anything else: nothing to do (the deployment's stream filter keeps most of these away). */
    record Ignored() implements Change {}
  }

  private final DynamoDbHistoryStore store;
  private final WorkflowTaskQueue workflowTasks;

  public StreamRelay(DynamoDbHistoryStore store, WorkflowTaskQueue workflowTasks) {
    this.store = store;
    this.workflowTasks = workflowTasks;
  }

  /**
   * Classifies a stream record by its event name ({@code INSERT}, {@code MODIFY}, {@code REMOVE}),
   * its keys and, for an insert, whether the new image has {@code closes = true}.
   */
  public static Change classify(String eventName, String pk, String sk, boolean closes) {
    int hash = pk.indexOf('#');
    if (hash < 0) {
      return new Change.Ignored();
    }
    String namespace = pk.substring(0, hash);
    String workflowId = pk.substring(hash + 1);
    boolean runItem = sk.startsWith("run#") && sk.indexOf('#', "run#".length()) < 0;
    if (runItem) {
      RunKey run = new RunKey(namespace, workflowId, sk.substring("run#".length()));
      return switch (eventName) {
        case "INSERT" -> new Change.NewRun(run);
        case "REMOVE" -> new Change.RunExpired(run);
        default -> new Change.Ignored();
      };
    }
    int h = sk.indexOf("#h#");
    if ("INSERT".equals(eventName) && closes && h > 0 && sk.indexOf("#c#") < 0) {
      try {
        int seq = Integer.parseInt(sk.substring(h + 3));
        return new Change.ClosingBatch(new RunKey(namespace, workflowId, sk.substring(0, h)), seq);
      } catch (NumberFormatException e) {
        return new Change.Ignored();
      }
    }
    return new Change.Ignored();
  }

  /** Applies one change; throws on a store or queue error, so the record is retried. */
  public void apply(Change change) {
    switch (change) {
      case Change.NewRun n -> sendStart(n.run());
      case Change.ClosingBatch c -> closeRecord(c.run(), c.seq());
      case Change.RunExpired e -> {
        int deleted = store.deleteRunItems(e.run());
        log.debug("run {} expired: deleted its {} other item(s)", e.run(), deleted);
      }
      case Change.Ignored i -> { }
    }
  }

  private void sendStart(RunKey run) {
    // The usual case: the client's send worked and the coordinator has written batch 1 (a cheap
    // keys-only read says so). Only otherwise is the start event read and the message re-sent.
    if (store.batchExists(run, 1)) {
      return;
    }
    Optional<RunRecord> record = store.getRun(run);
    if (record.isEmpty() || record.get().status().isClosed() || record.get().startEvent() == null) {
      return;
    }
    // Same message id as the client's send, so the queue or the coordinator drops the duplicate.
    workflowTasks.send(new WorkflowTaskMessage(run.runId() + "/start", run, record.get().startEvent()));
  }

  private void closeRecord(RunKey run, int seq) {
    // The usual case: the closing task updated the record already (an eventually consistent read
    // that says closed is right; one that says open is checked again below).
    if (store.getRun(run, false).map(r -> r.status().isClosed()).orElse(true)) {
      return;
    }
    RunRecord record = store.getRun(run).orElse(null);
    if (record == null || record.status().isClosed()) {
      return;
    }
    HistoryTruth.closedBy(record, store.readBatch(run, seq).orElse(null))
        .ifPresent(closed -> {
          store.closeRun(closed);
          log.info("run record of {} closed from its history by the stream relay: {}", run, closed.status());
        });
  }
}
