package dev.tempora.cli;

import dev.tempora.client.aws.AwsServiceStubsOptions;
import dev.tempora.client.aws.AwsServiceStubsOptions.Service;
import dev.tempora.devserver.DevServerState;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code tempora}: the command line for a devserver or an engine on AWS, after the {@code temporal} CLI's tree. */
@Command(name = "tempora", mixinStandardHelpOptions = true, version = "tempora 0.1.0",
    description = "Start, signal, query, update and inspect workflows, schedules, async activities and dead-letter"
        + " queues, on the devserver (default when one runs) or an engine on AWS; serve the Web UI over an engine on"
        + " AWS (tempora ui).",
    footerHeading = "%n",
    footer = {
        "Arguments of workflows, signals, queries and updates are JSON values: '{\"orderId\":\"o-1\"}', 20, '\"a string\"'.",
        "Environment: --devserver (the default when ~/.tempora/devserver.json, $TEMPORA_STATE_FILE or --state-file",
        "exists), or AWS with --stack NAME (CloudFormation outputs), --outputs-file F (cdk deploy --outputs-file),",
        "--from-env (TEMPORA_* variables), with the default credentials chain and region (--profile, --region).",
        "Exit codes:",
        "  0  ok",
        "  1  the engine or the workflow said no: not found, workflow failed/canceled/terminated, run closed, query failed",
        "  2  usage error: the command line itself",
        "  3  refused before anything was written: the HTTP API's validation, its error name first",
        "     (tempora: UnknownWorkflowType: ...)",
        "  4  environment unavailable: no devserver running, engine unreachable, credentials refused"})
