package dev.tempora.cdk;

import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;

/**
 * An EventBridge binding: every event matching {@code pattern} on {@code eventBus} (the account's
 * default bus if null) starts one workflow of {@code workflowType}. The workflow id is derived from
 * the event id (with {@code workflowIdPrefix} in front), so a redelivered event starts nothing new.
 *
 * @param id construct id of the rule, unique within the engine
 * @param pattern which events start a workflow
 * @param workflowType the workflow type to start
 * @param taskQueue the workflow's task queue, or null for the handler's default
 * @param workflowIdPrefix prefix of the derived workflow id, or null for the handler's default
 * @param eventBus the bus the rule listens on, or null for the default bus
 */
public record EventStart(String id, EventPattern pattern, String workflowType, String taskQueue, String workflowIdPrefix,
    IEventBus eventBus) {

  private static final Pattern CONSTRUCT_ID = Pattern.compile("[A-Za-z0-9]+");

  public EventStart {
    Objects.requireNonNull(pattern, "pattern");
    if (id == null || !CONSTRUCT_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("event start id must be letters and digits (it names the rule), got '" + id + "'");
    }
    if (workflowType == null || workflowType.isBlank()) {
      throw new IllegalArgumentException("event start '" + id + "' needs a workflowType");
    }
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  public static final class Builder {
    private final String id;
    private EventPattern pattern;
    private String workflowType;
    private String taskQueue;
    private String workflowIdPrefix;
    private IEventBus eventBus;

    private Builder(String id) {
      this.id = id;
    }

    public Builder pattern(EventPattern pattern) {
      this.pattern = pattern;
      return this;
    }

    public Builder workflowType(String workflowType) {
      this.workflowType = workflowType;
      return this;
    }

    public Builder taskQueue(String taskQueue) {
      this.taskQueue = taskQueue;
      return this;
    }

    public Builder workflowIdPrefix(String workflowIdPrefix) {
      this.workflowIdPrefix = workflowIdPrefix;
      return this;
    }

    public Builder eventBus(IEventBus eventBus) {
      this.eventBus = eventBus;
      return this;
    }

    public EventStart build() {
      return new EventStart(id, pattern, workflowType, taskQueue, workflowIdPrefix, eventBus);
    }
  }
}
