package dev.tempora.lambda.coordinator;

/**
 * An EventBridge target input that can never start a workflow: retrying it cannot help. {@link
 * #error()} is one of the HTTP API's error names (UnknownWorkflowType, BadJson, MissingField,
 * InvalidField, InvalidWorkflowId, InvalidArguments, PayloadTooLarge), and it leads the message, so
 * the Lambda error document ({@code errorType} = this class, {@code errorMessage}) says what is wrong.
 */
public final class InvalidStartEventException extends RuntimeException {
  private final String error;

  public InvalidStartEventException(String error, String message) {
    super(error + ": " + message);
    this.error = error;
  }

  public String error() {
    return error;
  }
}
