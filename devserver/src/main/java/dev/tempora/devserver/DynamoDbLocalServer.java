package dev.tempora.devserver;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * DynamoDB Local (in memory, or on disk in a directory) served on 127.0.0.1 only, to the stack's
 * credential only. On disk it keeps one shared database file ({@code -sharedDb}): each start signs
 * with a fresh credential, and per-key databases would start empty every time.
 *
 * <p>DynamoDB Local's own server ({@code DynamoDBProxyServer}, what {@code ServerRunner} builds)
 * binds every interface and has no host option. So this builds the same two handlers {@code
 * ServerRunner.createServer} builds ({@link LocalDynamoDBRequestHandler} in memory, per-key
 * databases, and {@link LocalDynamoDBServerHandler}, the HTTP protocol, both public classes) and
 * serves them from a {@link LocalHttpServer} of our own: loopback, a free port chosen by the kernel
 * (no probe-then-bind race), the listener limits, and an AWS signature check before DynamoDB Local
 * sees a request. A request signed with any other key is refused {@code UnrecognizedClientException}
 * (DynamoDB Local alone would serve it, from that key's own empty database).
 *
 * <p>Telemetry stays off: DynamoDB Local sends it only once {@code Telemetry.configureTelemetry}
 * has been called with it on, which nothing here does.
 */
final class DynamoDbLocalServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DynamoDbLocalServer.class);
  /**
   * DynamoDB Local's bundled AWS SDK v1 warns through java.util.logging that JAXB is missing (it
   * falls back to its own code, which is fine here): keep that out of what the demo and the
   * devserver print. Held in a field: java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger SDK_V1_LOG = quiet(java.util.logging.Logger.getLogger("com.amazonaws"));

  private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
    logger.setLevel(Level.SEVERE);
    return logger;
  }
  /** DynamoDB Local's own request limit (LocalDynamoDBServerHandler.MAX_REQUEST_SIZE). */
  static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;
  private static final String TARGET_PREFIX = "com.amazonaws.dynamodb.v20120810#";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Kept so the level set below is not lost when the logger is collected. */
  private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

  private final LocalDynamoDBServerHandler handler;
  private final LocalHttpServer http;

  private DynamoDbLocalServer(AwsCredentials credentials, HttpLimits limits, Path dbDir) {
    SQLITE_LOG.setLevel(java.util.logging.Level.WARNING); // as ServerRunner does: sqlite4java is chatty
    try {
      handler = new LocalDynamoDBServerHandler(
          dbDir == null ? new LocalDynamoDBRequestHandler(0, true, null, false, false)
              : new LocalDynamoDBRequestHandler(0, false, directory(dbDir), true, false),
          "" /* no CORS origins */);
    } catch (Exception e) {
      throw new IllegalStateException("could not create DynamoDB Local", e);
    }
    SigV4Verifier verifier = new SigV4Verifier(credentials);
    try {
      http = LocalHttpServer.start("dynamodb-local", 0, limits, MAX_REQUEST_BYTES, DynamoDbLocalServer::error,
          request -> {
            Optional<SigV4Verifier.Refused> refused = verifier.check(request);
            if (refused.isPresent()) {
              return LocalHttpServer.Outcome.reply(error(400, refused.get().error(), refused.get().message()));
            }
            return new LocalHttpServer.Outcome.PassOn(handler);
          });
    } catch (RuntimeException e) {
      stopEmulator(handler);
      throw e;
    }
  }

  static DynamoDbLocalServer start(AwsCredentials credentials, HttpLimits limits) {
    return new DynamoDbLocalServer(credentials, limits, null);
  }

  /** On disk in {@code dbDir} (created if missing; its database is kept across starts), or in memory if null. */
  static DynamoDbLocalServer start(AwsCredentials credentials, HttpLimits limits, Path dbDir) {
    return new DynamoDbLocalServer(credentials, limits, dbDir);
  }

  private static String directory(Path dir) {
    try {
      return Files.createDirectories(dir).toAbsolutePath().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create DynamoDB Local's directory " + dir, e);
    }
  }

  URI endpoint() {
    return http.endpoint();
  }

  /** DynamoDB's error document (JSON 1.0 protocol), which the SDK maps to its exceptions. */
  private static LocalReply error(int status, String name, String message) {
    ObjectNode body = JSON.createObjectNode().put("__type", TARGET_PREFIX + name).put("message", message);
    return LocalReply.json(status, Map.of("Content-Type", "application/x-amz-json-1.0"), body.toString());
  }

  @Override
  public void close() {
    http.close();
    stopEmulator(handler);
  }

  private static void stopEmulator(LocalDynamoDBServerHandler handler) {
    try {
      handler.close();
    } catch (Exception e) {
      log.warn("DynamoDB Local did not stop cleanly", e);
    }
    if (shutdownJobThreads(handler) == 0) {
      log.warn("found no DynamoDB Local job pools to stop; its non-daemon threads may keep the JVM alive");
    }
  }

  private static final String DYNAMO_LOCAL_PACKAGE = "com.amazonaws.services.dynamodbv2.local.";
  private static final String JOBS_REGISTER = DYNAMO_LOCAL_PACKAGE + "shared.jobs.JobsRegister";

  /**
   * Closing DynamoDB Local cancels its background jobs (shard rollover, GSI creation/deletion, TTL
   * deletion), but their non-daemon pool threads only notice at the end of a long {@code
   * Thread.sleep} (still alive 40 s later, measured), so a plain {@code main} would not exit. This
   * walks the emulator's own objects reachable from {@code root} (only classes of DynamoDB Local,
   * and the values of maps/collections they hold, a few levels deep) and calls {@code shutdownNow()}
   * on every {@code JobsRegister} found, which interrupts those sleeps. Best effort against one
   * DynamoDB Local version (2.6.1). Returns how many it stopped.
   */
  private static int shutdownJobThreads(Object root) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Object> level = new ArrayDeque<>(List.of(root));
    int stopped = 0;
    for (int depth = 0; depth < 8 && !level.isEmpty(); depth++) {
      ArrayDeque<Object> next = new ArrayDeque<>();
      for (Object o : level) {
        if (!seen.add(o)) continue;
        if (o.getClass().getName().equals(JOBS_REGISTER)) {
          try {
            o.getClass().getMethod("shutdownNow").invoke(o);
            stopped++;
          } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("could not stop a DynamoDB Local job pool", e);
          }
          continue;
        }
        for (Class<?> c = o.getClass(); c != null && c.getName().startsWith(DYNAMO_LOCAL_PACKAGE); c = c.getSuperclass()) {
          for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
            try {
              f.setAccessible(true);
              Object v = f.get(o);
              if (v instanceof Map<?, ?> m) v = m.values();
              if (v instanceof Collection<?> col) {
                for (Object e : col) if (e != null && e.getClass().getName().startsWith(DYNAMO_LOCAL_PACKAGE)) next.add(e);
              } else if (v != null && v.getClass().getName().startsWith(DYNAMO_LOCAL_PACKAGE)) {
                next.add(v);
              }
            } catch (IllegalAccessException | RuntimeException e) {
              // Inaccessible or concurrently modified: skip this field, best effort.
            }
          }
        }
      }
      level = next;
    }
    return stopped;
  }
}
