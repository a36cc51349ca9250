package dev.tempora.devserver;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Context} a handler sees when the devserver invokes it: a fresh request id per
 * invocation, the function's name and ARN, a deadline counted from the start of the invocation, and
 * a logger writing to slf4j (logger name {@code lambda.<function>}). Unlike Lambda nothing enforces
 * the deadline: a handler that overruns it is not killed, it only sees a negative remaining time.
 */
public final class LocalLambdaContext implements Context {

  private final String functionName;
  private final String requestId = UUID.randomUUID().toString();
  private final long deadlineNanos;
  private final int memoryMb;
  private final LambdaLogger logger;

  public LocalLambdaContext(String functionName, Duration timeout, int memoryMb) {
    this.functionName = functionName;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    this.memoryMb = memoryMb;
    Logger slf4j = LoggerFactory.getLogger("lambda." + functionName);
    this.logger =
        new LambdaLogger() {
          @Override
          public void log(String message) {
            slf4j.info("[{}] {}", requestId, message);
          }

          @Override
          public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
          }
        };
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "devserver";
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:" + EmbeddedAws.REGION.id() + ":" + EmbeddedAws.ACCOUNT_ID + ":function:" + functionName;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000;
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, remaining));
  }

  @Override
  public int getMemoryLimitInMB() {
    return memoryMb;
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }
}
