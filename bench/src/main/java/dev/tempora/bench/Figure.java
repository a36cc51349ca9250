package dev.tempora.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One measured quantity over several runs, e.g. "tempora workflows/s at N=1000". Figures are kept as
 * raw samples so the report can print min/median/max and the run count, and so ratios are taken
 * between samples measured side by side in the same run.
 *
 * @param benchmark which benchmark produced it ("throughput", "replay", ...)
 * @param name what was measured, including the system and size ("tempora wf/s N=1000")
 * @param unit the unit of the samples ("wf/s", "events/s", "ms", "bytes", "$/M steps")
 * @param samples one value per run
 */
public record Figure(String benchmark, String name, String unit, List<Double> samples) {

  public Figure {
    if (samples.isEmpty()) throw new IllegalArgumentException("a figure needs at least one sample: " + name);
    samples = List.copyOf(samples);
  }

  public static Figure of(String benchmark, String name, String unit, double... samples) {
    return new Figure(benchmark, name, unit, Arrays.stream(samples).boxed().toList());
  }

  public double min() {
    return samples.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  public double max() {
    return samples.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  public double median() {
    double[] s = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  public int runs() {
    return samples.size();
  }
}
