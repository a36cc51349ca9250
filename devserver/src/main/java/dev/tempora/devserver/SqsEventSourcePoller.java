package dev.tempora.devserver;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * A stand-in for Lambda's SQS event source mapping, doing what Lambda's pollers do: long-poll the
 * queue, hand each non-empty receive to the function as one {@link SQSEvent}, delete the messages
 * that succeeded and leave the rest in flight, so SQS redelivers them after the visibility timeout
 * (and moves them to the DLQ after {@code maxReceiveCount} receives). The function is a plain
 * {@link RequestHandler}, the same class that runs on Lambda, with partial batch responses
 * ({@code ReportBatchItemFailures}) always on.
 *
 * <p>Outcome of an invocation, as Lambda defines it: a null response, or null/empty {@code
 * batchItemFailures}, means every message succeeded; listed {@code itemIdentifier}s failed; a
 * failure entry whose identifier is null, empty or not a message id of the batch, or a handler that
 * throws, fails the whole batch. On a FIFO queue a handler must stop a message group at its first
 * failure and report the rest of that group as failed too; this poller enforces it and never
 * deletes a message that follows a failed one of the same group in the batch (Lambda trusts the
 * handler here; a handler that got it wrong would lose ordering on AWS but not here, so the
 * warning logged for it matters).
 *
 * <p>Differences from Lambda: no scaling (a fixed number of pollers, default 1, where Lambda starts
 * with five for a standard queue and scales with the backlog); no batching window (each receive is
 * one invocation, like Lambda's default {@code MaximumBatchingWindowInSeconds = 0}); the function
 * timeout is not enforced, it only feeds {@code getRemainingTimeInMillis()}; invocations run on the
 * poller's thread in this JVM (no isolation, no concurrency limit beyond the poller count); and an
 * optional per-receive visibility timeout may override the queue's (Lambda always uses the
 * queue's), which lets tests redeliver in a second rather than waiting 30.
 *
 * <p>For fault tests, {@link Builder#duplicateDeliveries} hands some received messages to the
 * function a second time, in a second invocation that runs right after the first or at the same
 * time, as SQS's at-least-once delivery may (a standard queue's duplicate, a visibility timeout
 * that ran out while the first invocation was still busy); on a FIFO queue a group's messages go
 * again from the head of the group in the batch, in order. A message so doubled is deleted only if
 * both invocations succeeded with it.
 */
public final class SqsEventSourcePoller implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SqsEventSourcePoller.class);

  /**
   * The function a poller thread invokes, inherited by the threads its handler starts (activity
   * executions run on their own virtual threads), so that observers such as the benchmarks' AWS
   * call counter can tell which function made a call.
   */
  private static final InheritableThreadLocal<String> CURRENT_FUNCTION = new InheritableThreadLocal<>();

  /** The function whose invocation the current thread serves (directly or in a thread it started), if any. */
  public static Optional<String> currentFunction() {
    return Optional.ofNullable(CURRENT_FUNCTION.get());
  }

  /**
   * Test support: each received message is handed to the function a second time with probability
   * {@code probability}; such a second invocation runs at the same time as the first with
   * probability {@code concurrentShare}, else right after it. {@code seed} seeds the choices.
   */
  public record DuplicateDeliveries(double probability, double concurrentShare, long seed) {
    public static final DuplicateDeliveries NONE = new DuplicateDeliveries(0, 0, 0);

    public DuplicateDeliveries {
      if (!(probability >= 0 && probability <= 1) || !(concurrentShare >= 0 && concurrentShare <= 1)) {
        throw new IllegalArgumentException("probabilities must be 0..1, got " + probability + ", " + concurrentShare);
      }
    }

    /** The same settings with another seed (one per poller, so pollers do not choose alike). */
    public DuplicateDeliveries withSeed(long s) {
      return new DuplicateDeliveries(probability, concurrentShare, s);
    }
  }

  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;
  private final boolean fifo;
  private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
  private final String functionName;
  private final int batchSize;
  private final Duration waitTime;
  private final Duration visibilityTimeout;
  private final Duration functionTimeout;
  private final DuplicateDeliveries duplicates;
  private final Random duplicateChoices;
  private final List<Worker> workers = new ArrayList<>();
  private volatile boolean running = true;

  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong handlerErrors = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong handlerNanos = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();

  private SqsEventSourcePoller(Builder b) {
    this.sqs = b.sqs;
    this.queueUrl = b.queueUrl;
    this.handler = b.handler;
    this.fifo = b.queueUrl.endsWith(".fifo");
    this.batchSize = b.batchSize;
    this.waitTime = b.waitTime;
    this.visibilityTimeout = b.visibilityTimeout;
    this.functionTimeout = b.functionTimeout;
    this.duplicates = b.duplicates;
    this.duplicateChoices = new Random(b.duplicates.seed());
    this.queueArn =
        b.queueArn != null
            ? b.queueArn
            : sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    this.functionName = b.functionName != null ? b.functionName : queueArn.substring(queueArn.lastIndexOf(':') + 1);
  }

  public static Builder builder(SqsClient sqs, String queueUrl, RequestHandler<SQSEvent, SQSBatchResponse> handler) {
    return new Builder(sqs, queueUrl, handler);
  }

  /** Configuration; {@link #start()} builds the poller and starts its threads. */
  public static final class Builder {
    private final SqsClient sqs;
    private final String queueUrl;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private String queueArn;
    private String functionName;
    private int batchSize = 10;
    private int pollers = 1;
    private Duration waitTime = Duration.ofSeconds(1);
    private Duration visibilityTimeout;
    private Duration functionTimeout = Duration.ofSeconds(30);
    private DuplicateDeliveries duplicates = DuplicateDeliveries.NONE;

    private Builder(SqsClient sqs, String queueUrl, RequestHandler<SQSEvent, SQSBatchResponse> handler) {
      this.sqs = sqs;
      this.queueUrl = queueUrl;
      this.handler = handler;
    }

    /** The eventSourceARN put into events; by default asked from the queue. */
    public Builder queueArn(String arn) {
      this.queueArn = arn;
      return this;
    }

    /** The function name the {@code Context} reports; by default the queue's name. */
    public Builder functionName(String name) {
      this.functionName = name;
      return this;
    }

    /** Messages per invocation, 1..10 (Lambda allows more with a batching window; SQS returns 10 at most). */
    public Builder batchSize(int n) {
      if (n < 1 || n > 10) throw new IllegalArgumentException("batch size must be 1..10, got " + n);
      this.batchSize = n;
      return this;
    }

    /** Concurrent pollers, each receiving and invoking in turn. Default 1, which keeps FIFO groups in order trivially. */
    public Builder pollers(int n) {
      if (n < 1) throw new IllegalArgumentException("pollers must be >= 1, got " + n);
      this.pollers = n;
      return this;
    }

    /** Long-poll wait per receive, whole seconds 0..20; also bounds how long {@link #close()} may wait for a receive. */
    public Builder waitTime(Duration d) {
      if (d.isNegative() || d.toSeconds() > 20) throw new IllegalArgumentException("wait time must be 0..20 s, got " + d);
      this.waitTime = d;
      return this;
    }

    /** Visibility timeout requested with every receive; null (default) keeps the queue's own, as Lambda does. */
    public Builder visibilityTimeout(Duration d) {
      this.visibilityTimeout = d;
      return this;
    }

    /** The deadline reported through {@code Context.getRemainingTimeInMillis()} (not enforced). */
    public Builder functionTimeout(Duration d) {
      this.functionTimeout = d;
      return this;
    }

    /** Test support: hands some messages to the function twice (default {@link DuplicateDeliveries#NONE}). */
    public Builder duplicateDeliveries(DuplicateDeliveries d) {
      this.duplicates = Objects.requireNonNull(d);
      return this;
    }

    public SqsEventSourcePoller start() {
      SqsEventSourcePoller poller = new SqsEventSourcePoller(this);
      for (int i = 0; i < pollers; i++) poller.startWorker(i);
      return poller;
    }
  }

  /** Invocations of the handler. */
  public long batches() {
    return batches.get();
  }

  /** Messages handed to the handler, redeliveries included. */
  public long messages() {
    return messages.get();
  }

  /** Messages left on the queue after an invocation: reported failures, the rest of a failed FIFO group, whole failed batches. */
  public long failures() {
    return failures.get();
  }

  /** Invocations in which the handler threw. */
  public long handlerErrors() {
    return handlerErrors.get();
  }

  /** Messages handed to the function a second time by {@link Builder#duplicateDeliveries} (also in {@link #messages()}). */
  public long duplicated() {
    return duplicated.get();
  }

  /** Messages deleted after success. */
  public long deleted() {
    return deleted.get();
  }

  /** Wall time spent in the handler, summed over invocations (what Lambda bills as duration). */
  public long handlerNanos() {
    return handlerNanos.get();
  }

  /** True if an invocation of the function is running that started less than {@code d} ago. */
  public boolean invokingForLessThan(Duration d) {
    long now = System.nanoTime();
    for (Worker w : workers) {
      synchronized (w) {
        if (w.invokedAt != null && now - w.invokedAt < d.toNanos()) return true;
      }
    }
    return false;
  }

  /** The function name the invocations report. */
  public String functionName() {
    return functionName;
  }

  public String queueArn() {
    return queueArn;
  }

  // --- the poll loop ---

  private enum State { IDLE, RECEIVING, HANDLING, STOPPING }

  /**
   * One poller. Its state, guarded by the worker's monitor, lets {@link #close()} interrupt a
   * long poll (which is otherwise up to {@code waitTime}) but never a running handler, whose SDK
   * calls an interrupt would break half-way.
   */
  private static final class Worker {
    Thread thread;
    State state = State.IDLE;
    /** When the running invocation started ({@link System#nanoTime}), or null if none runs. */
    Long invokedAt;
  }

  private void startWorker(int index) {
    Worker w = new Worker();
    // Virtual threads: their blocking socket reads end on interrupt, so a long poll stops at once.
    w.thread = Thread.ofVirtual().name("sqs-poller-" + functionName + "-" + index).unstarted(() -> pollLoop(w));
    workers.add(w);
    w.thread.start();
  }

  private void pollLoop(Worker w) {
    CURRENT_FUNCTION.set(functionName);
    ReceiveMessageRequest.Builder request =
        ReceiveMessageRequest.builder()
            .queueUrl(queueUrl)
            .maxNumberOfMessages(batchSize)
            .waitTimeSeconds((int) waitTime.toSeconds())
            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
            .messageAttributeNames("All");
    if (visibilityTimeout != null) request.visibilityTimeout((int) visibilityTimeout.toSeconds());
    ReceiveMessageRequest receive = request.build();
    while (true) {
      synchronized (w) {
        if (!running) return;
        w.state = State.RECEIVING;
      }
      List<Message> received;
      try {
        received = sqs.receiveMessage(receive).messages();
      } catch (RuntimeException e) { // SdkException, or AbortedException when close() interrupts us
        synchronized (w) {
          if (!running) {
            Thread.interrupted(); // the interrupt from close(); what was received, if anything, reappears later
            return;
          }
          w.state = State.IDLE;
        }
        log.warn("receive from {} failed; retrying in 1 s", queueUrl, e);
        if (!pause(1000)) return;
        continue;
      }
      synchronized (w) {
        if (w.state == State.STOPPING) {
          Thread.interrupted(); // close() interrupted us just after the receive returned
          release(received);
          return;
        }
        w.state = State.HANDLING;
        w.invokedAt = received.isEmpty() ? null : System.nanoTime();
      }
      if (!received.isEmpty()) invoke(received);
      synchronized (w) {
        w.state = State.IDLE;
        w.invokedAt = null;
      }
    }
  }

  private void invoke(List<Message> received) {
    List<Message> again = duplicatesOf(received);
    Set<String> failed;
    if (again.isEmpty()) {
      failed = handle(received);
    } else if (concurrentDuplicate()) {
      // The second delivery races the first, as when a visibility timeout ran out mid-invocation.
      AtomicReference<Set<String>> second = new AtomicReference<>(Set.of());
      Thread t = Thread.ofVirtual().name("sqs-poller-" + functionName + "-duplicate").start(() -> second.set(handle(again)));
      failed = new HashSet<>(handle(received));
      joinUninterruptibly(t);
      failed.addAll(second.get());
    } else {
      failed = new HashSet<>(handle(received));
      failed.addAll(handle(again));
    }
    Set<String> notDone = fifo && !failed.isEmpty() ? withRestOfFailedGroups(received, failed) : failed;
    List<Message> succeeded = received.stream().filter(m -> !notDone.contains(m.messageId())).toList();
    failures.addAndGet(received.size() - succeeded.size());
    delete(succeeded);
  }

  /**
   * The messages to hand over a second time (none unless duplicate deliveries are configured). On
   * a FIFO queue a group is redelivered from its head, in order: a message goes again only with
   * the messages of its group before it in the batch, never a later message without an earlier one.
   */
  private List<Message> duplicatesOf(List<Message> received) {
    if (duplicates.probability() == 0) return List.of();
    Set<Integer> chosen = new HashSet<>();
    synchronized (duplicateChoices) {
      for (int i = 0; i < received.size(); i++) {
        if (duplicateChoices.nextDouble() < duplicates.probability()) chosen.add(i);
      }
    }
    if (fifo) {
      for (int i : List.copyOf(chosen)) {
        String group = received.get(i).attributesAsStrings().get("MessageGroupId");
        for (int j = 0; j < i; j++) {
          if (Objects.equals(group, received.get(j).attributesAsStrings().get("MessageGroupId"))) chosen.add(j);
        }
      }
    }
    List<Message> again = new ArrayList<>();
    for (int i = 0; i < received.size(); i++) {
      if (chosen.contains(i)) again.add(received.get(i));
    }
    duplicated.addAndGet(again.size());
    return again;
  }

  /** True if a duplicate invocation runs concurrently with the first. */
  private boolean concurrentDuplicate() {
    synchronized (duplicateChoices) {
      return duplicateChoices.nextDouble() < duplicates.concurrentShare();
    }
  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** One invocation of the handler with {@code batch}; returns the ids of the messages that failed. */
  private Set<String> handle(List<Message> batch) {
    batches.incrementAndGet();
    messages.addAndGet(batch.size());
    Set<String> ids = batch.stream().map(Message::messageId).collect(Collectors.toSet());
    long started = System.nanoTime();
    try {
      SQSBatchResponse response =
          handler.handleRequest(toEvent(batch), new LocalLambdaContext(functionName, functionTimeout, 512));
      return reportedFailures(response, ids);
    } catch (Throwable t) {
      handlerErrors.incrementAndGet();
      log.warn("{}: handler failed; the whole batch of {} stays on the queue", functionName, batch.size(), t);
      return ids;
    } finally {
      handlerNanos.addAndGet(System.nanoTime() - started);
    }
  }

  /** The failed message ids of a response, or all of them if the response is invalid (as Lambda treats it). */
  private Set<String> reportedFailures(SQSBatchResponse response, Set<String> ids) {
    if (response == null || response.getBatchItemFailures() == null) return Set.of();
    Set<String> failed = new HashSet<>();
    for (SQSBatchResponse.BatchItemFailure f : response.getBatchItemFailures()) {
      String id = f == null ? null : f.getItemIdentifier();
      if (id == null || id.isEmpty() || !ids.contains(id)) {
        log.warn("{}: invalid batchItemFailures entry {}; Lambda fails the whole batch, so do we", functionName, id);
        return ids;
      }
      failed.add(id);
    }
    return failed;
  }

  /** FIFO: a group stops at its first failure, so its later messages in the batch are not done either. */
  private Set<String> withRestOfFailedGroups(List<Message> received, Set<String> failed) {
    Set<String> result = new LinkedHashSet<>(failed);
    Set<String> stoppedGroups = new HashSet<>();
    for (Message m : received) {
      String group = m.attributesAsStrings().get("MessageGroupId");
      if (stoppedGroups.contains(group)) {
        if (result.add(m.messageId())) {
          log.warn("{}: message {} of group {} follows a failure but was not reported failed; keeping it", functionName, m.messageId(), group);
        }
      } else if (failed.contains(m.messageId())) {
        stoppedGroups.add(group);
      }
    }
    return result;
  }

  private void delete(List<Message> done) {
    if (done.isEmpty()) return;
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < done.size(); i++) {
      entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(done.get(i).receiptHandle()).build());
    }
    try {
      DeleteMessageBatchResponse response = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
      deleted.addAndGet(response.successful().size());
      response.failed().forEach(f -> log.warn("{}: delete failed ({} {}); the message will be redelivered", functionName, f.code(), f.message()));
    } catch (SdkException e) {
      log.warn("{}: DeleteMessageBatch failed; {} processed messages will be redelivered", functionName, done.size(), e);
    }
  }

  /** Makes messages received during close() visible again at once rather than after the visibility timeout. */
  private void release(List<Message> received) {
    if (received.isEmpty()) return;
    try {
      sqs.changeMessageVisibilityBatch(
          r ->
              r.queueUrl(queueUrl)
                  .entries(
                      received.stream()
                          .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder()
                              .id(m.messageId().replaceAll("[^A-Za-z0-9_-]", "_"))
                              .receiptHandle(m.receiptHandle())
                              .visibilityTimeout(0)
                              .build())
                          .toList()));
    } catch (SdkException e) {
      log.debug("could not release {} messages on close; they reappear after the visibility timeout", received.size(), e);
    }
  }

  private SQSEvent toEvent(List<Message> received) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>(received.size());
    for (Message m : received) {
      SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
      r.setMessageId(m.messageId());
      r.setReceiptHandle(m.receiptHandle());
      r.setBody(m.body());
      r.setMd5OfBody(m.md5OfBody());
      r.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
      r.setAttributes(new HashMap<>(m.attributesAsStrings()));
      r.setMessageAttributes(toEventAttributes(m.messageAttributes()));
      r.setEventSource("aws:sqs");
      r.setEventSourceArn(queueArn);
      r.setAwsRegion(EmbeddedAws.REGION.id());
      records.add(r);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  private static Map<String, SQSEvent.MessageAttribute> toEventAttributes(Map<String, MessageAttributeValue> attributes) {
    Map<String, SQSEvent.MessageAttribute> result = new HashMap<>();
    attributes.forEach(
        (name, v) -> {
          SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
          a.setDataType(v.dataType());
          a.setStringValue(v.stringValue());
          if (v.binaryValue() != null) a.setBinaryValue(v.binaryValue().asByteBuffer());
          a.setStringListValues(v.hasStringListValues() ? v.stringListValues() : List.of());
          a.setBinaryListValues(v.hasBinaryListValues() ? v.binaryListValues().stream().map(SdkBytes::asByteBuffer).toList() : List.of());
          result.put(name, a);
        });
    return result;
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return running;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /**
   * Stops polling: a long poll in progress is cut short, a handler in progress finishes (and its
   * messages are deleted or left as usual). Waits for that up to the function timeout.
   */
  @Override
  public void close() {
    running = false;
    for (Worker w : workers) {
      synchronized (w) {
        if (w.state == State.RECEIVING) {
          w.state = State.STOPPING;
          w.thread.interrupt();
        }
      }
    }
    long deadline = System.nanoTime() + functionTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
    for (Worker w : workers) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !w.thread.join(Duration.ofNanos(left))) {
          log.warn("{}: poller {} still running after close()", functionName, w.thread.getName());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
