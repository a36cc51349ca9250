package dev.tempora.workflow;

/** What happens to an open child workflow when its parent closes (Temporal's names and default). */
public enum ParentClosePolicy {
  /** The child is terminated (the default). */
  PARENT_CLOSE_POLICY_TERMINATE,
  /** The child is asked to cancel; its code decides how. */
  PARENT_CLOSE_POLICY_REQUEST_CANCEL,
  /** The child runs on by itself. */
  PARENT_CLOSE_POLICY_ABANDON
}
