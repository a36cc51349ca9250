package dev.tempora.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.IFunction;
import software.constructs.Construct;

/**
 * One EventBridge rule per {@link EventStart}, each targeting the start function with the binding
 * and the whole event as input: {@code {"workflowType", "taskQueue"?, "workflowIdPrefix"?, "event"}}.
 * Starting is idempotent by the event id, so EventBridge may retry for its whole window; what it
 * still cannot deliver goes to the alarmed dead-letter queue, as do events whose start failed in
 * the function after Lambda's own asynchronous retries (the engine points the function's on-failure
 * destination at the same queue).
 */
public final class EventStartRules extends Construct {
  /** EventBridge's longest retry window and its most attempts: a start is safe to repeat. */
  static final Duration MAX_EVENT_AGE = Duration.hours(24);
  static final int RETRY_ATTEMPTS = 185;

  private final AlarmedDeadLetterQueue deadLetters;
  private final List<Rule> rules = new ArrayList<>();

  public EventStartRules(Construct scope, String id, String deadLetterQueueName) {
    super(scope, id);
    deadLetters = new AlarmedDeadLetterQueue(this, "DeadLetters", deadLetterQueueName, false);
  }

  /** Adds the rules; {@code target} is the start function's alias. */
  public void bind(List<EventStart> starts, IFunction target) {
    for (EventStart s : starts) {
      Rule rule = Rule.Builder.create(this, s.id())
          .description("Starts a Tempora " + s.workflowType() + " workflow for each matching event")
          .eventBus(s.eventBus())
          .eventPattern(s.pattern())
          .build();
      rule.addTarget(LambdaFunction.Builder.create(target)
          .event(RuleTargetInput.fromObject(input(s)))
          .deadLetterQueue(deadLetters.queue())
          .maxEventAge(MAX_EVENT_AGE)
          .retryAttempts(RETRY_ATTEMPTS)
          .build());
      rules.add(rule);
    }
  }

  /** The target input the start handler reads; optional fields are left out, not sent as null. */
  static Map<String, Object> input(EventStart s) {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("workflowType", s.workflowType());
    if (s.taskQueue() != null) {
      input.put("taskQueue", s.taskQueue());
    }
    if (s.workflowIdPrefix() != null) {
      input.put("workflowIdPrefix", s.workflowIdPrefix());
    }
    input.put("event", EventField.fromPath("$"));
    return input;
  }

  public AlarmedDeadLetterQueue deadLetters() {
    return deadLetters;
  }

  public List<Rule> rules() {
    return List.copyOf(rules);
  }
}
