package dev.tempora.examples;

import dev.tempora.client.WorkflowClient;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One seed workflow run end to end in a {@link TestWorkflowEnvironment}: which workflow types and
 * activity objects to register, what the client does (starts, signals, queries, waits), and how to
 * tell whether the outcome is the expected one. Each call of {@link #register} makes fresh
 * activity objects, so one scenario can be run many times, each in its own environment.
 */
public interface SeedScenario {

  /** A short stable name, e.g. {@code order-compensation}. */
  String name();

  /** The id of the workflow the scenario drives. */
  String workflowId();

  /** One line on what happens. */
  String description();

  /** Registers the workflow implementation and fresh activity objects; returns the log they record calls into. */
  CallLog register(TestWorkflowEnvironment env);

  /** Starts, signals, queries and waits for the workflow; the activity calls are added by the caller. */
  Outcome drive(TestWorkflowEnvironment env, WorkflowClient client);

  /** What is wrong with the outcome; empty if it is what the scenario is meant to produce. */
  List<String> check(Outcome outcome);

  /** Functional pieces of a scenario, for {@link #of}. */
  interface Registrar { CallLog register(TestWorkflowEnvironment env); }

  interface Driver { Outcome drive(TestWorkflowEnvironment env, WorkflowClient client); }

  interface Checker { void check(Outcome outcome, Checks checks); }

  static SeedScenario of(String name, String workflowId, String description, Registrar registrar, Driver driver,
      Checker checker) {
    return new SeedScenario() {
      public String name() { return name; }
      public String workflowId() { return workflowId; }
      public String description() { return description; }
      public CallLog register(TestWorkflowEnvironment env) { return registrar.register(env); }
      public Outcome drive(TestWorkflowEnvironment env, WorkflowClient client) { return driver.drive(env, client); }
      public List<String> check(Outcome outcome) {
        Checks c = new Checks();
        checker.check(outcome, c);
        return c.problems();
      }
      @Override public String toString() { return name; }
    };
  }

  /** Collects the expectations an outcome misses. */
  final class Checks {
    private final List<String> problems = new ArrayList<>();

    public Checks expect(boolean condition, String what) {
      if (!condition) {
        problems.add(what);
      }
      return this;
    }

    public <T> Checks expectEquals(T expected, T actual, String what) {
      return expect(Objects.equals(expected, actual), what + ": expected " + expected + ", got " + actual);
    }

    public List<String> problems() {
      return List.copyOf(problems);
    }
  }
}
