package dev.tempora.bench.cost;

/**
 * The one price table of the cost model: on-demand list prices in US East (N. Virginia), without
 * free tiers, as the benchmark issue states them. Every dollar figure the benchmarks print is a
 * count from a run multiplied by one of these constants, so changing a price here changes it
 * everywhere.
 *
 * <table>
 *   <caption>Prices (us-east-1, on demand)</caption>
 *   <tr><th>constant</th><th>price</th><th>source</th></tr>
 *   <tr><td>{@link #DYNAMODB_WRITE_REQUEST_UNIT}</td><td>$0.625 per million write request units</td>
 *       <td>aws.amazon.com/dynamodb/pricing/on-demand</td></tr>
 *   <tr><td>{@link #DYNAMODB_READ_REQUEST_UNIT}</td><td>$0.125 per million read request units</td>
 *       <td>aws.amazon.com/dynamodb/pricing/on-demand</td></tr>
 *   <tr><td>{@link #SQS_STANDARD_REQUEST}</td><td>$0.40 per million requests (64 KB chunks)</td>
 *       <td>aws.amazon.com/sqs/pricing (first 100 billion requests/month tier)</td></tr>
 *   <tr><td>{@link #SQS_FIFO_REQUEST}</td><td>$0.50 per million requests (64 KB chunks)</td>
 *       <td>aws.amazon.com/sqs/pricing</td></tr>
 *   <tr><td>{@link #LAMBDA_REQUEST}</td><td>$0.20 per million requests</td>
 *       <td>aws.amazon.com/lambda/pricing</td></tr>
 *   <tr><td>{@link #LAMBDA_GB_SECOND}</td><td>$0.0000166667 per GB-second (x86, first 6 billion GB-s/month)</td>
 *       <td>aws.amazon.com/lambda/pricing</td></tr>
 *   <tr><td>{@link #SCHEDULER_INVOCATION}</td><td>$1.00 per million schedule invocations (API calls not charged)</td>
 *       <td>aws.amazon.com/eventbridge/pricing (Scheduler)</td></tr>
 *   <tr><td>{@link #STEP_FUNCTIONS_STANDARD_TRANSITION}</td><td>$25 per million state transitions</td>
 *       <td>aws.amazon.com/step-functions/pricing</td></tr>
 *   <tr><td>{@link #LAMBDA_DURABLE_OPERATION}</td><td>$8 per million durable operations</td>
 *       <td>aws.amazon.com/lambda/pricing (durable functions)</td></tr>
 *   <tr><td>{@link #TEMPORAL_CLOUD_ACTION}</td><td>$50 per million actions (first tier)</td>
 *       <td>temporal.io/pricing</td></tr>
 * </table>
 *
 * <p>Lambda memory sizes are assumptions of the model, not prices: {@link #COORDINATOR_MEMORY_MB}
 * for the coordinator function (replay keeps runners in memory; 1 GB also buys a full vCPU share)
 * and {@link #ACTIVITY_MEMORY_MB} for the activity function, {@link #STREAM_RELAY_MEMORY_MB} for
 * the table's stream relay.
 */
public final class AwsPrices {
  private AwsPrices() {}

  private static final double PER_MILLION = 1e-6;

  public static final double DYNAMODB_WRITE_REQUEST_UNIT = 0.625 * PER_MILLION;
  public static final double DYNAMODB_READ_REQUEST_UNIT = 0.125 * PER_MILLION;
  public static final double SQS_STANDARD_REQUEST = 0.40 * PER_MILLION;
  public static final double SQS_FIFO_REQUEST = 0.50 * PER_MILLION;
  public static final double LAMBDA_REQUEST = 0.20 * PER_MILLION;
  public static final double LAMBDA_GB_SECOND = 0.0000166667;
  public static final double SCHEDULER_INVOCATION = 1.00 * PER_MILLION;

  public static final double STEP_FUNCTIONS_STANDARD_TRANSITION = 25.0 * PER_MILLION;
  public static final double LAMBDA_DURABLE_OPERATION = 8.0 * PER_MILLION;
  public static final double TEMPORAL_CLOUD_ACTION = 50.0 * PER_MILLION;

  public static final int COORDINATOR_MEMORY_MB = 1024;
  public static final int ACTIVITY_MEMORY_MB = 512;
  /** The stream relay function's memory, as the CDK deploys it (infra-cdk TemporaEngine, SMALL_MEMORY). */
  public static final int STREAM_RELAY_MEMORY_MB = 512;
}
