package dev.tempora.failure;

/**
 * Base of the failures Tempora records in history and hands to workflow and client code. A
 * workflow method that throws one of these fails the workflow; any other exception fails only the
 * workflow task (as in Temporal), which is retried once the code is fixed.
 */
public abstract class TemporaFailure extends RuntimeException {
  protected TemporaFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
