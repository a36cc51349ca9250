package dev.tempora.bench;

import dev.tempora.bench.cli.CliLatencyBenchmark;
import dev.tempora.bench.e2e.LocalActivityCostBenchmark;
import dev.tempora.bench.e2e.ThroughputBenchmark;
import dev.tempora.bench.growth.GrowthBenchmark;
import dev.tempora.bench.memory.MemoryBenchmark;
import dev.tempora.bench.replay.ReplayBenchmark;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The benchmark suite: {@code BenchMain [--full|--smoke] [--only name,...] [--out DIR]}. Runs each
 * benchmark, prints the machine and every figure (runs, min/median/max), the ratios and the
 * targets, and writes DIR/BENCHMARKS.md (the template with this run's results) and its charts
 * under DIR/docs/bench. DIR defaults to bench/target/bench-report, so that only an explicit
 * {@code --out .} replaces the committed BENCHMARKS.md.
 */
public final class BenchMain {
  private BenchMain() {}

  /** Every benchmark of the suite, in the order it runs (cost is measured inside throughput's run). */
  static List<Benchmark> suite() {
    return new ArrayList<>(List.of(new ThroughputBenchmark(), new ReplayBenchmark(), new GrowthBenchmark(),
        new MemoryBenchmark(), new LocalActivityCostBenchmark(), new CliLatencyBenchmark()));
  }

  record Args(BenchSize size, Set<String> only, Path out) {
    static Args parse(String... args) {
      BenchSize size = BenchSize.DEFAULT;
      Set<String> only = new LinkedHashSet<>();
      Path out = Path.of("bench", "target", "bench-report");
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--full" -> size = BenchSize.FULL;
          case "--smoke" -> size = BenchSize.SMOKE;
          case "--only" -> only.addAll(Arrays.asList(value(args, ++i, "--only").split(",")));
          case "--out" -> out = Path.of(value(args, ++i, "--out"));
          case "-h", "--help" -> throw new IllegalArgumentException("");
          default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
      }
      only.removeIf(String::isBlank);
      return new Args(size, only, out);
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[i];
    }
  }

  public static void main(String[] argv) {
    int code;
    try {
      code = run(Args.parse(argv));
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("error: " + e.getMessage());
      }
      System.err.println("usage: bin/bench [--full|--smoke] [--only throughput,cost,replay,growth,memory,local-cost,cli-latency] [--out DIR]");
      code = 2;
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    }
    // DynamoDB Local and the test services leave non-daemon threads behind: exit explicitly.
    System.exit(code);
  }

  static int run(Args a) throws IOException {
    List<Report.Missing> missing = new ArrayList<>();
    List<Benchmark> suite = suite();
    Set<String> known = new LinkedHashSet<>();
    suite.forEach(b -> known.add(b.name()));
    missing.forEach(m -> known.add(m.benchmark()));
    for (String name : a.only()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown benchmark '" + name + "' (known: " + String.join(", ", known) + ")");
      }
    }
    if (!a.only().isEmpty()) {
      suite.removeIf(b -> !a.only().contains(b.name()));
      missing.removeIf(m -> !a.only().contains(m.benchmark()));
    }

    Path chartDir = a.out().resolve("docs").resolve("bench");
    String header = header(a.size());
    System.out.println(header);
    List<BenchResult> results = new ArrayList<>();
    for (Benchmark b : suite) {
      System.out.printf("%n== %s (%s) ==%n", b.name(), a.size().name().toLowerCase(Locale.ROOT));
      long t0 = System.nanoTime();
      try {
        results.add(b.run(a.size(), chartDir));
        System.out.printf("== %s done in %.1f s ==%n", b.name(), (System.nanoTime() - t0) / 1e9);
      } catch (Exception | Error e) {
        // One broken benchmark must not hide the others' figures; it is reported and fails the run.
        e.printStackTrace();
        missing.add(new Report.Missing(b.name(), "failed: " + e));
      }
    }
    System.out.println();
    System.out.println(Report.console(header, results, missing));

    Path reportFile = a.out().resolve("BENCHMARKS.md");
    Files.createDirectories(a.out());
    Files.writeString(reportFile, template().replace(RESULTS_MARK, Report.markdown(
        headerMarkdown(a.size()), results, missing, a.out())), StandardCharsets.UTF_8);
    System.out.println("report: " + reportFile.toAbsolutePath().normalize());
    boolean failed = missing.stream().anyMatch(m -> m.reason().startsWith("failed"));
    return failed ? 1 : 0;
  }

  static final String RESULTS_MARK = "<!-- results -->";

  static String template() throws IOException {
    try (InputStream in = BenchMain.class.getResourceAsStream("BENCHMARKS.template.md")) {
      if (in == null) {
        throw new IllegalStateException("BENCHMARKS.template.md missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String machine() {
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, "%d cores%s, JDK %s (%s, %s), %s %s %s, max heap %,d MB",
        rt.availableProcessors(), cpuModel().map(m -> " (" + m + ")").orElse(""),
        System.getProperty("java.version"), System.getProperty("java.vendor"), System.getProperty("java.vm.name"),
        System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
        rt.maxMemory() >> 20);
  }

  private static java.util.Optional<String> cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  private static String header(BenchSize size) {
    return "Tempora benchmark suite, size " + size.name().toLowerCase(Locale.ROOT) + ", "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\nmachine: " + machine()
        + "\nJVM args: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  private static String headerMarkdown(BenchSize size) {
    return "Size **" + size.name().toLowerCase(Locale.ROOT) + "**, run " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + " on " + machine() + ".";
  }
}
