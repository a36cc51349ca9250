package dev.tempora.internal.observe;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The X-Ray trace header ({@code Root=1-...;Parent=...;Sampled=...}) of the work this thread does,
 * so every SQS message the engine sends carries it as the {@value #SQS_ATTRIBUTE} system attribute
 * and one workflow's hops form one trace. A handler opens a scope with the header its message
 * arrived with; without one, the Lambda invocation's own header is used (the runtime's
 * {@value #LAMBDA_PROPERTY} system property, or the {@code _X_AMZN_TRACE_ID} variable).
 */
public final class TraceContext {
  public static final String SQS_ATTRIBUTE = "AWSTraceHeader";
  static final String LAMBDA_PROPERTY = "com.amazonaws.xray.traceHeader";
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  private TraceContext() {}

  /** The header to send with: this scope's, else the Lambda invocation's, else null. */
  public static String current() {
    String header = CURRENT.get();
    if (header != null) {
      return header;
    }
    String lambda = System.getProperty(LAMBDA_PROPERTY);
    if (lambda == null || lambda.isBlank()) {
      lambda = System.getenv("_X_AMZN_TRACE_ID");
    }
    return lambda == null || lambda.isBlank() ? null : lambda;
  }

  /** A closeable scope: the previous header comes back on close. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Makes {@code header} current for this thread (null: keep the invocation's). */
  public static Scope open(String header) {
    String previous = CURRENT.get();
    if (header != null && !header.isBlank()) {
      CURRENT.set(header);
    }
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** A new trace's header (a workflow started with no trace around it): X-Ray's id format, sampling left to X-Ray. */
  public static String newRoot(Instant now) {
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    return "Root=1-" + String.format("%08x", now.getEpochSecond()) + "-" + HexFormat.of().formatHex(random);
  }

  /** The {@code Root=} part of a header (the trace id every hop shares), or null. */
  public static String root(String header) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      if (part.trim().startsWith("Root=")) {
        return part.trim().substring("Root=".length());
      }
    }
    return null;
  }
}