public final class Tempora {
  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
      description = "text (default), json, jsonl or table")
  Output.Format format = Output.Format.text;

  @Option(names = "--json", scope = ScopeType.INHERIT, hidden = true, description = "same as --output json")
  boolean json;

  @Option(names = "--devserver", scope = ScopeType.INHERIT, description = "the running devserver (its state file)")
  boolean devserver;

  @Option(names = "--state-file", scope = ScopeType.INHERIT, paramLabel = "PATH",
      description = "the devserver's state file (default $TEMPORA_STATE_FILE, else ~/.tempora/devserver.json)")
  Path stateFile;

  @Option(names = "--stack", scope = ScopeType.INHERIT, paramLabel = "NAME",
      description = "an engine on AWS: its CloudFormation stack (outputs read with DescribeStacks)")
  String stack;

  @Option(names = "--outputs-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "an engine on AWS: the JSON of cdk deploy --outputs-file (with --stack if it holds several)")
  Path outputsFile;

  @Option(names = "--from-env", scope = ScopeType.INHERIT,
      description = "an engine on AWS: from the engine's TEMPORA_* environment variables")
  boolean fromEnv;

  @Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION", description = "AWS region")
  String region;

  @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "PROFILE", description = "AWS profile")
  String profile;

  @Option(names = "--endpoint-url", scope = ScopeType.INHERIT, paramLabel = "SERVICE=URL",
      description = "send SERVICE's requests (dynamodb, sqs, lambda, scheduler, api) to URL (a local stack)")
  Map<String, String> endpoints = Map.of();

  PrintStream out;
  PrintStream err;
  private Environment environment;

  Output output() {
    return new Output(json ? Output.Format.json : format, out);
  }

  /** The environment of this invocation, made on first use. */
  Environment env() {
    if (environment == null) environment = chooseEnvironment();
    return environment;
  }

  private Environment chooseEnvironment() {
    boolean aws = stack != null || outputsFile != null || fromEnv;
    if (aws && (devserver || stateFile != null)) {
      throw new CliError.Usage("--devserver/--state-file and --stack/--outputs-file/--from-env name two environments: give one");
    }
    if (!aws) {
      Path p = stateFile != null ? stateFile
          : System.getenv("TEMPORA_STATE_FILE") != null ? Path.of(System.getenv("TEMPORA_STATE_FILE"))
          : DevServerState.defaultPath();
      if (!devserver && stateFile == null && !Files.exists(p)) {
        throw new CliError.Unavailable("no environment: no devserver is running (no state file " + p
            + "); start bin/devserver, or name an engine on AWS with --stack NAME or --outputs-file F");
      }
      return new Environment.Devserver(p);
    }
    if (profile != null) System.setProperty("aws.profile", profile); // the SDK's default chains read it
    AwsServiceStubsOptions options;
    String source;
    try {
      if (outputsFile != null) {
        options = AwsServiceStubsOptions.fromOutputsFile(outputsFile, stack);
        source = "outputs file " + outputsFile + (stack == null ? "" : " (stack " + stack + ")");
      } else if (stack != null) {
        options = AwsServiceStubsOptions.fromStack(stack, region, null);
        source = "stack " + stack;
      } else {
        options = AwsServiceStubsOptions.fromEnvironment();
        source = "the TEMPORA_* environment variables";
      }
    } catch (IllegalArgumentException e) {
      throw new CliError.Unavailable(e.getMessage());
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new CliError.Unavailable(e.getMessage());
    }
    AwsServiceStubsOptions.Builder b = options.toBuilder();
    if (region != null) b.setRegion(region);
    for (Map.Entry<String, String> e : endpoints.entrySet()) {
      String service = e.getKey().toLowerCase(Locale.ROOT);
      if (service.equals("api")) {
        b.setApiUrl(URI.create(e.getValue()));
        continue;
      }
      try {
        b.setEndpointOverride(Service.valueOf(service.toUpperCase(Locale.ROOT)), URI.create(e.getValue()));
      } catch (IllegalArgumentException bad) {
        throw new CliError.Usage("--endpoint-url: unknown service '" + e.getKey() + "' (dynamodb, sqs, lambda, scheduler, api)");
      }
    }
    return new Environment.Aws(b.build(), source);
  }

  public static void main(String[] args) {
    int rc = run(args, System.out, System.err);
    System.out.flush();
    System.exit(rc);
  }

  /** Runs one command line; returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Tempora root = new Tempora();
    root.out = out;
    root.err = err;
    String[] line = legacy(args);
    CommandLine cl = new CommandLine(root);
    CommandTree.register(cl, line, GLOBAL_WITH_VALUE);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setParameterExceptionHandler((e, a) -> {
      err.println("tempora: " + e.getMessage());
      CommandLine sub = e.getCommandLine();
      err.println("Try '" + sub.getCommandSpec().qualifiedName() + " --help'.");
      return CliError.USAGE;
    });
    cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      if (e instanceof CliError c) {
        err.println("tempora: " + c.getMessage());
        return c.exitCode();
      }
      if (e instanceof SdkClientException c) {
        err.println("tempora: cannot reach " + root.env().describe() + " (" + c.getMessage() + ")");
        return CliError.UNAVAILABLE;
      }
      if (e instanceof AwsServiceException a) {
        String code = a.awsErrorDetails() == null ? a.getClass().getSimpleName() : a.awsErrorDetails().errorCode();
        if (CREDENTIAL_REFUSALS.contains(code)) {
          err.println("tempora: " + root.env().describe() + " refused the credential (" + code + ")"
              + (root.env() instanceof Environment.Devserver ? ": the state file is from another devserver start, or another"
              + " devserver took its ports; restart bin/devserver or pass its --state-file" : ""));
          return CliError.UNAVAILABLE;
        }
        err.println("tempora: " + code + ": " + (a.awsErrorDetails() == null ? a.getMessage() : a.awsErrorDetails().errorMessage()));
        return CliError.FAILED;
      }
      // Anything else is a bug or an environment we did not foresee: its message, no stack trace.
      err.println("tempora: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return CliError.FAILED;
    });
    try {
      return cl.execute(line);
    } finally {
      if (root.environment != null) root.environment.close();
    }
  }

  /** What AWS (or the devserver's endpoints) answer to a request not signed with a credential it knows. */
  private static final Set<String> CREDENTIAL_REFUSALS = Set.of("UnrecognizedClientException",
      "InvalidSignatureException", "MissingAuthenticationTokenException", "IncompleteSignatureException",
      "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "AccessDenied");

  private static final Set<String> LEGACY_WORKFLOW_VERBS = Set.of("start", "signal", "query", "update", "describe",
      "list", "count", "history", "result", "cancel", "terminate");
  private static final Set<String> GLOBAL_WITH_VALUE = Set.of("-o", "--output", "--state-file", "--stack",
      "--outputs-file", "--region", "--profile", "--endpoint-url");

  /** The old spellings ({@code tempora start ...}, {@code history}, {@code dlq [role]}, {@code redrive R}) still work. */
  static String[] legacy(String[] args) {
    List<String> a = new ArrayList<>(List.of(args));
    int i = 0;
    while (i < a.size() && a.get(i).startsWith("-")) i += GLOBAL_WITH_VALUE.contains(a.get(i)) ? 2 : 1;
    if (i >= a.size()) return args;
    String verb = a.get(i);
    if (LEGACY_WORKFLOW_VERBS.contains(verb)) {
      a.add(i, "workflow");
      if (verb.equals("history")) a.set(i + 1, "show");
    } else if (verb.equals("redrive")) {
      a.add(i, "dlq");
    } else if (verb.equals("dlq") && (i + 1 >= a.size() || !Set.of("list", "redrive", "-h", "--help").contains(a.get(i + 1)))) {
      a.add(i + 1, "list");
    }
    return a.toArray(String[]::new);
  }
}
