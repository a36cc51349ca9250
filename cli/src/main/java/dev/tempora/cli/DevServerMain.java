package dev.tempora.cli;

import dev.tempora.devserver.DevServer;
import dev.tempora.devserver.DevServerState;
import dev.tempora.devserver.HttpLimits;
import dev.tempora.devserver.EmbeddedAws;
import dev.tempora.examples.ExamplesSetup;
import dev.tempora.worker.WorkerSetup;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CountDownLatch;

/**
 * {@code devserver} with no arguments: starts the embedded stack, runs the seed workflows end to
 * end, prints each history and result, and exits 0 if all are as expected.
 *
 * <p>{@code devserver --serve [--state-file PATH] [--http-port N] [--http-read-timeout SECONDS]
 * [--http-max-connections N] [--worker-setup CLASS] [--classpath ...] [--jar APP.jar] [--data-dir DIR |
 * --ephemeral] [--advance-clock D]}: starts the embedded stack with the example workflows and activities
 * (or the user's worker setup, loaded by {@link UserCode}), its state kept in a data directory
 * (default {@code ~/.tempora/data}) unless ephemeral,
 * and keeps it running until Ctrl-C / SIGTERM, with its endpoints and its credential (fresh at each
 * start) in a state file (default {@code ~/.tempora/devserver.json}, mode 0600) that {@link
 * Tempora} (bin/tempora) reads. Every listener is on 127.0.0.1. The HTTP API (docs/http-api.md) listens on
 * port N or a free one; its URL is printed and is {@code httpApiEndpoint} in the state file. The
 * read timeout and connection cap bound its listener ({@link HttpLimits}). The file is deleted on
 * exit.
 */
public final class DevServerMain {
  private DevServerMain() {}

