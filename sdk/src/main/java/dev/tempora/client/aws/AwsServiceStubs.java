package dev.tempora.client.aws;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowClientOptions;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.StubsRuntime;

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
    this.clients = StubsRuntime.clients(options);
  }

  public static AwsServiceStubs newInstance(AwsServiceStubsOptions options) {
    return new AwsServiceStubs(options);
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
          r = StubsRuntime.runtime(options, clients, null);
          runtime = r;
        }
      }
    }
    return r;
  }

  @Override
  public void close() {
    StubsRuntime.close(clients);
  }
}
