package dev.tempora.devserver;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.aws.AwsConfig;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.DynamoDbHistoryStore;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.lambda.activity.ActivityTaskHandler;
import dev.tempora.lambda.coordinator.TimerQueueHandler;
import dev.tempora.lambda.coordinator.WorkflowTaskHandler;
import dev.tempora.worker.WorkerSetup;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Test-only: the DevServer stack assembled from the same parts (EmbeddedAws, AwsRuntime, the real
 * handlers, SqsEventSourcePoller), with the knobs failure tests need and DevServer does not
 * expose: wrappers around the handlers, per-queue visibility timeouts, no workflow-task pollers (a
 * test drives the coordinator itself), and extra runtimes over the same table and queues.
 */
final class FailureStack implements AutoCloseable {
  record Settings(WorkerSetup setup, WorkflowTaskHooks hooks, int maxReceiveCount, int workflowPollers,
      int activityPollers, Duration workflowVisibility, Duration activityVisibility,
      UnaryOperator<RequestHandler<SQSEvent, SQSBatchResponse>> workflowWrapper,
      UnaryOperator<RequestHandler<SQSEvent, SQSBatchResponse>> activityWrapper) {
    static Settings of(WorkerSetup setup) {
      return new Settings(setup, WorkflowTaskHooks.NONE, 5, 2, 2, Duration.ofSeconds(30), Duration.ofSeconds(30),
          h -> h, h -> h);
    }
    Settings hooks(WorkflowTaskHooks h) { return new Settings(setup, h, maxReceiveCount, workflowPollers, activityPollers, workflowVisibility, activityVisibility, workflowWrapper, activityWrapper); }
    Settings maxReceiveCount(int n) { return new Settings(setup, hooks, n, workflowPollers, activityPollers, workflowVisibility, activityVisibility, workflowWrapper, activityWrapper); }
    Settings workflowPollers(int n) { return new Settings(setup, hooks, maxReceiveCount, n, activityPollers, workflowVisibility, activityVisibility, workflowWrapper, activityWrapper); }
    Settings activityPollers(int n) { return new Settings(setup, hooks, maxReceiveCount, workflowPollers, n, workflowVisibility, activityVisibility, workflowWrapper, activityWrapper); }
    Settings workflowVisibility(Duration d) { return new Settings(setup, hooks, maxReceiveCount, workflowPollers, activityPollers, d, activityVisibility, workflowWrapper, activityWrapper); }
    Settings activityVisibility(Duration d) { return new Settings(setup, hooks, maxReceiveCount, workflowPollers, activityPollers, workflowVisibility, d, workflowWrapper, activityWrapper); }
    Settings wrapWorkflowHandler(UnaryOperator<RequestHandler<SQSEvent, SQSBatchResponse>> w) { return new Settings(setup, hooks, maxReceiveCount, workflowPollers, activityPollers, workflowVisibility, activityVisibility, w, activityWrapper); }
    Settings wrapActivityHandler(UnaryOperator<RequestHandler<SQSEvent, SQSBatchResponse>> w) { return new Settings(setup, hooks, maxReceiveCount, workflowPollers, activityPollers, workflowVisibility, activityVisibility, workflowWrapper, w); }
  }

  final AwsConfig config = AwsConfig.defaults();
  final EmbeddedAws aws;
  final SchedulerEndpoint scheduler;
  final EmbeddedAws.Queues workflowTasks;
  final EmbeddedAws.Queues timers;
  final EmbeddedAws.Queues activities;
  final AwsRuntime runtime;
  private final Settings settings;
  private final List<SqsEventSourcePoller> pollers = new ArrayList<>();
  private final List<AwsRuntime> extraRuntimes = new ArrayList<>();

  FailureStack(Settings s) {
    this(s, List.of());
  }

  /** With SDK interceptors on every client of the stack (targeted faults). */
  FailureStack(Settings s, List<ExecutionInterceptor> interceptors) {
    this.settings = s;
    aws = EmbeddedAws.start(interceptors);
    try {
      DynamoDbHistoryStore.createTable(aws.dynamo(), config.tableName());
      workflowTasks = aws.createQueue(config.workflowTaskQueueName(), true, s.maxReceiveCount(),
          Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(s.workflowVisibility().toSeconds())));
      timers = aws.createQueue(config.timersQueueName(), false, s.maxReceiveCount());
      activities = aws.createQueue(config.activityQueueName("default"), false, s.maxReceiveCount(),
          Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(s.activityVisibility().toSeconds())));
      scheduler = SchedulerEndpoint.start(aws.sqs(), aws.credentialValues());
      runtime = newRuntime(s.hooks());
      if (s.workflowPollers() > 0) {
        pollers.add(poll(workflowTasks, s.workflowWrapper().apply(new WorkflowTaskHandler(runtime)),
            s.workflowPollers()));
      }
      pollers.add(poll(timers, new TimerQueueHandler(runtime), 1));
      pollers.add(poll(activities, s.activityWrapper().apply(
          new ActivityTaskHandler(runtime)), s.activityPollers()));
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** Another coordinator container: its own runner cache and processor, the same table and queues. */
  AwsRuntime newRuntime(WorkflowTaskHooks hooks) {
    AwsCredentialsProvider creds = aws.credentials();
    AwsRuntime r = new AwsRuntime(config, new AwsRuntime.Clients(aws.dynamo(), aws.sqs(),
        SchedulerClient.builder().endpointOverride(scheduler.endpoint()).region(Region.US_EAST_1)
            .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build(),
        // No queries in these tests: the Lambda client points nowhere useful.
        LambdaClient.builder().endpointOverride(java.net.URI.create("http://127.0.0.1:9")).region(Region.US_EAST_1)
            .credentialsProvider(creds).httpClientBuilder(ApacheHttpClient.builder()).build()),
        InstantSource.system(), hooks);
    settings.setup().configure(r.worker());
    extraRuntimes.add(r);
    return r;
  }

  private SqsEventSourcePoller poll(EmbeddedAws.Queues q, RequestHandler<SQSEvent, SQSBatchResponse> h, int n) {
    // No per-receive override: the queue's own visibility timeout applies, as on Lambda.
    return SqsEventSourcePoller.builder(aws.sqs(), q.url(), h).queueArn(q.arn()).batchSize(10).pollers(n)
        .waitTime(Duration.ofSeconds(1)).functionTimeout(Duration.ofSeconds(3)).start();
  }

  /** Messages waiting in a queue's DLQ, read without consuming them (as DevServer.deadLetters does). */
  List<software.amazon.awssdk.services.sqs.model.Message> deadLetters(EmbeddedAws.Queues q) {
    return aws.sqs().receiveMessage(b -> b.queueUrl(q.dlqUrl()).maxNumberOfMessages(10).visibilityTimeout(0)
        .messageSystemAttributeNamesWithStrings("All")).messages();
  }

  /** {@code "eventId describe"} of every event ({@link HistoryEvent#toString()}: no timestamps). */
  static List<String> describe(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::toString).toList();
  }

  static long count(List<HistoryEvent> h, Class<? extends Event> type) {
    return h.stream().filter(e -> type.isInstance(e.event())).count();
  }

  @Override
  public void close() {
    for (SqsEventSourcePoller p : pollers) {
      p.close();
    }
    if (scheduler != null) {
      scheduler.close();
    }
    aws.close();
  }
}
