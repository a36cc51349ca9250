package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.lambda.activity.ActivityPoller;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task queue served only by the long-running poller (a GPU host outside Lambda). */
class ActivityPollerTest {

  @ActivityInterface
  public interface Render {
    String render(String prompt);
  }

  @WorkflowInterface
  public interface ImageJob {
    @WorkflowMethod
    String generate(String prompt);
  }

  public static class ImageJobImpl implements ImageJob {
    private final Render gpu = Workflow.newActivityStub(Render.class, ActivityOptions.newBuilder()
        .setTaskQueue("gpu").setStartToCloseTimeout(Duration.ofMinutes(30)).build());

    @Override
    public String generate(String prompt) {
      return gpu.render(prompt);
    }
  }

  @Test
  void aTaskQueueWithoutLambdaIsServedByTheLongRunningPoller() throws InterruptedException {
    DevServer.Options defaults = DevServer.Options.defaults();
    // "gpu" is served, by the ActivityPoller below rather than by a Lambda poller of the stack.
    DevServer.Options options = defaults.withPollers(List.of("default"), 1, 1)
        .withConfig(defaults.config().withServedTaskQueues(List.of("gpu")));
    try (DevServer server = DevServer.start(w -> w.registerWorkflowImplementationTypes(ImageJobImpl.class)
        .registerActivitiesImplementations((Render) p -> "image of " + p), options)) {
      server.aws().createQueue(server.runtime().config.activityQueueName("gpu"), false, 5);
      try (ActivityPoller poller = new ActivityPoller(server.runtime(), "gpu")) {
        String result = server.client().newWorkflowStub(ImageJob.class,
            WorkflowOptions.newBuilder().setWorkflowId("image-1").build()).generate("a lighthouse");
        assertEquals("image of a lighthouse", result);
        for (int i = 0; i < 100 && poller.completed() < 1; i++) {
          Thread.sleep(50); // the delete follows the outcome's send
        }
        assertEquals(1, poller.completed());
      }
    }
  }
}
