package dev.tempora.cli;

import dev.tempora.client.aws.AwsServiceStubs;
import dev.tempora.client.aws.AwsServiceStubsOptions;
import dev.tempora.client.aws.AwsServiceStubsOptions.Service;
import dev.tempora.devserver.DevServerState;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the commands go: a devserver (found by its state file) or an engine on AWS (a stack's
 * outputs, or the engine's environment variables). Workflow, schedule and activity commands go to
 * the engine's HTTP API; {@code workflow show} reads history and {@code dlq} reads the dead-letter
 * queues through the public AWS clients ({@link AwsServiceStubs}). Everything is made on first use:
 * a describe against the devserver loads no AWS SDK client.
 */
abstract sealed class Environment implements AutoCloseable {
  private AwsServiceStubs stubs;
  private SqsClient sqs;

  /** The engine's HTTP API. */
  abstract HttpApiClient api();

  abstract AwsServiceStubsOptions options();

  /** What to call it in messages. */
  abstract String describe();

  final AwsServiceStubs stubs() {
    if (stubs == null) stubs = AwsServiceStubs.newInstance(options());
    return stubs;
  }

  final SqsClient sqs() {
    if (sqs == null) {
      AwsServiceStubsOptions o = options();
      var b = SqsClient.builder();
      if (o.getRegion() != null) b.region(Region.of(o.getRegion()));
      if (o.getCredentialsProvider() != null) b.credentialsProvider(o.getCredentialsProvider());
      URI endpoint = o.getEndpointOverrides().get(Service.SQS);
      if (endpoint != null) b.endpointOverride(endpoint);
      sqs = b.build();
    }
    return sqs;
  }

  @Override
  public void close() {
    if (stubs != null) stubs.close();
    if (sqs != null) sqs.close();
  }

  /** A running {@code bin/devserver}: its state file names its endpoints and the stack's credential. */
  static final class Devserver extends Environment {
    private final Path stateFile;
    private DevServerState state;
    private AwsServiceStubsOptions options;

    Devserver(Path stateFile) {
      this.stateFile = stateFile;
    }

    DevServerState state() {
      if (state == null) {
        if (!Files.exists(stateFile)) {
          throw new CliError.Unavailable("no devserver running: state file " + stateFile
              + " not found (start one with bin/devserver, or pass --stack/--outputs-file for AWS)");
        }
        try {
          state = DevServerState.read(stateFile);
        } catch (IOException e) {
          throw new CliError.Unavailable("cannot read the devserver state file " + stateFile + ": " + e.getMessage());
        }
      }
      return state;
    }

    @Override
    HttpApiClient api() {
      return new HttpApiClient(URI.create(state().httpApiEndpoint()), "the devserver (state file " + stateFile + ")", null);
    }

    @Override
    AwsServiceStubsOptions options() {
      if (options == null) {
        DevServerState s = state();
        AwsCredentialsProvider credentials;
        try {
          credentials = s.credentials();
        } catch (IllegalStateException e) {
          throw new CliError.Unavailable(e.getMessage());
        }
        options = AwsServiceStubsOptions.newBuilder().setNamespace(s.namespace()).setTableName(s.tableName())
            .setQueuePrefix(s.queuePrefix()).setCoordinatorFunction(s.coordinatorFunctionName())
            .setScheduleGroup(s.scheduleGroup()).setSchedulerRoleArn(s.schedulerRoleArn())
            .setRegion(s.region()).setCredentialsProvider(credentials)
            .setEndpointOverride(Service.DYNAMODB, URI.create(s.dynamoDbEndpoint()))
            .setEndpointOverride(Service.SQS, URI.create(s.sqsEndpoint()))
            .setEndpointOverride(Service.LAMBDA, URI.create(s.lambdaEndpoint()))
            .setEndpointOverride(Service.SCHEDULER, URI.create(s.schedulerEndpoint()))
            .build();
      }
      return options;
    }

    @Override
    String describe() {
      return "the devserver (state file " + stateFile + ")";
    }
  }

  /** An engine on AWS: the HTTP API at the stack's ApiUrl, signed with SigV4; history and DLQs with the AWS clients. */
  static final class Aws extends Environment {
    private final AwsServiceStubsOptions options;
    private final String source;

    Aws(AwsServiceStubsOptions options, String source) {
      this.options = options;
      this.source = source;
    }

    @Override
    AwsServiceStubsOptions options() {
      return options;
    }

    @Override
    String describe() {
      return "the engine of " + source;
    }

    @Override
    HttpApiClient api() {
      URI api = options.getApiUrl();
      if (api == null) {
        throw new CliError.Unavailable("NoApiUrl: " + source + " names no HTTP API (stack output ApiUrl); "
            + "workflow, schedule and activity commands go through it");
      }
      String region = options.getRegion() != null ? options.getRegion() : regionFromApiUrl(api);
      AwsCredentialsProvider credentials = options.getCredentialsProvider() != null ? options.getCredentialsProvider()
          : DefaultCredentialsProvider.builder().build();
      return new HttpApiClient(api, describe(), (method, uri, body) -> sign(method, uri, body, region, credentials));
    }

    /** https://{id}.execute-api.{region}.amazonaws.com/...: the region, else the default chain's. */
    private static String regionFromApiUrl(URI api) {
      String host = api.getHost() == null ? "" : api.getHost();
      int i = host.indexOf(".execute-api.");
      if (i > 0 && host.endsWith(".amazonaws.com")) {
        return host.substring(i + ".execute-api.".length(), host.length() - ".amazonaws.com".length());
      }
      return new DefaultAwsRegionProviderChain().getRegion().id();
    }

    private static Map<String, String> sign(String method, URI uri, byte[] body, String region,
        AwsCredentialsProvider credentials) {
      var builder = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
      if (body.length > 0) builder.putHeader("Content-Type", "application/json"); // as HttpApiClient sends it
      SdkHttpRequest request = builder.build();
      var signed = AwsV4HttpSigner.create().sign(s -> s.identity(credentials.resolveCredentials()).request(request)
          .payload(ContentStreamProvider.fromByteArray(body))
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
          .putProperty(AwsV4HttpSigner.REGION_NAME, region));
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      signed.request().headers().forEach((name, values) -> {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (!n.equals("host") && !n.equals("content-length") && !n.equals("content-type")) {
          headers.put(name, String.join(",", values));
        }
      });
      return headers;
    }
  }
}
