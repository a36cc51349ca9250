package dev.tempora.bench.cost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's AWS bill, line by line, and per activity step.
 *
 * @param activitySteps activity steps completed in the run (the denominator of every per-step figure)
 * @param workflows workflows completed in the run
 * @param lines one line per billed unit kind
 */
public record CostBreakdown(long activitySteps, long workflows, List<Line> lines) {

  public CostBreakdown {
    lines = List.copyOf(lines);
  }

  /**
   * One billed quantity.
   *
   * @param service DynamoDB, SQS, Lambda or Scheduler
   * @param item what is billed ("write request units", "FIFO requests", ...)
   * @param units how many were counted
   * @param requests whether these units are requests (counted in requests per step)
   * @param dollars units times the price from {@link AwsPrices}
   * @param orchestration false for the user's own compute, which orchestration cost leaves out
   */
  public record Line(String service, String item, double units, boolean requests, double dollars,
      boolean orchestration) {}

  public double dollars() {
    return lines.stream().mapToDouble(Line::dollars).sum();
  }

  public double orchestrationDollars() {
    return lines.stream().filter(Line::orchestration).mapToDouble(Line::dollars).sum();
  }

  /** Orchestration dollars per million activity steps: the figure the $2.00 target is judged by. */
  public double orchestrationPerMillionSteps() {
    return perMillionSteps(orchestrationDollars());
  }

  public double perMillionSteps(double dollars) {
    return dollars / activitySteps * 1e6;
  }

  /** Orchestration dollars per million steps by service, in the order DynamoDB, SQS, Lambda, Scheduler. */
  public Map<String, Double> orchestrationPerMillionStepsByService() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Line l : lines) {
      if (l.orchestration()) m.merge(l.service(), perMillionSteps(l.dollars()), Double::sum);
    }
    return m;
  }

  /** Billed requests (DynamoDB: request units) per activity step by service. */
  public Map<String, Double> requestsPerStepByService() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Line l : lines) {
      if (l.requests()) m.merge(l.service(), l.units() / activitySteps, Double::sum);
    }
    return m;
  }

  public String table() {
    StringBuilder b = new StringBuilder(String.format("%-10s %-44s %14s %12s %14s%n", "service", "item", "units",
        "units/step", "$/M steps"));
    for (Line l : lines) {
      b.append(String.format("%-10s %-44s %14.1f %12.4f %14.4f%n", l.service(),
          l.item() + (l.orchestration() ? "" : " (own compute)"), l.units(), l.units() / activitySteps,
          perMillionSteps(l.dollars())));
    }
    b.append(String.format("orchestration $/M activity steps: %.4f (total incl. own compute %.4f)%n",
        orchestrationPerMillionSteps(), perMillionSteps(dollars())));
    return b.toString();
  }
}
