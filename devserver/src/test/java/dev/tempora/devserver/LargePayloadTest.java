package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Payloads larger than an SQS message travel by reference, end to end on the embedded stack. */
class LargePayloadTest {

  @ActivityInterface
  public interface Blob {
    String make(int bytes, String seed);
  }

  @WorkflowInterface
  public interface BlobJob {
    @WorkflowMethod
    int run(String input);
  }

  public static class BlobJobImpl implements BlobJob {
    private final Blob blob = Workflow.newActivityStub(Blob.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public int run(String input) {
      // A 1.5 MB result: over SQS's 1 MiB, under Tempora's 2 MB payload limit.
      return input.length() + blob.make(1_500_000, input.substring(0, 8)).length();
    }
  }

  /** Pseudo-random text, so gzip cannot shrink it below the SQS limit by itself. */
  static String noise(int bytes, String seed) {
    java.util.Random r = new java.util.Random(seed.hashCode());
    StringBuilder sb = new StringBuilder(bytes);
    for (int i = 0; i < bytes; i++) {
      sb.append((char) ('a' + r.nextInt(26)));
    }
    return sb.toString();
  }

  @Test
  void inputsAndResultsOverTheSqsLimitTravelByReference() {
    try (DevServer server = DevServer.start(w -> w.registerWorkflowImplementationTypes(BlobJobImpl.class)
        .registerActivitiesImplementations((Blob) LargePayloadTest::noise))) {
      String input = noise(1_200_000, "input");
      int total = server.client().newWorkflowStub(BlobJob.class,
          WorkflowOptions.newBuilder().setWorkflowId("blob-1").build()).run(input);
      assertEquals(1_200_000 + 1_500_000, total);
    }
  }
}
