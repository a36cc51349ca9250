package dev.tempora.client;

/**
 * An update call's options, as Temporal's: the update's name, an id of the caller's (a repeated
 * call with the same id is answered from the first, not run twice), the stage to wait for and
 * the result's class.
 */
public final class UpdateOptions<R> {
  private final String updateName;
  private final String updateId;
  private final WorkflowUpdateStage waitForStage;
  private final Class<R> resultClass;

  private UpdateOptions(Builder<R> b) {
    this.updateName = b.updateName;
    this.updateId = b.updateId;
    this.waitForStage = b.waitForStage;
    this.resultClass = b.resultClass;
  }

  public static <R> Builder<R> newBuilder(Class<R> resultClass) {
    return new Builder<R>().setResultClass(resultClass);
  }

  public String getUpdateName() { return updateName; }

  /** Null: the client makes one for the call. */
  public String getUpdateId() { return updateId; }

  public WorkflowUpdateStage getWaitForStage() { return waitForStage; }

  public Class<R> getResultClass() { return resultClass; }

  public static final class Builder<R> {
    private String updateName;
    private String updateId;
    private WorkflowUpdateStage waitForStage = WorkflowUpdateStage.ACCEPTED;
    private Class<R> resultClass;

    public Builder<R> setUpdateName(String updateName) {
      this.updateName = updateName;
      return this;
    }

    public Builder<R> setUpdateId(String updateId) {
      this.updateId = updateId;
      return this;
    }

    public Builder<R> setWaitForStage(WorkflowUpdateStage waitForStage) {
      this.waitForStage = waitForStage;
      return this;
    }

    public Builder<R> setResultClass(Class<R> resultClass) {
      this.resultClass = resultClass;
      return this;
    }

    public UpdateOptions<R> build() {
      return new UpdateOptions<>(this);
    }
  }
}
