package dev.tempora.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.devserver.UiServer;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.StubsRuntime;
import dev.tempora.worker.WorkerSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tempora ui}: the Web UI (ADR 26) over an engine on AWS, served on 127.0.0.1 with the
 * user's credentials until Ctrl-C, as Temporal's UI server connects to a cluster. A devserver
 * serves the UI itself (its banner prints the URL with the token, fresh at each start, which the
 * state file does not carry), so there this command only says where to look.
 */
@Command(name = "ui", mixinStandardHelpOptions = true,
    description = {"Serve the Web UI over an engine on AWS (--stack, --outputs-file or --from-env) on 127.0.0.1,"
        + " with your AWS credentials, until Ctrl-C; prints the URL to open (its #token=... is the UI's credential).",
        "Without --worker-setup, starts, signals and updates are checked against the workflow catalog the engine's"
            + " coordinator publishes (names and argument counts, not argument types) and queries are answered by"
            + " the engine's coordinator function; with it, as the engine's HTTP API checks them and queries replay"
            + " here.",
        "On the devserver, open the Web UI URL its banner printed (devserver --serve)."})
final class UiCommand implements Callable<Integer> {
  @ParentCommand Tempora root;

  @Option(names = "--port", paramLabel = "N", description = "the port on 127.0.0.1 (default 0: a free one)")
  int port;

  @Option(names = "--worker-setup", paramLabel = "CLASS",
      description = "your dev.tempora.worker.WorkerSetup: requests are checked with your code, queries replay here")
  String workerSetup;

  @Option(names = {"--classpath", "-cp"}, paramLabel = "ENTRIES",
      description = "where your classes are (directories, jars, dir/*), with --worker-setup")
  List<String> classpath = new ArrayList<>();

  @Option(names = "--jar", paramLabel = "APP.jar",
      description = "your built jar; the setup class from --worker-setup or its manifest's Tempora-Worker-Setup")
  Path jar;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) throw new CliError.Usage("--port must be 0 (a free port) to 65535, got " + port);
    Output o = root.output();
    Environment env = root.env();
    if (env instanceof Environment.Devserver) {
      String message = "the devserver serves the Web UI itself: open the URL its banner printed at start (Web UI"
          + " http://127.0.0.1:PORT/#token=..., fresh at each start; devserver --serve prints it). tempora ui serves"
          + " the UI over an engine on AWS (--stack, --outputs-file, --from-env).";
      ObjectNode out = Json.MAPPER.createObjectNode().put("environment", "devserver").putNull("url").put("message", message);
      o.object(out, message);
      return 0;
    }
    if (!(env instanceof Environment.Aws)) throw new IllegalStateException("unknown environment " + env.describe());
    WorkerSetup setup = null;
    if (workerSetup != null || jar != null || !classpath.isEmpty()) {
      try {
        UserCode.Loaded loaded = UserCode.load(workerSetup, classpath, jar);
        setup = loaded.setup();
        // The UI's threads inherit it: user code that loads classes by name finds its own.
        Thread.currentThread().setContextClassLoader(loaded.loader());
      } catch (UserCode.Refused e) {
        throw new CliError.Usage(e.getMessage());
      }
    }
    AwsRuntime.Clients clients = StubsRuntime.clients(env.options());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = null;
    try {
      AwsRuntime runtime = StubsRuntime.runtime(env.options(), clients, setup);
      try (UiServer ui = UiServer.forDeployment(runtime, port)) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("environment", env.describe())
            .put("url", ui.launchUrl().toString());
        o.object(out, "Web UI over " + env.describe() + ":\n  " + ui.launchUrl()
            + "\n(open it in a browser; the token is fresh at each start. Ctrl-C to stop.)");
        o.out.flush();
        hook = new Thread(stopped::countDown, "tempora-ui-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopped by the caller (a test, an embedding program)
    } finally {
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the JVM is exiting: the hook is running
        }
      }
      StubsRuntime.close(clients);
    }
    return 0;
  }
}
