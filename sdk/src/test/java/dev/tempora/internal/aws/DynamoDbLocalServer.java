package dev.tempora.internal.aws;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * DynamoDB Local 2.6.1 as an HTTP server on a free port, reached through a real SDK v2 client
 * (Apache HTTP client, dummy static credentials), so tests exercise the same wire calls as AWS.
 *
 * <p>Use it as a JUnit extension: {@code @ExtendWith(DynamoDbLocalServer.Extension.class)} and a
 * {@code DynamoDbLocalServer} parameter (constructor, {@code @BeforeAll}, or test method). The
 * server starts once per test run (kept in the root extension store, shared by every class) and
 * stops when the run ends. Each suite isolates itself with {@link #newTable}.
 */
public final class DynamoDbLocalServer implements AutoCloseable {
  private static final AtomicInteger TABLES = new AtomicInteger();

  private final DynamoDBProxyServer server;
  private final int port;
  private final DynamoDbClient client;

  private DynamoDbLocalServer(DynamoDBProxyServer server, int port) {
    this.server = server;
    this.port = port;
    this.client = newClient();
  }

  /** Starts a server; the caller closes it. Prefer the {@link Extension}, which shares one. */
  public static DynamoDbLocalServer start() {
    Exception last = null;
    // DynamoDB Local has no bind-host option (it listens on 0.0.0.0) and no "port 0": probe a free
    // port, and retry if another process grabs it between the probe and the bind.
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      try {
        DynamoDBProxyServer s = ServerRunner.createServerFromCommandLineArgs(
            new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        s.start();
        return new DynamoDbLocalServer(s, port);
      } catch (Exception e) {
        last = e;
      }
    }
    throw new IllegalStateException("could not start DynamoDB Local", last);
  }

  public int port() {
    return port;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A client shared by the tests of this server (closed with it). */
  public DynamoDbClient client() {
    return client;
  }

  /** A new client on this server; the caller closes it. */
  public DynamoDbClient newClient() {
    return clientBuilder().build();
  }

  /** A client builder set up for this server, to add interceptors or retry settings. */
  public DynamoDbClientBuilder clientBuilder() {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClientBuilder(ApacheHttpClient.builder());
  }

  /** Creates a Tempora table with a name unique in this run and returns the name. */
  public String newTable(String prefix) {
    String name = prefix + "-" + TABLES.incrementAndGet();
    DynamoDbHistoryStore.createTable(client, name);
    return name;
  }

  @Override
  public void close() {
    client.close();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop DynamoDB Local", e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /** Shares one server per test run and resolves {@link DynamoDbLocalServer} parameters. */
  public static final class Extension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(DynamoDbLocalServer.class);

    @Override
    public void beforeAll(ExtensionContext context) {
      server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
      return p.getParameter().getType() == DynamoDbLocalServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext context) {
      return server(context);
    }

    private static DynamoDbLocalServer server(ExtensionContext context) {
      // The root store is closed when the whole run ends: one server for all classes, stopped at the end.
      return context.getRoot().getStore(NS)
          .getOrComputeIfAbsent("server", k -> new Holder(start()), Holder.class).server;
    }

    private record Holder(DynamoDbLocalServer server) implements ExtensionContext.Store.CloseableResource {
      @Override
      public void close() {
        server.close();
      }
    }
  }
}
