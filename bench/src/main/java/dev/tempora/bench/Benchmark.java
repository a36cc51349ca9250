package dev.tempora.bench;

import java.nio.file.Path;

/** One benchmark of the suite. Implementations are listed in {@code BenchMain}. */
public interface Benchmark {

  /** Short name used on the command line and in reports ("throughput", "replay", ...). */
  String name();

  /**
   * Runs the benchmark at the given size, repeating it as often as the size says, and returns
   * every figure with its samples. Charts (PNG) go to {@code chartDir}.
   */
  BenchResult run(BenchSize size, Path chartDir) throws Exception;
}
