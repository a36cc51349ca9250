package dev.tempora.examples.signup;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.examples.CallLog;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.SeedScenario;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The signup's seed run: a versioned change deployed while runs are in their trial day. */
public final class SignupScenarios {
  /** Signed up before the change: mid-trial when it is deployed. */
  public static final List<String> BEFORE = List.of("ann", "bo", "cy");
  /** Signed up after it. */
  public static final List<String> AFTER = List.of("dee", "eve");

  private SignupScenarios() {}

  public static String workflowId(String name) {
    return (BEFORE.contains(name) ? "signup-old-" : "signup-new-") + name;
  }

  public static SeedScenario versionChange() {
    return SeedScenario.of("signup-version-change", workflowId("dee"),
        "3 signups mid-trial when the verify-email change (Workflow.getVersion) is deployed finish on the old "
            + "path; 2 later ones verify their email",
        env -> {
          CallLog log = new CallLog();
          env.registerWorkflowImplementationTypes(SignupWorkflowV1.class);
          env.registerActivitiesImplementations(new InMemorySignupActivities(log));
          return log;
        },
        (env, client) -> {
          Map<String, SignupWorkflow> runs = new LinkedHashMap<>();
          for (String name : BEFORE) {
            runs.put(name, start(client, name));
          }
          for (String name : BEFORE) {
            awaitTrialStarted(client, workflowId(name));
          }
          // The deploy: the registered code of SignupWorkflow changes while three runs are in flight.
          deploy(env);
          for (String name : AFTER) {
            runs.put(name, start(client, name));
          }
          List<String> results = new ArrayList<>();
          List<String> versions = new ArrayList<>();
          runs.forEach((name, stub) -> {
            results.add(WorkflowStub.fromTyped(stub).getResult(String.class));
            versions.add(name + " " + recordedVersion(client.fetchHistory(workflowId(name))));
          });
          return Outcome.completed(String.join("; ", results), versions);
        },
        (o, c) -> c.expectEquals("acct-ann welcomed; acct-bo welcomed; acct-cy welcomed; "
                + "acct-dee welcomed, email verified; acct-eve welcomed, email verified", o.result(), "results")
            .expectEquals(List.of("ann DEFAULT_VERSION", "bo DEFAULT_VERSION", "cy DEFAULT_VERSION",
                "dee verify-email 1", "eve verify-email 1"), o.observations(), "recorded versions")
            .expectEquals(List.of("verifyEmail(dee@example.com)", "verifyEmail(eve@example.com)"),
                o.activityCalls().stream().filter(a -> a.startsWith("verifyEmail")).sorted().toList(),
                "only signups after the change verify"));
  }

  /** What a deployment of the current code does in a test environment. */
  private static void deploy(TestWorkflowEnvironment env) {
    env.registerWorkflowImplementationTypes(SignupWorkflowImpl.class);
  }

  private static SignupWorkflow start(WorkflowClient client, String name) {
    SignupWorkflow stub = client.newWorkflowStub(SignupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId(name)).build());
    WorkflowClient.start(stub::signUp, name + "@example.com");
    return stub;
  }

  /** The version a run's history records for the change ("DEFAULT_VERSION" when it has no marker). */
  public static String recordedVersion(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::event)
        .filter(e -> e instanceof Event.MarkerRecorded m && m.markerName().equals("Version"))
        .map(e -> ((Event.MarkerRecorded) e).data().json().replaceAll("[{}\"]", "")
            .replace("changeId:", "").replace(",version:", " "))
        .findFirst().orElse("DEFAULT_VERSION");
  }

  /** Waits until the run's trial timer is in its history: its first steps ran on the code before the change. */
  public static void awaitTrialStarted(WorkflowClient client, String workflowId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (client.fetchHistory(workflowId).stream().noneMatch(e -> e.event() instanceof Event.TimerStarted)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(workflowId + " did not reach its trial timer in 30 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
