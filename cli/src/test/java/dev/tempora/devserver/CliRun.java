package dev.tempora.devserver;

import dev.tempora.cli.Tempora;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of the {@code tempora} CLI against a devserver's state file: exit code and output. */
public record CliRun(int rc, String out, String err) {

  public static CliRun of(Path stateFile, String... args) {
    List<String> all = new ArrayList<>(List.of("--state-file", stateFile.toString()));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  /** Exactly these arguments (no state file). */
  public static CliRun run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = Tempora.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliRun(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
