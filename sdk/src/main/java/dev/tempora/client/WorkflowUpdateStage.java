package dev.tempora.client;

/** How far an update has got, and how far a caller of {@code startUpdate} waits for it to get. */
public enum WorkflowUpdateStage {
  /** Sent to the workflow; not yet validated. */
  ADMITTED,
  /** Its validator passed and it is recorded in history; its handler runs. */
  ACCEPTED,
  /** Its handler returned (or failed); the outcome is recorded in history. */
  COMPLETED
}
