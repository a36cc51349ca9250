package dev.tempora.internal.coordinator;

import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import java.util.List;
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

  /** Batches with seq greater than {@code afterSeq}, in order (strongly consistent). */
  List<HistoryBatch> readHistory(RunKey run, int afterSeq);

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
   * @throws ConcurrentUpdateException if the batch was already written
   */
  void appendBatch(RunKey run, HistoryBatch batch);

  List<RunRecord> listRuns(String namespace, ListExecutionsRequest request);
}
