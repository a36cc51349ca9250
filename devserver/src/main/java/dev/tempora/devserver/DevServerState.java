package dev.tempora.devserver;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tempora.internal.aws.AwsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What {@code devserver --serve} writes to its state file (default {@code ~/.tempora/devserver.json})
 * so that the tempora CLI (dev.tempora.cli) can find it: the endpoints (the HTTP API's too, for curl and other
 * HTTP clients), the deployment names, the queues by role, what the CLI needs to check requests
 * as the server does (the worker setup class, whose workflow types it registers, and the served
 * task queues), the stack's credential (made fresh at each start; the endpoints refuse any
 * other), and how far the stack's clock is ahead of the machine's (tests and the demo move it; the
 * devserver writes the file again when they do), so the CLI's start delays and cron waits are
 * counted on the stack's time; where the worker setup's own classes are (a user's classpath or
 * jar, empty for the examples) and the data directory (null when in memory). The file is readable by its owner only (0600), in a directory only its owner may enter
 * when this creates it (0700).
 */
public record DevServerState(
    long pid,
    String startedAt,
    String region,
    String dynamoDbEndpoint,
    String sqsEndpoint,
    String lambdaEndpoint,
    String schedulerEndpoint,
    String namespace,
    String tableName,
    String queuePrefix,
    String scheduleGroup,
    String schedulerRoleArn,
    String coordinatorFunctionName,
    Map<String, QueueUrls> queues,
    String httpApiEndpoint,
    String workerSetup,
    List<String> taskQueues,
    String accessKeyId,
    String secretAccessKey,
    long clockOffsetMillis,
    List<String> workerClasspath,
    String dataDir) {

  /** A queue and its dead-letter queue. */
  public record QueueUrls(String url, String dlqUrl) {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  public static Path defaultPath() {
    return Path.of(System.getProperty("user.home"), ".tempora", "devserver.json");
  }

  public static DevServerState of(DevServer server) {
    AwsConfig c = server.config();
    Map<String, QueueUrls> queues = new LinkedHashMap<>();
    server.queues().forEach((role, q) -> queues.put(role, new QueueUrls(q.url(), q.dlqUrl())));
    return new DevServerState(ProcessHandle.current().pid(), Instant.now().toString(), EmbeddedAws.REGION.id(),
        server.aws().dynamoEndpoint().toString(), server.aws().sqsEndpoint().toString(),
        server.lambdaEndpoint().toString(), server.scheduler().endpoint().toString(), c.namespace(), c.tableName(),
        c.queuePrefix(), c.scheduleGroup(), c.schedulerRoleArn(), c.coordinatorFunctionName(), queues,
        server.httpApiEndpoint().toString(), server.workerSetupClass(), List.copyOf(new TreeSet<>(c.servedTaskQueues())),
        server.aws().credentialValues().accessKeyId(), server.aws().credentialValues().secretAccessKey(),
        Duration.between(Instant.now(), server.scheduler().now()).toMillis(), server.workerClasspath(),
        server.dataDir() == null ? null : server.dataDir().toAbsolutePath().toString());
  }

  /** The stack's clock as a client process sees it: the machine's plus the recorded offset. */
  public InstantSource stackClock() {
    InstantSource system = InstantSource.system();
    return () -> system.instant().plusMillis(clockOffsetMillis);
  }

  /** The stack's credential, for clients of its endpoints. */
  public AwsCredentialsProvider credentials() {
    if (accessKeyId == null || secretAccessKey == null) {
      throw new IllegalStateException("the state file has no credential (written by an older devserver): restart the devserver");
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
  }

  /** The secret stays out of logs and exception messages. */
  @Override
  public String toString() {
    return "DevServerState[pid=" + pid + ", httpApiEndpoint=" + httpApiEndpoint + ", accessKeyId=" + accessKeyId
        + ", secretAccessKey=***]";
  }

  /** The deployment names, worker setup and served task queues as an {@link AwsConfig} (the rest are defaults). */
  public AwsConfig config() {
    AwsConfig d = AwsConfig.defaults();
    return new AwsConfig(namespace, tableName, queuePrefix, scheduleGroup, schedulerRoleArn, coordinatorFunctionName,
        d.runnerCacheSize(), d.deadlockMillis(), workerSetup, taskQueues == null ? Set.of() : Set.copyOf(taskQueues));
  }

  /** Writes the file atomically (temp file + rename), mode 0600, creating its directory (0700). */
  public void write(Path path) {
    try {
      Path dir = path.toAbsolutePath().getParent();
      boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      // Owner-only from its creation: the credential is never readable by others, not even briefly.
      Path tmp = posix
          ? Files.createTempFile(dir, ".devserver", ".json", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
          : Files.createTempFile(dir, ".devserver", ".json");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the state file " + path, e);
    }
  }

  public static DevServerState read(Path path) throws IOException {
    return JSON.readValue(path.toFile(), DevServerState.class);
  }
}
