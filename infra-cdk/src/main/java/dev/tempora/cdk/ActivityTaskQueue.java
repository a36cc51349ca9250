package dev.tempora.cdk;

import java.util.Objects;
import software.amazon.awscdk.Duration;

/**
 * One activity task queue and the Lambda function that works it: an SQS queue named after the task
 * queue (activities use it through {@code ActivityOptions.setTaskQueue}, or inherit their workflow's),
 * with its own memory, timeout, reserved concurrency and batch size, because a GPU or long-running
 * queue needs different sizing from the default one.
 *
 * @param name the task queue name, as workflows and activities use it
 * @param memorySize function memory in MB (128..10240)
 * @param timeout function timeout, at most 15 minutes (Lambda's limit); long attempts need a poller on ECS/EC2
 * @param reservedConcurrency reserved concurrency of the function (at least 2, default
 *     {@value #DEFAULT_RESERVED_CONCURRENCY}); also caps the event source's concurrency so SQS does not
 *     hand messages to a throttled function
 * @param batchSize messages per invocation (1..10000; above 10 needs a batching window)
 * @param maxBatchingWindow how long Lambda may gather a batch, or null for none
 */
public record ActivityTaskQueue(String name, int memorySize, Duration timeout, int reservedConcurrency, int batchSize,
    Duration maxBatchingWindow) {

  public static final int DEFAULT_MEMORY_SIZE = 1024;
  public static final Duration DEFAULT_TIMEOUT = Duration.minutes(5);
  public static final int DEFAULT_BATCH_SIZE = 10;
  public static final int DEFAULT_RESERVED_CONCURRENCY = 100;

  public ActivityTaskQueue {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(timeout, "timeout");
    if (memorySize < 128 || memorySize > 10_240) {
      throw new IllegalArgumentException("task queue '" + name + "': memorySize must be 128..10240 MB, got " + memorySize);
    }
    if (timeout.toSeconds().longValue() < 1 || timeout.toSeconds().longValue() > 900) {
      throw new IllegalArgumentException("task queue '" + name + "': timeout must be 1 s..15 min (Lambda's limit), got "
          + timeout.toSeconds().longValue() + " s; run longer activities with ActivityPoller on ECS/EC2");
    }
    if (reservedConcurrency < TemporaEngineProps.MIN_SQS_CONSUMER_CONCURRENCY) {
      throw new IllegalArgumentException("task queue '" + name + "': reservedConcurrency must be at least "
          + TemporaEngineProps.MIN_SQS_CONSUMER_CONCURRENCY + " (it also caps the SQS event source, whose smallest cap "
          + "is 2), got " + reservedConcurrency);
    }
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("task queue '" + name + "': batchSize must be 1..10000, got " + batchSize);
    }
    if (batchSize > 10 && maxBatchingWindow == null) {
      throw new IllegalArgumentException("task queue '" + name + "': a batchSize above 10 needs a maxBatchingWindow "
          + "(Lambda's rule for SQS event sources)");
    }
    if (maxBatchingWindow != null && maxBatchingWindow.toSeconds().longValue() > 300) {
      throw new IllegalArgumentException("task queue '" + name + "': maxBatchingWindow must be at most 5 minutes");
    }
  }

  /** A queue with the default sizing: 1024 MB, 5 minutes, 100 reserved executions, batches of 10. */
  public static ActivityTaskQueue of(String name) {
    return builder(name).build();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public static final class Builder {
    private final String name;
    private int memorySize = DEFAULT_MEMORY_SIZE;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int reservedConcurrency = DEFAULT_RESERVED_CONCURRENCY;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration maxBatchingWindow;

    private Builder(String name) {
      this.name = name;
    }

    public Builder memorySize(int megabytes) {
      this.memorySize = megabytes;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder reservedConcurrency(int reservedConcurrency) {
      this.reservedConcurrency = reservedConcurrency;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder maxBatchingWindow(Duration window) {
      this.maxBatchingWindow = window;
      return this;
    }

    public ActivityTaskQueue build() {
      return new ActivityTaskQueue(name, memorySize, timeout, reservedConcurrency, batchSize, maxBatchingWindow);
    }
  }
}
