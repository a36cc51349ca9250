package dev.tempora.devserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.util.Timeout;
import org.elasticmq.QueueStatistics;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.DB;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.metrics.QueueMetricsOps;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.concurrent.Await;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;
import scalikejdbc.ConnectionPool;
import scalikejdbc.ConnectionPoolSettings;

/**
 * ElasticMQ (SQS) on 127.0.0.1 and a dynamic port, on a clock the stack chooses ({@link
 * #useClock}): delays, visibility timeouts and message timestamps follow it, so when the devserver
 * moves its clock forward a delayed message (a short timer, a retry backoff, a schedule's firing
 * within the minute) is due as it would be on SQS after that much time.
 *
 * <p>ElasticMQ takes its time from a {@link NowProvider} given to its queue manager actor, which
 * its server builder accepts ready-made; its GetQueueAttributes counts, though, compare with the
 * machine's clock. So the stack reads queue depths here ({@link #depth}), at its own time.
 *
 * <p>With a directory ({@link #start(String, String, Path)}) queues and messages are kept in an H2
 * database there by ElasticMQ's own SQL persistence: the queue actor acknowledges a send, receive
 * or delete only after its listener wrote it, and a start restores every queue and message
 * (visibility and delays as they were, on the stack's clock) before it serves. scalikejdbc keeps
 * one connection pool per JVM, so one persistent ElasticMQ at a time per JVM.
 */
