package dev.tempora.client;

import dev.tempora.internal.client.RequestValidator;

/**
 * How to send a signal. The request id makes a signal idempotent: a signal whose request id the
 * run has already received is recorded once, however often it is sent (a retry after a timeout,
 * a second process sending the same command). Without one the client makes one per call, which
 * its own retries of that call reuse.
 */
public final class SignalOptions {
  private static final SignalOptions DEFAULT = newBuilder().build();

  private final String requestId;

  private SignalOptions(Builder b) {
    this.requestId = b.requestId;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** No request id: one is made per call. */
  public static SignalOptions getDefaultInstance() {
    return DEFAULT;
  }

  /** The request id, or null for one made per call. */
  public String getRequestId() {
    return requestId;
  }

  public static final class Builder {
    private String requestId;

    /**
     * 1-255 characters of well-formed Unicode; the same id sent to the same run is recorded once.
     *
     * @throws InvalidRequestException {@code InvalidRequestId} otherwise
     */
    public Builder setRequestId(String requestId) {
      this.requestId = requestId == null ? null : RequestValidator.requestId(requestId);
      return this;
    }

    public SignalOptions build() {
      return new SignalOptions(this);
    }
  }
}
