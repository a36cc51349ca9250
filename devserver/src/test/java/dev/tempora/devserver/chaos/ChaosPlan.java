package dev.tempora.devserver.chaos;

/**
 * One workflow of a chaos run: its seed kind, id, the window aimed at it, and the kind's size
 * parameter (the fan-out's width, the subscription's charges before the cancel signal).
 */
record ChaosPlan(int index, SeedKind kind, String workflowId, ChaosWindow window, int size) {
  @Override
  public String toString() {
    return workflowId + " (" + kind.label + (window == ChaosWindow.NONE ? "" : ", window: " + window.description) + ")";
  }
}
