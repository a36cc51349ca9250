package dev.tempora.examples.etl;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.workflow.Workflow;
import java.time.Duration;
import java.util.List;

public class EtlWorkflowImpl implements EtlWorkflow {
  static final RetryOptions RETRY = RetryOptions.newBuilder()
      .setInitialInterval(Duration.ofSeconds(1))
      .setBackoffCoefficient(2)
      .setMaximumAttempts(5)
      .build();

  private final EtlActivities etl = Workflow.newActivityStub(EtlActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5)).setRetryOptions(RETRY).build());

  @Override
  public EtlReport run(EtlJob job) {
    List<String> rows = etl.extract(job.source());
    List<String> transformed = etl.transform(rows);
    int loaded = etl.load(job.target(), transformed);
    return new EtlReport(job.jobId(), rows.size(), loaded);
  }
}
