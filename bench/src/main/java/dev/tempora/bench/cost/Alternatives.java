package dev.tempora.bench.cost;

import java.util.List;

/**
 * What the same workload would cost in orchestration charges on other durable-execution services,
 * for printing beside Tempora's figure. Only their per-step orchestration charge is counted (the
 * activity's Lambda or worker compute is extra in every one of them, as in Tempora's figure), and
 * each conversion is stated:
 * <ul>
 *   <li>Step Functions Standard: one state transition per Task state, so one per activity step;
 *       the workflow's start and end are not counted as transitions (a floor).
 *   <li>Lambda durable functions: one durable operation per step ({@code context.step}); the
 *       execution's start, and the data written and retained, are not counted (a floor).
 *   <li>Temporal Cloud: one action per activity started plus one per workflow started (a
 *       three-step workflow is 4 actions); completions are not actions. First-tier price.
 * </ul>
 */
public final class Alternatives {
  private Alternatives() {}

  /** A service and its orchestration dollars per million activity steps for this workload. */
  public record Quote(String service, double perMillionSteps, String assumption) {}

  public static List<Quote> quotes(int stepsPerWorkflow) {
    double temporalActionsPerStep = (stepsPerWorkflow + 1.0) / stepsPerWorkflow;
    return List.of(
        new Quote("Step Functions Standard", AwsPrices.STEP_FUNCTIONS_STANDARD_TRANSITION * 1e6,
            "1 state transition per activity step"),
        new Quote("Lambda durable functions", AwsPrices.LAMBDA_DURABLE_OPERATION * 1e6,
            "1 durable operation per activity step"),
        new Quote("Temporal Cloud", AwsPrices.TEMPORAL_CLOUD_ACTION * 1e6 * temporalActionsPerStep,
            String.format("%.3f actions per step (1 per activity + 1 start per %d steps)", temporalActionsPerStep,
                stepsPerWorkflow)));
  }
}
