package dev.tempora.internal.aws;

import dev.tempora.client.aws.AwsServiceStubsOptions;
import dev.tempora.client.aws.AwsServiceStubsOptions.Service;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.worker.RegistryWorker;
import dev.tempora.worker.WorkerSetup;
import java.net.URI;
import java.time.InstantSource;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The engine's parts for a process outside the deployment (a client, {@code tempora ui}), made
 * from {@link AwsServiceStubsOptions}: the SDK clients with its region, credentials and endpoint
 * overrides, and a runtime that checks requests with the workflow code when it is given, else
 * against the catalog the engine's coordinator publishes (ADR 27). One place, so the public
 * {@code AwsServiceStubs} and the CLI's UI build the same runtime.
 */
public final class StubsRuntime {
  private StubsRuntime() {}

  /** The SDK clients, configured by the options; the caller closes them ({@link #close}). */
  public static AwsRuntime.Clients clients(AwsServiceStubsOptions options) {
    return new AwsRuntime.Clients(configure(DynamoDbClient.builder(), Service.DYNAMODB, options).build(),
        configure(SqsClient.builder(), Service.SQS, options).build(),
        configure(SchedulerClient.builder(), Service.SCHEDULER, options).build(),
        configure(LambdaClient.builder(), Service.LAMBDA, options).build());
  }

  /**
   * The runtime over {@code clients}: with {@code setup}'s code if given, else the options' worker
   * setup class if named, else requests checked against the published catalog. It looks up the
   * queue URLs, which checks the connection.
   */
  public static AwsRuntime runtime(AwsServiceStubsOptions options, AwsRuntime.Clients clients, WorkerSetup setup) {
    AwsRuntime r = new AwsRuntime(config(options), clients, InstantSource.system(), WorkflowTaskHooks.NONE);
    if (setup == null && options.getWorkerSetup() != null) setup = RegistryWorker.loadSetup(options.getWorkerSetup());
    if (setup != null) {
      setup.configure(r.worker());
    } else {
      // No workflow code here: requests are checked against the catalog the engine's coordinator publishes.
      r.validator.withCatalog(r.catalog);
    }
    return r;
  }

  public static void close(AwsRuntime.Clients clients) {
    clients.dynamoDb().close();
    clients.sqs().close();
    clients.scheduler().close();
    clients.lambda().close();
  }

  static AwsConfig config(AwsServiceStubsOptions options) {
    AwsConfig d = AwsConfig.defaults();
    String role = options.getSchedulerRoleArn() != null ? options.getSchedulerRoleArn() : d.schedulerRoleArn();
    return new AwsConfig(options.getNamespace(), options.getTableName(), options.getQueuePrefix(),
        options.getScheduleGroup(), role, options.getCoordinatorFunction(), d.runnerCacheSize(), d.deadlockMillis(), null,
        options.getTaskQueues());
  }

  private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, Service service,
      AwsServiceStubsOptions options) {
    if (options.getRegion() != null) builder.region(Region.of(options.getRegion()));
    if (options.getCredentialsProvider() != null) builder.credentialsProvider(options.getCredentialsProvider());
    URI endpoint = options.getEndpointOverrides().get(service);
    if (endpoint != null) builder.endpointOverride(endpoint);
    return builder;
  }
}
