package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.TestWorkflowExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The workflow on the in-memory engine: milliseconds per test, the day-long timer skipped. */
class GreetingWorkflowTest {
  /** Activities are plain objects: this one records the follow-ups instead of sending them. */
  static final class RecordingActivities extends GreetingActivitiesImpl {
    final List<String> followUps = new CopyOnWriteArrayList<>();

    @Override
    public String sendFollowUp(String name) {
      followUps.add(name);
      return super.sendFollowUp(name);
    }
  }

  private final RecordingActivities activities = new RecordingActivities();

  @RegisterExtension
  final TestWorkflowExtension tempora = TestWorkflowExtension.newBuilder()
      .registerWorkflowImplementationTypes(GreetingWorkflowImpl.class)
      .setActivityImplementations(() -> new Object[] {activities})
      .build();

  @Test
  void greetsNowAndFollowsUpADayLater(TestWorkflowEnvironment env, GreetingWorkflow workflow) {
    Instant start = env.currentTime();

    assertEquals("Hello, Ada! (follow-up sent to Ada)", workflow.greet("Ada"));

    assertEquals(List.of("Ada"), activities.followUps);
    assertTrue(!env.currentTime().isBefore(start.plus(Duration.ofDays(1))), "virtual time moved by a day");
  }
}
