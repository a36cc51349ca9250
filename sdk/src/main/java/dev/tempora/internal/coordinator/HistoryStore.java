package dev.tempora.internal.coordinator;

import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.internal.visibility.PageToken;
import dev.tempora.internal.visibility.QueryPlan;
import dev.tempora.internal.visibility.VisibilityPage;
import dev.tempora.history.FailureInfo;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.ParkedTask;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.StoredHistory;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Port: where runs and their histories live (DynamoDB on AWS, maps in memory). */
public interface HistoryStore {

  /** The workflow id's current (latest) run. */
  Optional<RunRecord> currentRun(String namespace, String workflowId);

  Optional<RunRecord> getRun(RunKey run);

  /**
   * Stores a new run and makes it the workflow id's current run, if the current run is still
   * {@code expectedCurrentRunId} (null: the id has no run yet).
   *
   * @throws ConcurrentUpdateException if another start got there first
   */
  void createRun(RunRecord record, String expectedCurrentRunId);

  /** Overwrites the run's metadata (status changes, task failure); history is untouched. */
  void updateRun(RunRecord record);

  /**
   * Writes {@code closed} (a closed record) if the stored run is still open, with one conditional
   * write and no read; does nothing if another writer closed it first.
   */
  void closeRun(RunRecord closed);

  /** Batches with seq greater than {@code afterSeq}, in order (strongly consistent). */
  default List<HistoryBatch> readHistory(RunKey run, int afterSeq) {
    return read(run, afterSeq).batches();
  }

  /**
   * Batches with seq greater than {@code afterSeq}, in order, and the parked task in the slot after
   * the last of them, if any: one strongly consistent read, what a cold workflow task needs.
   */
  StoredHistory read(RunKey run, int afterSeq);

  Optional<HistoryBatch> readBatch(RunKey run, int seq);

  /**
   * The run's newest batch, read without reading the others (strongly consistent): what getting
   * a result and terminating need, so neither costs O(history).
   */
  Optional<HistoryBatch> readLastBatch(RunKey run);

  /**
   * Appends batch {@code seq}; succeeds only if no batch {@code seq} exists yet and batch
   * {@code seq - 1} does: the optimistic lock between coordinators.
   *
   * @throws ConcurrentUpdateException if the batch was already written, or a task is parked there
   */
  default void appendBatch(RunKey run, HistoryBatch batch) {
    appendBatch(run, batch, null);
  }

  /**
   * As {@link #appendBatch(RunKey, HistoryBatch)}, but the slot may also hold exactly the parked
   * task {@code replacingParkId} (read before deciding), which the batch replaces: committing the
   * retried task and removing its parked messages is one write.
   */
  void appendBatch(RunKey run, HistoryBatch batch, String replacingParkId);

  /**
   * Continue-as-new's commit: appends {@code batch} (which closes the run with
   * WorkflowExecutionContinuedAsNew) as {@link #appendBatch(RunKey, HistoryBatch, String)} does,
   * stores {@code next} and makes it the workflow id's current run, all in one atomic write. So
   * whoever sees the close finds the next run, and a client following the id never sees it
   * without an open run. (The closed run's record is closed after, like any close; history says
   * so first.)
   *
   * @throws ConcurrentUpdateException if the slot is taken, or the id's current run is no longer {@code run}
   */
  void appendBatchStartingRun(RunKey run, HistoryBatch batch, String replacingParkId, RunRecord next);

  /**
   * Stores {@code task} in slot {@code task.seq()}, which must be free or hold exactly the parked
   * task {@code replacingParkId}, and returns it with its new id.
   *
   * @throws ConcurrentUpdateException if a batch (or another parked version) holds the slot
   */
  ParkedTask park(RunKey run, ParkedTask task, String replacingParkId);

  /** The parked task in slot {@code seq}, if that slot holds one (strongly consistent). */
  Optional<ParkedTask> readParked(RunKey run, int seq);

  /**
   * Shows on the open run's record why its task is parked (describe, listing), and under which
   * deployment, so a new deployment can find it; null clears it. Does nothing to a closed run.
   */
  void setTaskFailure(RunKey run, ParkedTask parked);

  /** Open runs with a parked task whose last attempt ran under another deployment (null: any). */
  List<RunKey> parkedRuns(String namespace, String exceptDeployment);

  List<RunRecord> listRuns(String namespace, ListExecutionsRequest request);

  /**
   * Applies a run's search attribute upsert (recorded as history event {@code eventId}) to what
   * list queries see: values set, null values removed. Idempotent and ordered: an upsert whose
   * event id is not above the last applied one changes nothing (a batch dispatched again).
   */
  default void upsertSearchAttributes(RunKey run, Map<String, SearchAttributeValue> changes, long eventId) {
    throw new UnsupportedOperationException("this store keeps no search attributes");
  }

  /**
   * One page of the runs of {@code namespace} that the plan's query matches, in its order, after
   * {@code after} (null: from the start). The caller has refused plans that need a scan.
   */
  default VisibilityPage queryRuns(String namespace, QueryPlan plan, PageToken after, int pageSize) {
    throw new UnsupportedOperationException("this store answers no list queries");
  }

  /**
   * Records that the run's validator rejected update {@code updateId} (nothing is in history for
   * it): the caller waiting for the update reads it with {@link #readUpdateRejection}. Kept for a
   * day (a TTL on AWS); a later accepted update with the same id is answered from history first.
   */
  default void putUpdateRejection(RunKey run, String updateId, FailureInfo failure) {
    throw new UnsupportedOperationException("this store keeps no update outcomes");
  }

  default Optional<FailureInfo> readUpdateRejection(RunKey run, String updateId) {
    return Optional.empty();
  }
}