final class ElasticMqServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ElasticMqServer.class);
  private static final Duration ASK = Duration.ofSeconds(5);
  /** How long restoring stored queues and messages may take at start. */
  private static final Duration RESTORE = Duration.ofSeconds(60);
  /**
   * How far ahead {@link #nextVisible} looks: the longest SQS delay (15 min) and the longest
   * visibility timeout (12 h).
   */
  private static final Duration HORIZON = Duration.ofHours(12).plusMinutes(15);

  /** The clock ElasticMQ reads; the machine's until the stack gives it its own. */
  private static final class StackNow extends NowProvider {
    private volatile InstantSource clock = InstantSource.system();

    @Override
    public long nowMillis() {
      return clock.millis();
    }

    @Override
    public OffsetDateTime now() {
      return OffsetDateTime.ofInstant(Instant.ofEpochMilli(nowMillis()), ZoneOffset.UTC);
    }
  }

  /** A queue's messages at one time: visible, received and not yet visible again, delayed. */
  record Depth(long visible, long inFlight, long delayed) {}

  private final ActorSystem actors;
  private final ActorRef queueManager;
  private final StackNow now;
  private final SQSRestServer server;
  private final int port;
  private final boolean persistent;

  private ElasticMqServer(ActorSystem actors, ActorRef queueManager, StackNow now, SQSRestServer server, int port,
      boolean persistent) {
    this.persistent = persistent;
    this.actors = actors;
    this.queueManager = queueManager;
    this.now = now;
    this.server = server;
    this.port = port;
  }

  static ElasticMqServer start(String region, String accountId) {
    return start(region, accountId, null);
  }

  /**
   * As {@link #start(String, String)}, keeping queues and messages in {@code dir} (H2) and restoring
   * them from there first; in memory if {@code dir} is null.
   */
  static ElasticMqServer start(String region, String accountId, Path dir) {
    ActorSystem actors = ActorSystem.create("elasticmq");
    try {
      StackNow now = new StackNow();
      Option<ActorRef> listener = dir == null ? Option.empty() : Option.apply(persistence(actors, dir));
      ActorRef manager = actors.actorOf(Props.create(QueueManagerActor.class,
          () -> new QueueManagerActor(now, StrictSQSLimits$.MODULE$, listener)));
      if (listener.isDefined()) {
        restore(listener.get(), manager, dir);
      }
      SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1")
          .withDynamicPort()
          .withAWSRegion(region)
          .withAWSAccountId(accountId)
          .withActorSystem(actors)
          .withQueueManagerActor(manager)
          .start();
      InetSocketAddress address = server.waitUntilStarted().localAddress();
      return new ElasticMqServer(actors, manager, now, server, address.getPort(), dir != null);
    } catch (RuntimeException e) {
      actors.terminate();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /**
   * ElasticMQ's SQL persistence on an H2 file in {@code dir}. Each change is written before the
   * queue acknowledges it; H2 with WRITE_DELAY=0 writes a commit to the file at once, so a killed
   * process loses no acknowledged send.
   */
  private static ActorRef persistence(ActorSystem actors, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create ElasticMQ's directory " + dir, e);
    }
    String uri = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("elasticmq") + ";WRITE_DELAY=0";
    SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", uri, "sa", "", false);
    DB.initializeSingleton(config); // loads the driver, once per JVM
    // DB keeps the first URI of the JVM: point the pool at this one (a second stack, another directory).
    ConnectionPoolSettings settings = ConnectionPool.singleton$default$4();
    ConnectionPool.singleton(uri, "sa", "", settings, ConnectionPool.singleton$default$5(uri, "sa", "", settings));
    return actors.actorOf(Props.create(SqlQueuePersistenceActor.class,
        () -> new SqlQueuePersistenceActor(config, scala.collection.immutable.List$.MODULE$.empty())));
  }

  /** Recreates the stored queues and their messages; returns once ElasticMQ holds them. */
  private static void restore(ActorRef persistence, ActorRef manager, Path dir) {
    Future<Object> restored = Patterns.ask(persistence, new QueueEvent.Restore(manager), Timeout.create(RESTORE));
    Object result;
    try {
      result = Await.result(restored, new FiniteDuration(RESTORE.toMillis(), TimeUnit.MILLISECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("ElasticMqRestoreFailed: could not restore the queues in " + dir, e);
    }
    if (result instanceof scala.util.Left<?, ?> left) {
      throw new IllegalStateException("ElasticMqRestoreFailed: could not restore the queues in " + dir + ": " + left.value());
    }
  }

  /** From now on ElasticMQ's time is {@code clock}'s (which must not go backwards). */
  void useClock(InstantSource clock) {
    now.clock = clock;
  }

  /** A queue's messages by state, at the stack's time. */
  Depth depth(String queueName) {
    QueueStatistics s = statistics(queueName, now.nowMillis());
    return new Depth(s.approximateNumberOfVisibleMessages(), s.approximateNumberOfInvisibleMessages(),
        s.approximateNumberOfMessagesDelayed());
  }

  /**
   * When the next message of the queue becomes visible (a delay or a visibility timeout ending),
   * if one does within {@link #HORIZON}. ElasticMQ counts the messages visible at any given time
   * but does not tell when each becomes so; that count only grows with the time asked about, so the
   * earliest time it grows is found by bisection (about 26 questions to the queue's actor).
   */
  Optional<Instant> nextVisible(String queueName) {
    long from = now.nowMillis();
    long visibleNow = statistics(queueName, from).approximateNumberOfVisibleMessages();
    long hi = from + HORIZON.toMillis();
    if (statistics(queueName, hi).approximateNumberOfVisibleMessages() == visibleNow) {
      return Optional.empty();
    }
    long lo = from; // visible(lo) == visibleNow < visible(hi)
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (statistics(queueName, mid).approximateNumberOfVisibleMessages() > visibleNow) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return Optional.of(Instant.ofEpochMilli(hi));
  }

  private QueueStatistics statistics(String queueName, long atMillis) {
    NowProvider at = new NowProvider() {
      @Override
      public long nowMillis() {
        return atMillis;
      }
    };
    Future<QueueStatistics> f = QueueMetricsOps.getQueueStatistics(queueName, queueManager, at,
        Timeout.create(ASK), actors.dispatcher());
    try {
      return Await.result(f, new FiniteDuration(ASK.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading queue " + queueName, e);
    } catch (Exception e) {
      throw new IllegalStateException("could not read queue " + queueName + " from ElasticMQ", e);
    }
  }

  /**
   * Stops ElasticMQ and its actors, waiting at most a few seconds: normally that takes ~0.1 s, but
   * from a JVM shutdown hook it races Pekko's own shutdown hook and took ~15 s (measured).
   */
  @Override
  public void close() {
    try {
      Await.result(server.stopAndGetFuture().apply(), new FiniteDuration(3, TimeUnit.SECONDS));
      Await.result(actors.terminate(), new FiniteDuration(3, TimeUnit.SECONDS));
    } catch (Exception e) {
      log.warn("ElasticMQ did not stop within 3 s", e);
    }
    if (persistent) {
      ConnectionPool.closeAll(); // releases the H2 file for the next start in this JVM
    }
  }
}
