package dev.tempora.internal.visibility;

import java.util.Arrays;
import java.util.Optional;

/** The fields every run has, with Temporal's names; any other name is a search attribute. */
public enum SystemField {
  WorkflowId, RunId, WorkflowType, TaskQueue, ExecutionStatus, StartTime, CloseTime;

  public static Optional<SystemField> of(String name) {
    return Arrays.stream(values()).filter(f -> f.name().equals(name)).findFirst();
  }

  /** Temporal's other reserved names: refused as search attribute names, not queryable here. */
  public static boolean reserved(String name) {
    return of(name).isPresent() || switch (name) {
      case "ExecutionTime", "ExecutionDuration", "HistoryLength", "HistorySizeBytes", "StateTransitionCount",
           "BinaryChecksums", "BuildIds", "BatcherUser", "TemporalChangeVersion", "TemporalScheduledById",
           "TemporalSchedulePaused", "TemporalNamespaceDivision", "ParentWorkflowId", "ParentRunId",
           "RootWorkflowId", "RootRunId" -> true;
      default -> false;
    };
  }
}
