package dev.tempora.client.aws;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowClientOptions;
import dev.tempora.client.aws.AwsServiceStubsOptions.Service;
import dev.tempora.internal.aws.AwsConfig;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.worker.RegistryWorker;
import java.net.URI;
import java.time.InstantSource;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The connection to an engine deployed on AWS, as Temporal's {@code WorkflowServiceStubs}: the AWS
 * SDK clients for its table, queues, Scheduler group and query function, made from {@link
 * AwsServiceStubsOptions}. Clients over it write runs and messages directly (no HTTP hop) and
 * send queries to the coordinator function:
 *
 * <pre>{@code
 * AwsServiceStubs service = AwsServiceStubs.newInstance(AwsServiceStubsOptions.fromStack("orders-engine"));
 * WorkflowClient client = WorkflowClient.newInstance(service, WorkflowClientOptions.getDefaultInstance());
 * }</pre>
 *
 * <p>The client checks requests as the engine's HTTP API does. Without the engine's workflow code
 * it checks them against the catalog the engine's coordinator publishes in its table when it
 * starts with new code (types, signal, query and update names, argument counts, served task
 * queues); with the code ({@link AwsServiceStubsOptions.Builder#setWorkerSetup}) it checks the
 * argument types too. Close it when done (it closes the SDK clients).
 */
public final class AwsServiceStubs implements AutoCloseable {
  private final AwsServiceStubsOptions options;
  private final AwsRuntime.Clients clients;
  private volatile AwsRuntime runtime;

  private AwsServiceStubs(AwsServiceStubsOptions options) {
    this.options = options;
    this.clients = new AwsRuntime.Clients(configure(DynamoDbClient.builder(), Service.DYNAMODB).build(),
        configure(SqsClient.builder(), Service.SQS).build(), configure(SchedulerClient.builder(), Service.SCHEDULER).build(),
        configure(LambdaClient.builder(), Service.LAMBDA).build());
  }

  public static AwsServiceStubs newInstance(AwsServiceStubsOptions options) {
    return new AwsServiceStubs(options);
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(B builder, Service service) {
    if (options.getRegion() != null) builder.region(Region.of(options.getRegion()));
    if (options.getCredentialsProvider() != null) builder.credentialsProvider(options.getCredentialsProvider());
    URI endpoint = options.getEndpointOverrides().get(service);
    if (endpoint != null) builder.endpointOverride(endpoint);
    return builder;
  }

  public AwsServiceStubsOptions getOptions() {
    return options;
  }

  /** A workflow client over this connection; {@link WorkflowClient#newInstance(AwsServiceStubs, WorkflowClientOptions)} says the same. */
  public WorkflowClient newWorkflowClient(WorkflowClientOptions clientOptions) {
    return WorkflowClient.newInstance(runtime().client(), clientOptions);
  }

  /** The engine's parts a client uses; made on first use (it looks up the queue URLs, which checks the connection). */
  private AwsRuntime runtime() {
    AwsRuntime r = runtime;
    if (r == null) {
      synchronized (this) {
        r = runtime;
        if (r == null) {
          r = new AwsRuntime(config(), clients, InstantSource.system(), WorkflowTaskHooks.NONE);
          if (options.getWorkerSetup() != null) {
            RegistryWorker.loadSetup(options.getWorkerSetup()).configure(r.worker());
          } else {
            // No workflow code here: requests are checked against the catalog the engine's coordinator publishes.
            r.validator.withCatalog(r.catalog);
          }
          runtime = r;
        }
      }
    }
    return r;
  }

  private AwsConfig config() {
    AwsConfig d = AwsConfig.defaults();
    String role = options.getSchedulerRoleArn() != null ? options.getSchedulerRoleArn() : d.schedulerRoleArn();
    return new AwsConfig(options.getNamespace(), options.getTableName(), options.getQueuePrefix(),
        options.getScheduleGroup(), role, options.getCoordinatorFunction(), d.runnerCacheSize(), d.deadlockMillis(), null,
        options.getTaskQueues());
  }

  @Override
  public void close() {
    clients.dynamoDb().close();
    clients.sqs().close();
    clients.scheduler().close();
    clients.lambda().close();
  }
}