  /** How long the shutdown hook waits for the stack to close (EmbeddedAws: slow from a hook). */
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("--serve")) {
      System.exit(serve(args));
    }
    if (args.length > 0) {
      System.err.println("usage: devserver                          run the seed demo and exit");
      System.err.println(SERVE_USAGE.replaceFirst("usage: ", "       ") + "\n  keeps a devserver running (Ctrl-C stops it)");
      System.exit(2);
    }
    int status;
    try (DevServer server = DevServer.start(new ExamplesSetup())) {
      System.out.println("Embedded stack up: DynamoDB Local " + server.aws().dynamoEndpoint() + ", ElasticMQ "
          + server.aws().sqsEndpoint() + ", Scheduler stand-in " + server.scheduler().endpoint());
      System.out.println();
      List<String> problems = new SeedDemo(server, System.out).run();
      status = problems.isEmpty() ? 0 : 1;
    }
    // DynamoDB Local may leave non-daemon threads behind (NOTES-embedded-stack.md): exit explicitly.
    System.exit(status);
  }

  static final String SERVE_USAGE = String.join("\n",
      "usage: devserver --serve [--state-file PATH] [--http-port N] [--http-read-timeout SECONDS] [--http-max-connections N]",
      "                         [--worker-setup CLASS] [--classpath DIR|JAR|DIR/*[:...]]... [--jar APP.jar]",
      "                         [--data-dir DIR | --ephemeral] [--advance-clock DURATION]",
      "  --worker-setup CLASS   your dev.tempora.worker.WorkerSetup (default: the example workflows)",
      "  --classpath ENTRIES    where your classes are (directories, jars, dir/*), with --worker-setup",
      "  --jar APP.jar          your built jar; the setup class from --worker-setup or its manifest's "
          + UserCode.MANIFEST_ATTRIBUTE,
      "  --data-dir DIR         keep tables, queues, messages, schedules and the clock here across restarts",
      "                         (default ~/.tempora/data)",
      "  --ephemeral            keep everything in memory (lost when the devserver stops)",
      "  --advance-clock D      move the stack's clock forward at start (e.g. 7d, 36h, 90m, 30s)");

  static int serve(String[] args) {
    Path stateFile = DevServerState.defaultPath();
    int httpPort = 0;
    HttpLimits limits = HttpLimits.defaults();
    String setupClass = null;
    List<String> classpath = new ArrayList<>();
    Path jar = null;
    Path dataDir = null;
    boolean ephemeral = false;
    Duration advance = Duration.ZERO;
    for (int i = 1; i < args.length; i++) {
      boolean number = i + 1 < args.length && args[i + 1].matches("\\d{1,5}");
      boolean value = i + 1 < args.length && !args[i + 1].startsWith("--");
      if (args[i].equals("--state-file") && i + 1 < args.length) {
        stateFile = Path.of(args[++i]);
      } else if (args[i].equals("--http-port") && number && Integer.parseInt(args[i + 1]) <= 65535) {
        httpPort = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--http-read-timeout") && number && Integer.parseInt(args[i + 1]) >= 1) {
        limits = limits.withReadTimeout(java.time.Duration.ofSeconds(Integer.parseInt(args[++i])));
      } else if (args[i].equals("--http-max-connections") && number && Integer.parseInt(args[i + 1]) >= 1) {
        limits = limits.withMaxConnections(Integer.parseInt(args[++i]));
      } else if (args[i].equals("--worker-setup") && value) {
        setupClass = args[++i];
      } else if ((args[i].equals("--classpath") || args[i].equals("-cp")) && value) {
        classpath.add(args[++i]);
      } else if (args[i].equals("--jar") && value) {
        jar = Path.of(args[++i]);
      } else if (args[i].equals("--data-dir") && value) {
        dataDir = Path.of(args[++i]);
      } else if (args[i].equals("--ephemeral")) {
        ephemeral = true;
      } else if (args[i].equals("--advance-clock") && value && duration(args[i + 1]) != null) {
        advance = duration(args[++i]);
      } else {
        System.err.println("devserver --serve: unknown or incomplete option '" + args[i] + "'");
        System.err.println(SERVE_USAGE);
        return 2;
      }
    }
    if (ephemeral && dataDir != null) {
      System.err.println("devserver --serve: --ephemeral and --data-dir exclude each other");
      return 2;
    }
    if (!ephemeral && dataDir == null) {
      dataDir = defaultDataDir();
    }
    WorkerSetup setup = new ExamplesSetup();
    String setupName = "example workflows";
    if (setupClass != null || jar != null || !classpath.isEmpty()) {
      try {
        UserCode.Loaded loaded = UserCode.load(setupClass, classpath, jar);
        setup = loaded.setup();
        setupName = "worker setup " + setup.getClass().getName();
        // Threads the stack starts from here inherit it: user code that loads classes by name finds its own.
        Thread.currentThread().setContextClassLoader(loaded.loader());
      } catch (UserCode.Refused e) {
        System.err.println("devserver: " + e.getMessage());
        return 2;
      }
    }
    Long running = runningPid(stateFile);
    if (running != null) {
      System.err.println("a devserver is already running (pid " + running + ", state file " + stateFile
          + "); stop it first or pass another --state-file");
      return 1;
    }
    DevServer server;
    try {
      if (dataDir != null && !advance.isZero()) {
        // Before the start (and its lock check): nothing in flight sees the clock jump.
        if (runningPid(stateFile) == null) {
          DevServer.advanceClockBeforeStart(dataDir, advance);
          advance = Duration.ZERO;
        }
      }
      server = DevServer.start(setup, DevServer.Options.defaults().withHttpApiPort(httpPort).withHttpLimits(limits)
          .withDataDir(dataDir));
    } catch (DevServer.DataDirInUse e) {
      System.err.println("devserver: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException | IllegalStateException | LinkageError e) {
      // The user's setup refused to configure (e.g. an invalid workflow class): name it, no stack trace.
      System.err.println("devserver: WorkerSetupFailed: " + setupName + ": " + e.getMessage());
      return 2;
    }
    if (!advance.isZero()) {
      server.advanceClock(advance);
    }
    DevServerState state = DevServerState.of(server);
    Path file = stateFile;
    // Closing from a hook is slow (ElasticMQ waits on Pekko's own hook, see EmbeddedAws): the
    // stack is in memory, so give close() a bounded time and let the JVM go.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      deleteIfOurs(file);
      Thread closer = new Thread(server::close, "devserver-close");
      closer.setDaemon(true);
      closer.start();
      try {
        closer.join(CLOSE_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.err.println("devserver stopped");
    }, "devserver-shutdown"));
    server.writeState(stateFile);
    System.out.print(banner(state, stateFile, setupName, server.webUiUrl()));
    System.out.flush();
    try {
      new CountDownLatch(1).await(); // until Ctrl-C / SIGTERM runs the hook
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static String banner(DevServerState s, Path stateFile, String setupName, URI webUi) {
    String line = "-".repeat(78);
    return line + "\n"
        + "Tempora devserver running (pid " + s.pid() + "), " + setupName + " registered. Ctrl-C stops it.\n"
        + line + "\n"
        + String.format("  DynamoDB         %s   table %s%n", s.dynamoDbEndpoint(), s.tableName())
        + String.format("  SQS (ElasticMQ)  %s   queues %s*%n", s.sqsEndpoint(), s.queuePrefix())
        + String.format("  Lambda invoke    %s   coordinator %s%n", s.lambdaEndpoint(), s.coordinatorFunctionName())
        + String.format("  Scheduler        %s%n", s.schedulerEndpoint())
        + String.format("  HTTP API         %s/workflows   (docs/http-api.md)%n", s.httpApiEndpoint())
        + String.format("  Web UI           %s   (open in a browser; the token is fresh at each start)%n", webUi)
        + String.format("  Namespace        %s   region %s%n", s.namespace(), s.region())
        + String.format("  State file       %s   (mode 0600)%n", stateFile.toAbsolutePath())
        + String.format("  Data             %s%n", s.dataDir() == null ? "in memory (--ephemeral): lost when it stops"
            : s.dataDir() + "   (kept across restarts)")
        + "  Credentials      fresh for this start, in the state file; every listener is on 127.0.0.1\n"
        + line + "\n"
        + "Try" + (stateFile.toAbsolutePath().equals(DevServerState.defaultPath().toAbsolutePath()) ? ""
            : " (with --state-file " + stateFile + " after bin/tempora)") + ":\n"
        + "  bin/tempora workflow start ExpenseWorkflow exp-1 '{\"expenseId\":\"e-1\",\"employee\":\"ann\",\"amountCents\":4200,\"description\":\"taxi\"}'\n"
        + "  bin/tempora workflow query exp-1 status\n"
        + "  bin/tempora workflow signal exp-1 approve '\"bob\"'\n"
        + "  bin/tempora workflow result exp-1 --timeout 30s\n"
        + "  bin/tempora workflow describe exp-1   bin/tempora workflow show exp-1   bin/tempora workflow list\n"
        + "  bin/tempora dlq list                  bin/tempora --help\n"
        + "or over HTTP:\n"
        + "  curl -s -XPOST " + s.httpApiEndpoint() + "/workflows -H 'Content-Type: application/json' \\\n"
        + "    -d '{\"workflowType\":\"ExpenseWorkflow\",\"workflowId\":\"exp-2\",\"args\":[{\"expenseId\":\"e-2\",\"employee\":\"ann\",\"amountCents\":900,\"description\":\"lunch\"}]}'\n"
        + "  curl -s " + s.httpApiEndpoint() + "/workflows/exp-2\n"
        + line + "\n";
  }

  /** {@code ~/.tempora/data}, beside the default state file. */
  static Path defaultDataDir() {
    return DevServerState.defaultPath().toAbsolutePath().getParent().resolve("data");
  }

  /** {@code 7d}, {@code 36h}, {@code 90m}, {@code 30s} or an ISO-8601 duration; null if none of them or negative. */
  static Duration duration(String text) {
    Matcher m = Pattern.compile("(\\d{1,9})([dhms])").matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      };
    }
    try {
      Duration d = Duration.parse(text);
      return d.isNegative() ? null : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The pid in an existing state file if that process is still alive, else null. */
  private static Long runningPid(Path stateFile) {
    if (!Files.exists(stateFile)) {
      return null;
    }
    try {
      long pid = DevServerState.read(stateFile).pid();
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? pid : null;
    } catch (IOException | RuntimeException e) {
      return null; // unreadable: stale, overwrite it
    }
  }

  private static void deleteIfOurs(Path stateFile) {
    try {
      if (Files.exists(stateFile) && DevServerState.read(stateFile).pid() == ProcessHandle.current().pid()) {
        Files.delete(stateFile);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("could not delete the state file " + stateFile + ": " + e);
    }
  }
}
