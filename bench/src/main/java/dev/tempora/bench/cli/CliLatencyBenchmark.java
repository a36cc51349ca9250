package dev.tempora.bench.cli;

import dev.tempora.bench.BenchResult;
import dev.tempora.bench.BenchSize;
import dev.tempora.bench.Benchmark;
import dev.tempora.bench.Figure;
import dev.tempora.bench.Target;
import dev.tempora.devserver.DevServer;
import dev.tempora.examples.ExamplesSetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Issue 14: how long {@code bin/tempora workflow describe ID} takes against a devserver, as a user
 * runs it (a new process each time: the script's own shell work, the JVM start, the command).
 * Beside it, in the same rounds, two baselines: the same command started as bin/tempora started it
 * before (the reactor's target/classes directories, no class-data-sharing archive, no shell part),
 * and {@code java -version} (the JVM's own start, the floor). Wall time and CPU time (user + system
 * of the child and its children, from /proc/self/stat) per invocation.
 */
public final class CliLatencyBenchmark implements Benchmark {
  static final String NAME = "cli-latency";
  private static final String WORKFLOW_ID = "bench-cli-1";

  record Plan(int runs) {}

  static Plan plan(BenchSize size) {
    return switch (size) {
      case SMOKE -> new Plan(2);
      case DEFAULT -> new Plan(15);
      case FULL -> new Plan(30);
    };
  }

  /** One invocation: wall and CPU milliseconds, its exit code and output. */
  record Sample(double wallMs, double cpuMs, int rc, String out, String err) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BenchResult run(BenchSize size, Path chartDir) throws Exception {
    Plan plan = plan(size);
    Path root = repoRoot();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String loadBefore = loadAverage();
    Path dir = Files.createTempDirectory("tempora-cli-bench");
    Path state = dir.resolve("devserver.json");
    List<Sample> tempora = new ArrayList<>();
    List<Sample> before = new ArrayList<>();
    List<Sample> floor = new ArrayList<>();
    try (DevServer server = DevServer.start(new ExamplesSetup())) {
      server.writeState(state);
      List<String> cli = List.of(root.resolve("bin/tempora").toString(), "--state-file", state.toString());
      // The first call also builds what bin/tempora needs (jars, the archive) when it is stale.
      Sample started = exec(root, concat(cli, "workflow", "start", "ExpenseWorkflow", WORKFLOW_ID,
          "{\"expenseId\":\"e-1\",\"employee\":\"ann\",\"amountCents\":4200,\"description\":\"taxi\"}"));
      if (started.rc() != 0) throw new IllegalStateException("bin/tempora start failed: " + started);
      List<String> describe = concat(cli, "workflow", "describe", WORKFLOW_ID);
      List<String> describeBefore = concat(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
          directoryClasspath(root), "dev.tempora.cli.Tempora", "--state-file", state.toString()), "workflow", "describe",
          WORKFLOW_ID);
      List<String> version = List.of(java, "-version");
      exec(root, describe); // warm-up: the page cache, the archive
      exec(root, describeBefore);
      for (int r = 0; r < plan.runs(); r++) {
        tempora.add(checked(exec(root, describe), "bin/tempora workflow describe"));
        before.add(checked(exec(root, describeBefore), "describe, directory classpath"));
        floor.add(exec(root, version));
      }
    } finally {
      deleteTree(dir);
    }
    String loadAfter = loadAverage();

    String n = " (" + plan.runs() + " runs)";
    Figure wall = figure("bin/tempora workflow describe, wall", "ms", tempora, Sample::wallMs);
    List<Figure> figures = new ArrayList<>(List.of(
        wall,
        Figure.of(NAME, "bin/tempora workflow describe, wall p90", "ms", p90(tempora)),
        figure("bin/tempora workflow describe, CPU", "ms", tempora, Sample::cpuMs),
        figure("no archive: java -cp target/classes describe, wall", "ms", before, Sample::wallMs),
        figure("no archive: java -cp target/classes describe, CPU", "ms", before, Sample::cpuMs),
        figure("java -version, wall", "ms", floor, Sample::wallMs),
        figure("java -version, CPU", "ms", floor, Sample::cpuMs)));
    figures.add(ratio("bin/tempora describe / no archive, wall", tempora, before, Sample::wallMs));
    figures.add(ratio("bin/tempora describe / no archive, CPU", tempora, before, Sample::cpuMs));
    figures.add(ratio("bin/tempora describe / java -version, wall", tempora, floor, Sample::wallMs));
    List<Target> targets = List.of(new Target("tempora workflow describe on the devserver, median wall" + n + " ≤ 600 ms",
        wall.median(), 600, false));
    List<String> notes = List.of(
        "Each round runs the three commands one after the other, as new processes, against one in-process devserver"
            + " (the example workflows, one ExpenseWorkflow started); one warm-up call of each first.",
        "bin/tempora: its shell part (JDK lookup, the classpath freshness check) and `java` with an AppCDS archive"
            + " (cli/target/tempora.jsa) over a jar classpath, C1 only, serial GC; the command tree registered lazily.",
        "no archive: the same CLI main started as bin/tempora started it before issue 14's latency work (reactor"
            + " target/classes directories, no archive, C1 only, serial GC), without the script's shell part; the"
            + " code is today's (lazy command tree), so this isolates the archive's and the script's share.",
        "CPU: user + system time of the child and its children (/proc/self/stat cutime + cstime, 10 ms ticks);"
            + " wall time rises with the machine's load, CPU much less.",
        "Load average (1, 5, 15 min) before: " + loadBefore + ", after: " + loadAfter + ".");
    return new BenchResult(NAME, figures, targets, notes, List.of());
  }

  /** A describe must succeed and print nothing on stderr (no JVM or CDS warnings amid a command's output). */
  private static Sample checked(Sample s, String what) {
    if (s.rc() != 0 || !s.err().isEmpty() || !s.out().startsWith("workflowId")) {
      throw new IllegalStateException(what + " did not answer cleanly: " + s);
    }
    return s;
  }

  private static Sample exec(Path dir, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("tempora-cli-bench", ".out");
    Path err = Files.createTempFile("tempora-cli-bench", ".err");
    try {
      long cpu0 = childrenCpuMillis();
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
          .redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      double wall = (System.nanoTime() - t0) / 1e6;
      double cpu = childrenCpuMillis() - cpu0;
      return new Sample(wall, cpu, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** cutime + cstime of this process (its waited-for children), in ms; -1 when not on Linux. */
  private static long childrenCpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // After the command name: field 3 (state) is f[0], so cutime (16) and cstime (17) are f[13], f[14].
      return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The classpath bin/tempora used before: the modules' target/classes and the cached dependency list. */
  private static String directoryClasspath(Path root) throws IOException {
    Path cache = root.resolve("cli/target/tempora.classpath");
    return root.resolve("cli/target/classes") + ":" + root.resolve("devserver/target/classes") + ":"
        + Files.readString(cache).strip();
  }

  private static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("bin/tempora"))) return p;
    }
    throw new IllegalStateException("bin/tempora not found above " + Path.of("").toAbsolutePath());
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return String.join(", ", Arrays.copyOf(f, 3));
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static double p90(List<Sample> samples) {
    double[] s = samples.stream().mapToDouble(Sample::wallMs).sorted().toArray();
    return s[Math.min(s.length - 1, (int) Math.ceil(0.9 * s.length) - 1)];
  }

  private static Figure figure(String name, String unit, List<Sample> samples,
      ToDoubleFunction<Sample> f) {
    return new Figure(NAME, name, unit, samples.stream().map(f::applyAsDouble).toList());
  }

  /** Per-round ratios (a and b measured side by side). */
  private static Figure ratio(String name, List<Sample> a, List<Sample> b,
      ToDoubleFunction<Sample> f) {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) r.add(f.applyAsDouble(a.get(i)) / f.applyAsDouble(b.get(i)));
    return new Figure(NAME, name, "x", r);
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Runs it alone: {@code [SMOKE|DEFAULT|FULL]}. */
  public static void main(String[] args) throws Exception {
    BenchSize size = BenchSize.valueOf((args.length > 0 ? args[0] : "DEFAULT").toUpperCase(Locale.ROOT));
    BenchResult r = new CliLatencyBenchmark().run(size, Path.of("target/bench-charts"));
    r.figures().forEach(f -> System.out.printf(Locale.ROOT, "%-60s %-3s runs %d median %.1f%n", f.name(), f.unit(),
        f.runs(), f.median()));
    System.exit(0);
  }
}
