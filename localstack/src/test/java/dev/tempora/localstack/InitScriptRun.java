package dev.tempora.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the init script with bash against a stand-in {@code awslocal} that records every call (its
 * arguments exactly as the AWS CLI would get them) and answers the one call whose output the
 * script reads (the account id). What the script would do to LocalStack can so be checked
 * without LocalStack.
 */
record InitScriptRun(int exitCode, String output, List<Call> calls) {

  /** One awslocal invocation: {@code service operation --option value ...}. */
  record Call(List<String> args) {
    String service() {
      return args.get(0);
    }

    String operation() {
      return args.size() > 1 ? args.get(1) : "";
    }

    boolean is(String service, String operation) {
      return service().equals(service) && operation().equals(operation);
    }

    /** The values after {@code --name} up to the next option (the CLI's list syntax). */
    List<String> values(String name) {
      int i = args.indexOf("--" + name);
      if (i < 0) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (int j = i + 1; j < args.size() && !args.get(j).startsWith("--"); j++) {
        out.add(args.get(j));
      }
      return out;
    }

    String option(String name) {
      List<String> v = values(name);
      if (v.size() != 1) {
        throw new AssertionError("--" + name + " should have one value in " + args + ", has " + v);
      }
      return v.get(0);
    }
  }

  private static final String FAKE_AWSLOCAL = """
      #!/bin/bash
      # Records its arguments: unit separator between them, record separator after the call.
      { for a in "$@"; do printf '%s\\037' "$a"; done; printf '\\036'; } >> "$AWSLOCAL_LOG"
      if [ "$1 $2" = "sts get-caller-identity" ]; then echo 000000000000; fi
      """;

  static InitScriptRun run(Path script, Map<String, String> environment) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("tempora-init");
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path awslocal = bin.resolve("awslocal");
    Files.writeString(awslocal, FAKE_AWSLOCAL);
    Files.setPosixFilePermissions(awslocal, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path log = dir.resolve("calls");
    Files.createFile(log);

    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    // Only what the script is given, as in LocalStack's container: no TEMPORA_* from this JVM.
    pb.environment().keySet().removeIf(k -> k.startsWith("TEMPORA_") || k.startsWith("AWS_"));
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("AWSLOCAL_LOG", log.toString());
    pb.environment().putAll(environment);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("init script did not finish in 60 s:\n" + output);
    }
    List<Call> calls = new ArrayList<>();
    for (String record : Files.readString(log).split("\u001e")) {
      if (!record.isEmpty()) {
        calls.add(new Call(Arrays.asList(record.split("\u001f", -1)).subList(0, record.split("\u001f", -1).length - 1)));
      }
    }
    return new InitScriptRun(p.exitValue(), output, calls);
  }

  List<Call> calls(String service, String operation) {
    return calls.stream().filter(c -> c.is(service, operation)).toList();
  }

  Call only(String service, String operation) {
    List<Call> c = calls(service, operation);
    if (c.size() != 1) {
      throw new AssertionError("expected one " + service + " " + operation + ", got " + c);
    }
    return c.get(0);
  }
}
