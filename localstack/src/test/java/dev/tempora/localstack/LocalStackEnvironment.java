package dev.tempora.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.internal.aws.AwsConfig;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.worker.RegistryWorker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * LocalStack in a container, set up exactly as docker-compose.yml sets it up: the same image and
 * environment (read from that file), the same init script copied to the same place, the bundle
 * jar where the compose file mounts it. Then the script creates every resource and function;
 * this class only waits for it and builds the SDK clients and a Tempora runtime pointed at it.
 */
final class LocalStackEnvironment implements AutoCloseable {
  static final String INIT_SCRIPT = "init/ready.d/10-tempora.sh";
  static final String CONTAINER_INIT_DIR = "/etc/localstack/init/ready.d/";
  static final String CONTAINER_JAR = "/opt/tempora/tempora-examples-lambda.jar";
  /** A first run pulls the java21 Lambda image while the script waits for the functions. */
  static final Duration INIT_TIMEOUT = Duration.ofMinutes(10);

  final LocalStackContainer container;
  final AwsConfig config;
  final AwsRuntime.Clients clients;
  final AwsRuntime runtime;

  private LocalStackEnvironment(LocalStackContainer container, AwsConfig config) {
    this.container = container;
    this.config = config;
    URI endpoint = container.getEndpoint();
    Region region = Region.of(container.getRegion());
    var credentials = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey()));
    this.clients = new AwsRuntime.Clients(
        DynamoDbClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder()).build(),
        SqsClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder()).build(),
        SchedulerClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder()).build(),
        // A query's Invoke may wait for a Java cold start in a new Lambda container.
        LambdaClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofMinutes(3))).build());
    // The client side of the engine: writes runs and messages, queries through the coordinator
    // function. Workflows and activities run only in the Lambda functions; the client registers
    // the same setup's workflow types to check requests as the functions do.
    this.runtime = new AwsRuntime(config, clients, InstantSource.system(), WorkflowTaskHooks.NONE);
    RegistryWorker.loadSetup(config.workerSetupClass()).configure(runtime.worker());
  }

  static LocalStackEnvironment start(Path moduleDir, Path lambdaJar) {
    if (!Files.isRegularFile(lambdaJar)) {
      throw new IllegalStateException("the Lambda bundle " + lambdaJar + " is missing: build with"
          + " mvn -pl localstack -am verify, which packages examples-lambda first");
    }
    ComposeFile compose = ComposeFile.read(moduleDir.resolve("docker-compose.yml"));
    LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(compose.image()))
        .withEnv(compose.environment())
        // LocalStack may log its "Ready." marker only after the READY scripts have run, and on a
        // first run the script waits for the java21 image pull: allow for that, not the default minute.
        .withStartupTimeout(INIT_TIMEOUT)
        .withCopyFileToContainer(MountableFile.forHostPath(lambdaJar), CONTAINER_JAR)
        .withCopyFileToContainer(MountableFile.forHostPath(moduleDir.resolve(INIT_SCRIPT), 0755),
            CONTAINER_INIT_DIR + Path.of(INIT_SCRIPT).getFileName());
    container.start();
    try {
      awaitInit(container);
      // The runtime is configured as the functions are: from the same settings.
      return new LocalStackEnvironment(container, AwsConfig.fromEnvironment(compose.environment()));
    } catch (RuntimeException | Error e) {
      container.stop();
      throw e;
    }
  }

  /**
   * Waits until LocalStack has run its READY scripts ({@code GET /_localstack/init/ready} reports
   * {@code completed}) and fails, with the container's log, unless every one succeeded.
   */
  private static void awaitInit(LocalStackContainer container) {
    URI status = container.getEndpoint().resolve("/_localstack/init/ready");
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + INIT_TIMEOUT.toNanos();
    while (true) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(response.body());
        if (response.statusCode() == 200 && body.path("completed").asBoolean(false)) {
          for (JsonNode script : body.path("scripts")) {
            if (!"SUCCESSFUL".equals(script.path("state").asText())) {
              throw new IllegalStateException("LocalStack init script " + script.path("name").asText() + " ended "
                  + script.path("state").asText() + "; container log:\n" + container.getLogs());
            }
          }
          if (body.path("scripts").isEmpty()) {
            throw new IllegalStateException("LocalStack ran no init script; container log:\n" + container.getLogs());
          }
          return;
        }
      } catch (IOException e) {
        // Not answering yet: retry until the deadline.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("LocalStack init did not complete within " + INIT_TIMEOUT
            + "; container log:\n" + container.getLogs());
      }
      sleep(Duration.ofSeconds(2));
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    clients.dynamoDb().close();
    clients.sqs().close();
    clients.scheduler().close();
    clients.lambda().close();
    container.stop();
  }
}
